import { expect } from 'chai'
import { createContacts, type ContactsFeature } from '../../../streams/contacts/feature.js'
import type { ContactEvent } from '../../../streams/contacts/state.js'
import { recordedFeature, streamsCompletedByDispose } from '../features.js'
import { quietCore, type RecordingLink } from '../presence/link.js'

describe('contacts feature: arguments', () => {
  let link: RecordingLink, contacts: ContactsFeature, events: ContactEvent[]
  beforeEach(() => {
    ;({ link, feature: contacts, events } = recordedFeature((link) => createContacts({ logs: quietCore().logs, link })))
  })
  afterEach(() => contacts.dispose())

  const failureCode = () => {
    const last = events.at(-1)
    return last?.type === 'contactFailed' ? last.error.code : undefined
  }

  it('needs a contactId to update: users:4 and nothing sent', () => {
    contacts.commands.update({ primaryContact: 'bob@example.com', firstName: 'Bob' } as never) // bad input, as an app without types may pass it
    expect(failureCode()).to.equal('users:4')
    expect(link.requests).to.deep.equal([])
  })

  it('needs an object with contactId and primaryContact to add', () => {
    for (const contact of [undefined, 'bob', [], { contactId: 'b' }, { primaryContact: 'bob@example.com' }, { contactId: '', primaryContact: 'x' }]) {
      contacts.commands.add(contact as never) // bad input, as an app without types may pass it
      expect(failureCode(), JSON.stringify(contact)).to.equal('users:4')
    }
    expect(link.requests).to.deep.equal([])
  })

  it('rejects values that are not strings, numbers or booleans, and a buddy that is not true or false', () => {
    contacts.commands.add({ contactId: 'b', primaryContact: 'bob@example.com', firstName: { first: 'Bob' } } as never) // bad input, as an app without types may pass it
    expect(failureCode()).to.equal('users:4')
    contacts.commands.add({ contactId: 'b', primaryContact: 'bob@example.com', buddy: 'yes' } as never)
    expect(failureCode()).to.equal('users:4')
    expect(link.requests).to.deep.equal([])
  })

  it('needs a contact id to remove and fetch', () => {
    for (const id of [undefined, '', 5]) {
      contacts.commands.remove(id as never) // bad input, as an app without types may pass it
      expect(failureCode()).to.equal('users:4')
      contacts.commands.fetch(id as never)
      expect(failureCode()).to.equal('users:4')
    }
    expect(link.requests).to.deep.equal([])
  })

  it('sends every property but contactId as string attributes in key order; update also leaves out name', () => {
    const contact = { primaryContact: 'jane@example.com', contactId: 'JaneD', firstName: 'Jane', name: 'Jane D', buddy: true, list: 'friends' }
    contacts.commands.add(contact)
    contacts.commands.update(contact)
    expect(link.requests[0]).to.include({ method: 'POST', path: '/cpaas/addressbook/v1/alice@example.com/default/contacts', operation: 'Add Contact Request' })
    expect(link.requests[0]?.body).to.deep.equal({
      contact: {
        attributeList: {
          attribute: [
            { name: 'primaryContact', value: 'jane@example.com' },
            { name: 'firstName', value: 'Jane' },
            { name: 'name', value: 'Jane D' },
            { name: 'buddy', value: 'true' },
            { name: 'list', value: 'friends' },
          ],
        },
        contactId: 'JaneD',
      },
    })
    expect(link.requests[1]).to.include({ method: 'PUT', path: '/cpaas/addressbook/v1/alice@example.com/default/contacts/JaneD' })
    expect((link.requests[1]?.body as { contact: { attributeList: { attribute: { name: string }[] } } }).contact.attributeList.attribute.map((a) => a.name)).to.deep.equal([
      'primaryContact',
      'firstName',
      'buddy',
      'list',
    ])
  })

  it('completes its streams on dispose', () => {
    expect(streamsCompletedByDispose(contacts)).to.equal(2)
  })
})
