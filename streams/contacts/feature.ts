import * as E from 'fp-ts/Either'
import { Subscription, type Observable } from 'rxjs'
import { BasicError, errorCodes } from '../errors.js'
import { deepFrozen, frozenStates, selectFrozen, storeFeature, type FeatureDeps, type StoreFeature } from '../feature.js'
import { isAbsent, isId, isRecord } from '../guards.js'
import { inOrder, userRequests } from '../outcome.js'
import { definedFields } from '../record.js'
import { createStore, echoing } from '../store.js'
import * as requests from './requests.js'
import { contactsReducer, fromWire, initialContactsState, toAttributes, type Contact, type ContactEvent, type ContactOperation, type ContactParams, type ContactsState } from './state.js'

export type ContactsDeps = Pick<FeatureDeps, 'logs' | 'link'>

export interface ContactsCommands {
  /** Adds a contact (`contactId` and `primaryContact` required). Outcome: `contactAdded`. */
  readonly add: (contact: ContactParams) => void
  /** Replaces a contact (`contactId` required). Outcome: `contactUpdated`. */
  readonly update: (contact: ContactParams) => void
  readonly remove: (contactId: string) => void
  readonly fetch: (contactId: string) => void
  /** Replaces the whole local address book with the platform's. */
  readonly refresh: () => void
}

export interface ContactsFeature extends StoreFeature<ContactsState, ContactEvent, ContactsCommands> {
  /** Hot; the address book. */
  readonly contacts$: Observable<readonly Contact[]>
}

const invalid = (message: string): BasicError => new BasicError(errorCodes.users.INVALID_PARAM, message)

const isScalar = (value: unknown): boolean =>
  isAbsent(value) || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))

/** A contact argument (the app may pass anything): an object with a `contactId` (and, to add, a `primaryContact`) and scalar values. */
const checkContact = (contact: unknown, operation: 'add' | 'update'): E.Either<BasicError, Contact> => {
  if (!isRecord(contact)) return E.left(invalid(`contacts.${operation}: the contact must be an object`))
  if (!isId(contact.contactId)) return E.left(invalid(`contacts.${operation}: the contact needs a contactId (a non-empty string)`))
  if (operation === 'add' && !isId(contact.primaryContact)) return E.left(invalid("contacts.add: the contact needs a primaryContact (the contact's user id)"))
  const bad = Object.entries(contact).find(([, field]) => !isScalar(field))
  if (bad !== undefined) return E.left(invalid(`contacts.${operation}: ${bad[0]} must be a string, a number or a boolean`))
  if (!isAbsent(contact.buddy) && ![true, false, 'true', 'false'].includes(contact.buddy as never)) return E.left(invalid(`contacts.${operation}: buddy must be true or false`))
  return E.right({ ...contact, contactId: contact.contactId })
}

/** Contacts: the user's personal address book on the platform. */
export function createContacts({ logs, link }: ContactsDeps): ContactsFeature {
  const store = createStore(deepFrozen(initialContactsState), echoing(frozenStates(contactsReducer)), logs.logger('contacts'))
  const running = new Subscription()
  // One after another: an update or a remove sent with the add before it could reach the platform first (a 404).
  const asUser = userRequests(running, link, (event: ContactEvent) => void store.dispatch(event), inOrder(running))
  const fail = (operation: ContactOperation, error: BasicError, contactId?: string): void => void store.dispatch({ type: 'contactFailed', operation, error, ...definedFields({ contactId }) })

  /** Runs one request of the signed-in user's address book; its value becomes the event `done` makes of it. */
  const request = <A>(operation: ContactOperation, name: string, contactId: string | undefined, request$: (userId: string) => Observable<A>, done: (value: A) => ContactEvent): void =>
    asUser(name, (user) => request$(user.username), done, (error) => fail(operation, error, contactId))

  const write = (operation: 'add' | 'update', name: string, except: readonly string[]) => (value: ContactParams) => {
    const contact = checkContact(value, operation)
    if (E.isLeft(contact)) return fail(operation, contact.left)
    const { contactId } = contact.right
    const written = (userId: string) => requests.writeContact(link, userId, contactId, toAttributes(contact.right, except), operation === 'update')
    request(operation, name, contactId, written, () => ({ type: operation === 'add' ? 'contactAdded' : 'contactUpdated', contact: contact.right }))
  }

  /** A command on one contact: its id checked, then `request$` run for it. */
  const byId =
    <A>(operation: 'remove' | 'fetch', name: string, request$: (userId: string, contactId: string) => Observable<A>, done: (value: A, contactId: string) => ContactEvent) =>
    (contactId: string): void => {
      if (!isId(contactId)) return fail(operation, invalid(`contacts.${operation}: expected a contact id (a non-empty string)`))
      request(operation, name, contactId, (userId) => request$(userId, contactId), (value) => done(value, contactId))
    }

  const refresh = (): void =>
    request('refresh', 'Refresh Contact Request', undefined, (userId) => requests.fetchContacts(link, userId), (contacts) => ({
      type: 'contactsRefreshed',
      contacts: contacts.map(fromWire),
    }))

  return {
    ...storeFeature(store, running),
    contacts$: selectFrozen(store.state$, (state) => state.contacts),
    commands: {
      add: write('add', 'Add Contact Request', ['contactId']),
      update: write('update', 'Update Contact Request', ['contactId', 'name']),
      remove: byId('remove', 'Delete Contact Request', (userId, id) => requests.removeContact(link, userId, id), (_, contactId) => ({ type: 'contactRemoved', contactId })),
      fetch: byId('fetch', 'Fetch Contact Request', (userId, id) => requests.fetchContact(link, userId, id), (contact) => ({ type: 'contactFetched', contact: fromWire(contact) })),
      refresh,
    },
  }
}
