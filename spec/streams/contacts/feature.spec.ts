import { expect } from 'chai'
import { of, throwError } from 'rxjs'
import { createContacts, type ContactsFeature } from '../../../streams/contacts/feature.js'
import type { ContactEvent } from '../../../streams/contacts/state.js'
import { recordedFeature, streamsCompletedByDispose } from '../features.js'
import { answering, quietCore, recordingLink, type RecordingLink } from '../presence/link.js'

const jane = { primaryContact: 'jane@example.com', contactId: 'JaneD', firstName: 'Jane' }

/** A contacts feature on `link`, with the events it emits from now on. */
const contactsOn = (link?: RecordingLink) => recordedFeature((recording) => createContacts({ logs: quietCore().logs, link: recording }), link)

/** Asks for each of the five requests once, about Jane. */
const requestEach = (contacts: ContactsFeature): void => {
  contacts.commands.add(jane)
  contacts.commands.update(jane)
  contacts.commands.remove('JaneD')
  contacts.commands.fetch('JaneD')
  contacts.commands.refresh()
}

describe('contacts feature: arguments', () => {
  let link: RecordingLink, contacts: ContactsFeature, events: ContactEvent[]
  beforeEach(() => {
    ;({ link, feature: contacts, events } = contactsOn())
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

  it('names the command and says what the id must be when remove and fetch get none', () => {
    contacts.commands.remove('')
    expect(events.at(-1)).to.deep.include({ type: 'contactFailed', operation: 'remove' })
    expect((events.at(-1) as { error: Error }).error.message).to.equal('contacts.remove: expected a contact id (a non-empty string)')
    contacts.commands.fetch('')
    expect(events.at(-1)).to.deep.include({ type: 'contactFailed', operation: 'fetch' })
    expect((events.at(-1) as { error: Error }).error.message).to.equal('contacts.fetch: expected a contact id (a non-empty string)')
  })

  it('names each request as the platform reference does', () => {
    requestEach(contacts)
    expect(link.requests.map((request) => [request.method, request.operation])).to.deep.equal([
      ['POST', 'Add Contact Request'],
      ['PUT', 'Update Contact Request'],
      ['DELETE', 'Delete Contact Request'],
      ['GET', 'Fetch Contact Request'],
      ['GET', 'Refresh Contact Request'],
    ])
  })

  it('without a user sends nothing and names the request that could not be made', () => {
    const { feature: signedOut, events: failures } = contactsOn(recordingLink(false))
    requestEach(signedOut)
    expect(failures.map((event) => (event.type === 'contactFailed' ? event.error.message : event.type))).to.deep.equal(
      ['Add Contact Request', 'Update Contact Request', 'Delete Contact Request', 'Fetch Contact Request', 'Refresh Contact Request'].map(
        (name) => `${name} failed: no user (set tokens first)`,
      ),
    )
    signedOut.dispose()
  })

  it('reports an add as contactAdded and an update as contactUpdated, each with the contact sent', () => {
    const { feature: answered, events: done } = contactsOn(answering(recordingLink(), () => of(undefined)))
    answered.commands.add(jane)
    answered.commands.update({ ...jane, firstName: 'Janet' })
    answered.commands.remove('JaneD')
    expect(done).to.deep.equal([
      { type: 'contactAdded', contact: jane },
      { type: 'contactUpdated', contact: { ...jane, firstName: 'Janet' } },
      { type: 'contactRemoved', contactId: 'JaneD' },
    ])
    answered.dispose()
  })

  it('reports a failed request with the id of its contact (none for refresh)', () => {
    const { feature: failing, events: failures } = contactsOn(answering(recordingLink(), () => throwError(() => new Error('refused'))))
    failing.commands.add(jane)
    failing.commands.update(jane)
    failing.commands.remove('bob')
    failing.commands.fetch('carol')
    failing.commands.refresh()
    expect(failures.map((event) => (event.type === 'contactFailed' ? [event.operation, event.contactId] : event.type))).to.deep.equal([
      ['add', 'JaneD'],
      ['update', 'JaneD'],
      ['remove', 'bob'],
      ['fetch', 'carol'],
      ['refresh', undefined],
    ])
    expect(failures.at(-1)).to.not.have.property('contactId')
    failing.dispose()
  })

  it('completes its streams on dispose', () => {
    expect(streamsCompletedByDispose(contacts)).to.equal(2)
  })
})
