import { shown, type BasicError } from '../errors.js'
import { upsertBy } from '../record.js'
import type { Attribute, WireContact } from './codecs.js'

/** A contact as the SDK keeps it, flat with its `contactId` (§3.1): as the app gave it when added or updated, with string values when fetched. */
export interface Contact {
  readonly contactId: string
  readonly [field: string]: unknown
}

/** What `contacts.add` and `contacts.update` take. */
export interface ContactParams {
  /** The contact's unique contact ID (chosen by the application). */
  readonly contactId: string
  /** The primary User ID of the contact (required to add). */
  readonly primaryContact?: string
  readonly firstName?: string
  readonly lastName?: string
  /** The contact's email address (the reference's name for it). */
  readonly email?: string
  /** The contact's email address (the platform's name for it). */
  readonly emailAddress?: string
  readonly homePhoneNumber?: string
  readonly businessPhoneNumber?: string
  readonly mobilePhoneNumber?: string
  readonly photoUrl?: string
  /** The contact list to add the contact to (`friends` by default). */
  readonly list?: string
  /** Whether the contact is a friend of the user. */
  readonly buddy?: boolean
  /** Any other property is stored the same way (as a string on the platform). */
  readonly [field: string]: string | number | boolean | undefined
}

export interface ContactsState {
  /** In the order they became known. */
  readonly contacts: readonly Contact[]
}

export type ContactOperation = 'add' | 'update' | 'remove' | 'fetch' | 'refresh'

export type ContactEvent =
  | { readonly type: 'contactAdded'; readonly contact: Contact }
  | { readonly type: 'contactUpdated'; readonly contact: Contact }
  | { readonly type: 'contactRemoved'; readonly contactId: string }
  | { readonly type: 'contactFetched'; readonly contact: Contact }
  | { readonly type: 'contactsRefreshed'; readonly contacts: readonly Contact[] }
  | { readonly type: 'contactFailed'; readonly operation: ContactOperation; readonly error: BasicError; readonly contactId?: string }

export const initialContactsState: ContactsState = { contacts: [] }

/** A wire contact as a flat object: `{ <name>: <value>, ..., contactId }` (values stay strings). */
export const fromWire = ({ contactId, attributeList }: WireContact): Contact => {
  const fields = attributeList.attribute.filter(({ name }) => name !== 'contactId').map(({ name, value }) => [name, value])
  return { ...Object.fromEntries(fields), contactId }
}

/** A contact's properties as wire attributes, in the object's key order, values as strings; `except` keys left out. */
export const toAttributes = (contact: Readonly<Record<string, unknown>>, except: readonly string[]): Attribute[] =>
  Object.entries(contact)
    .filter(([name, value]) => !except.includes(name) && value !== undefined && value !== null)
    .map(([name, value]) => ({ name, value: shown(value) }))

/** The pure reducer of the address book. */
export function contactsReducer(state: ContactsState, event: ContactEvent): ContactsState {
  switch (event.type) {
    case 'contactAdded':
    case 'contactUpdated':
    case 'contactFetched':
      return { contacts: upsertBy(state.contacts, event.contact, (known) => known.contactId) }
    case 'contactRemoved': {
      const contacts = state.contacts.filter((contact) => contact.contactId !== event.contactId)
      return contacts.length === state.contacts.length ? state : { contacts }
    }
    case 'contactsRefreshed':
      return { contacts: event.contacts }
    case 'contactFailed':
      return state
  }
}
