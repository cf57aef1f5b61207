/**
 * `client.contacts`: your personal address book. Events: `contacts:new`, `contacts:change`,
 * `contacts:error`.
 *
 * @module client.contacts
 */
export type { ContactsApi, ContactInfo, ContactParams } from '../../lib/api/contacts.js'
