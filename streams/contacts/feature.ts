import * as E from 'fp-ts/Either'
import { Subscription, distinctUntilChanged, map, type Observable } from 'rxjs'
import type { PlatformLink } from '../connection/link.js'
import { settle } from '../outcome.js'
import { BasicError, errorCodes } from '../errors.js'
import type { Feature } from '../feature.js'
import type { Logs } from '../logs/logger.js'
import * as requests from './requests.js'
import { createStore, echoing } from '../store.js'
import { contactsReducer, fromWire, initialContactsState, toAttributes, type Contact, type ContactEvent, type ContactOperation, type ContactsState } from './state.js'

export interface ContactsDeps {
  readonly logs: Logs
  readonly link: PlatformLink
}

export interface ContactsCommands {
  /** Adds a contact (`contactId` and `primaryContact` required). Outcome: `contactAdded`. */
  readonly add: (contact: unknown) => void
  /** Replaces a contact (`contactId` required). Outcome: `contactUpdated`. */
  readonly update: (contact: unknown) => void
  readonly remove: (contactId: unknown) => void
  readonly fetch: (contactId: unknown) => void
  /** Replaces the whole local address book with the platform's. */
  readonly refresh: () => void
}

export interface ContactsFeature extends Feature<ContactsState, ContactEvent, ContactsCommands> {
  /** Hot; the address book. */
  readonly contacts$: Observable<readonly Contact[]>
  readonly current: () => ContactsState
  readonly dispose: () => void
}

const invalid = (message: string): BasicError => new BasicError(errorCodes.users.INVALID_PARAM, message)

const isScalar = (value: unknown): boolean =>
  value === undefined || value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))

/** A contact argument: an object with a `contactId` (and, to add, a `primaryContact`) and scalar values. */
const checkContact = (value: unknown, operation: 'add' | 'update'): E.Either<BasicError, Contact> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return E.left(invalid(`contacts.${operation}: the contact must be an object`))
  const contact = value as Record<string, unknown>
  if (typeof contact.contactId !== 'string' || contact.contactId === '') return E.left(invalid(`contacts.${operation}: the contact needs a contactId (a non-empty string)`))
  if (operation === 'add' && (typeof contact.primaryContact !== 'string' || contact.primaryContact === '')) {
    return E.left(invalid('contacts.add: the contact needs a primaryContact (the contact\'s user id)'))
  }
  const bad = Object.entries(contact).find(([, field]) => !isScalar(field))
  if (bad !== undefined) return E.left(invalid(`contacts.${operation}: ${bad[0]} must be a string, a number or a boolean`))
  if (contact.buddy !== undefined && contact.buddy !== null && ![true, false, 'true', 'false'].includes(contact.buddy as never)) {
    return E.left(invalid(`contacts.${operation}: buddy must be true or false`))
  }
  return E.right({ ...contact, contactId: contact.contactId })
}

const checkId = (value: unknown, operation: string): E.Either<BasicError, string> =>
  typeof value === 'string' && value !== '' ? E.right(value) : E.left(invalid(`contacts.${operation}: expected a contact id (a non-empty string)`))

/** Contacts: the user's personal address book on the platform. */
export function createContacts({ logs, link }: ContactsDeps): ContactsFeature {
  const logger = logs.logger('contacts')
  const store = createStore(initialContactsState, echoing(contactsReducer), logger)
  const running = new Subscription()

  const dispatch = (event: ContactEvent): void => void store.dispatch(event)
  const fail = (operation: ContactOperation, error: BasicError, contactId?: string): void =>
    dispatch(contactId === undefined ? { type: 'contactFailed', operation, error } : { type: 'contactFailed', operation, error, contactId })

  const userId = (operation: string): E.Either<BasicError, string> => {
    const user = link.user()
    return user === undefined ? E.left(new BasicError(errorCodes.general.BAD_INPUT, `${operation} failed: no user (set tokens first)`)) : E.right(user.username)
  }

  const run = <A>(request$: Observable<A>, next: (value: A) => void, error: (error: BasicError) => void): void => settle(running, request$, next, error)

  const add = (value: unknown): void => {
    const contact = checkContact(value, 'add')
    if (E.isLeft(contact)) return fail('add', contact.left)
    const user = userId('Add Contact Request')
    if (E.isLeft(user)) return fail('add', user.left, contact.right.contactId)
    const { contactId } = contact.right
    run(
      requests.addContact(link, user.right, contactId, toAttributes(contact.right, ['contactId'])),
      () => dispatch({ type: 'contactAdded', contact: contact.right }),
      (error) => fail('add', error, contactId),
    )
  }

  const update = (value: unknown): void => {
    const contact = checkContact(value, 'update')
    if (E.isLeft(contact)) return fail('update', contact.left)
    const user = userId('Update Contact Request')
    if (E.isLeft(user)) return fail('update', user.left, contact.right.contactId)
    const { contactId } = contact.right
    run(
      requests.updateContact(link, user.right, contactId, toAttributes(contact.right, ['contactId', 'name'])),
      () => dispatch({ type: 'contactUpdated', contact: contact.right }),
      (error) => fail('update', error, contactId),
    )
  }

  const remove = (value: unknown): void => {
    const contactId = checkId(value, 'remove')
    if (E.isLeft(contactId)) return fail('remove', contactId.left)
    const user = userId('Delete Contact Request')
    if (E.isLeft(user)) return fail('remove', user.left, contactId.right)
    run(
      requests.removeContact(link, user.right, contactId.right),
      () => dispatch({ type: 'contactRemoved', contactId: contactId.right }),
      (error) => fail('remove', error, contactId.right),
    )
  }

  const fetch = (value: unknown): void => {
    const contactId = checkId(value, 'fetch')
    if (E.isLeft(contactId)) return fail('fetch', contactId.left)
    const user = userId('Fetch Contact Request')
    if (E.isLeft(user)) return fail('fetch', user.left, contactId.right)
    run(
      requests.fetchContact(link, user.right, contactId.right),
      (contact) => dispatch({ type: 'contactFetched', contact: fromWire(contact) }),
      (error) => fail('fetch', error, contactId.right),
    )
  }

  const refresh = (): void => {
    const user = userId('Refresh Contact Request')
    if (E.isLeft(user)) return fail('refresh', user.left)
    run(
      requests.fetchContacts(link, user.right),
      (contacts) => dispatch({ type: 'contactsRefreshed', contacts: contacts.map(fromWire) }),
      (error) => fail('refresh', error),
    )
  }

  return {
    state$: store.state$,
    events$: store.outputs$,
    contacts$: store.state$.pipe(
      map((current) => current.contacts),
      distinctUntilChanged(),
    ),
    current: store.current,
    commands: { add, update, remove, fetch, refresh },
    dispose: () => {
      running.unsubscribe()
      store.complete()
    },
  }
}
