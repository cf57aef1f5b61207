import { each } from '../../streams/each.js'
import type { ContactsFeature } from '../../streams/contacts/feature.js'
import type { Contact, ContactEvent, ContactParams } from '../../streams/contacts/state.js'
import { errorCodes } from '../../streams/errors.js'
import type { PublicEvent } from '../events.js'
import type { Namespace } from '../namespace.js'
import { lookupId } from './arguments.js'

/** A contact of the personal address book: `contactId` and its other fields. */
export type ContactInfo = Contact

export type { ContactParams }

/** The documented `contacts` namespace. */
export interface ContactsApi {
  /**
   * Adds a contact to the user's personal address book. Emits `contacts:new` with the contact, then `contacts:change`. Without
   * `contactId` or `primaryContact`: `contacts:error` with code `users:4`, nothing sent.
   *
   * client.contacts.add({ contactId: 'JaneD', primaryContact: 'jane@example.com', firstName: 'Jane', buddy: true })
   */
  add(contact: ContactParams): void
  /**
   * Retrieves local information about a contact, if known.
   * @throws BasicError `users:4` when `contactId` is neither a string nor undefined (undefined gives undefined, as in the original SDK).
   */
  get(contactId: string): ContactInfo | undefined
  /**
   * Retrieves local information about all contacts, keyed by contact id (the original SDK's shape; the reference text says an array).
   *
   * const names = Object.values(client.contacts.getAll()).map((contact) => contact.firstName)
   */
  getAll(): Record<string, ContactInfo>
  /** Replaces the local address book with the platform's. Emits `contacts:change`. */
  refresh(): void
  /** Removes a contact from the address book. Emits `contacts:change`. */
  remove(contactId: string): void
  /** Updates (replaces) a contact of the address book. Emits `contacts:change`; without `contactId`, `contacts:error` with code `users:4`. */
  update(contact: ContactParams): void
  /** Fetches one contact from the address book. Emits `contacts:change`. */
  fetch(contactId: string): void
}

/** A copy of a held contact (its values are scalars): what the app changes in it stays out of the address book. */
const copied = (contact: Contact): ContactInfo => ({ ...contact })

const toPublic = (event: ContactEvent): PublicEvent[] => {
  switch (event.type) {
    case 'contactAdded':
      // The documented order (Recommendation of events.md §10): the new contact, then the change.
      return [
        { type: 'contacts:new', payload: copied(event.contact) },
        { type: 'contacts:change', payload: {} },
      ]
    case 'contactUpdated':
    case 'contactRemoved':
    case 'contactFetched':
    case 'contactsRefreshed':
      return [{ type: 'contacts:change', payload: {} }]
    case 'contactFailed':
      return [{ type: 'contacts:error', payload: { error: event.error } }]
  }
}

/** The documented `contacts` namespace over the contacts feature. */
export function contactsApi({ contacts }: { readonly contacts: ContactsFeature }): Namespace<ContactsApi> {
  const api: ContactsApi = {
    add: (contact) => contacts.commands.add(contact),
    get: (contactId) => {
      const id = lookupId(contactId, errorCodes.users.INVALID_PARAM, 'contacts.get: the contact id must be a string')
      const found = id === undefined ? undefined : contacts.current().contacts.find((contact) => contact.contactId === id)
      return found === undefined ? undefined : copied(found)
    },
    getAll: () => Object.fromEntries(contacts.current().contacts.map((contact) => [contact.contactId, copied(contact)])),
    refresh: () => contacts.commands.refresh(),
    remove: (contactId) => contacts.commands.remove(contactId),
    update: (contact) => contacts.commands.update(contact),
    fetch: (contactId) => contacts.commands.fetch(contactId),
  }
  return { api, events$: contacts.events$.pipe(each(toPublic)) }
}
