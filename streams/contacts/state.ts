import { shown, type BasicError } from '../errors.js'
import type { Attribute, WireContact } from './codecs.js'

/**
 * A contact as the SDK keeps it: a flat object with its `contactId` (§3.1). Added or updated
 * contacts are kept as the application gave them; fetched ones have string values.
 */
export interface Contact {
  readonly contactId: string
  readonly [field: string]: unknown
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

const upsert = (contacts: readonly Contact[], contact: Contact): readonly Contact[] =>
  contacts.some((known) => known.contactId === contact.contactId)
    ? contacts.map((known) => (known.contactId === contact.contactId ? contact : known))
    : [...contacts, contact]

/** The pure reducer of the address book. */
export function contactsReducer(state: ContactsState, event: ContactEvent): ContactsState {
  switch (event.type) {
    case 'contactAdded':
    case 'contactUpdated':
    case 'contactFetched':
      return { contacts: upsert(state.contacts, event.contact) }
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
