import { expect } from 'chai'
import { BasicError } from '../../../streams/errors.js'
import { contactsReducer, fromWire, initialContactsState, toAttributes, type ContactEvent, type ContactsState } from '../../../streams/contacts/state.js'

const jane = { primaryContact: 'janedoe@example.com', contactId: 'JaneD', firstName: 'Jane', buddy: true, list: 'friends' }
const reduce = (events: ContactEvent[], from: ContactsState = initialContactsState): ContactsState => events.reduce(contactsReducer, from)

describe('contacts reducer', () => {
  it('turns a contact into wire attributes in key order, values as strings, contactId left out', () => {
    expect(toAttributes(jane, ['contactId'])).to.deep.equal([
      { name: 'primaryContact', value: 'janedoe@example.com' },
      { name: 'firstName', value: 'Jane' },
      { name: 'buddy', value: 'true' },
      { name: 'list', value: 'friends' },
    ])
    expect(toAttributes({ ...jane, name: 'Jane Doe', lastName: undefined, photoUrl: null }, ['contactId', 'name']).map((a) => a.name)).to.deep.equal([
      'primaryContact',
      'firstName',
      'buddy',
      'list',
    ])
  })

  it('reads a wire contact as a flat object with string values', () => {
    const contact = fromWire({ contactId: 'JaneD', attributeList: { attribute: [{ name: 'firstName', value: 'Jane' }, { name: 'buddy', value: 'true' }] } })
    expect(contact).to.deep.equal({ firstName: 'Jane', buddy: 'true', contactId: 'JaneD' })
    // contactId last, as the document's own id: a contactId attribute neither wins nor moves it.
    const listed = fromWire({ contactId: 'JaneD', attributeList: { attribute: [{ name: 'contactId', value: 'other' }, { name: 'firstName', value: 'Jane' }] } })
    expect(Object.entries(listed)).to.deep.equal([['firstName', 'Jane'], ['contactId', 'JaneD']])
  })

  it('stores an added contact as given and replaces it on update', () => {
    const added = reduce([{ type: 'contactAdded', contact: jane }])
    expect(added.contacts).to.deep.equal([jane])
    const updated = contactsReducer(added, { type: 'contactUpdated', contact: { ...jane, firstName: 'Janet' } })
    expect(updated.contacts).to.deep.equal([{ ...jane, firstName: 'Janet' }])
  })

  it('removes a contact by id and replaces the whole book on refresh', () => {
    const bob = { contactId: 'bob', primaryContact: 'bob@example.com' }
    const state = reduce([{ type: 'contactAdded', contact: jane }, { type: 'contactAdded', contact: bob }, { type: 'contactRemoved', contactId: 'JaneD' }])
    expect(state.contacts).to.deep.equal([bob])
    expect(contactsReducer(state, { type: 'contactsRefreshed', contacts: [jane] }).contacts).to.deep.equal([jane])
  })

  it('adds a fetched contact or replaces the known copy', () => {
    const state = reduce([{ type: 'contactAdded', contact: jane }, { type: 'contactFetched', contact: { contactId: 'JaneD', firstName: 'J' } }])
    expect(state.contacts).to.deep.equal([{ contactId: 'JaneD', firstName: 'J' }])
  })

  it('changes nothing on a failure or when removing an unknown contact', () => {
    const state = reduce([{ type: 'contactAdded', contact: jane }])
    expect(contactsReducer(state, { type: 'contactRemoved', contactId: 'nope' })).to.equal(state)
    expect(contactsReducer(state, { type: 'contactFailed', operation: 'add', error: new BasicError('users:4', 'x') })).to.equal(state)
  })
})
