// People: what the other people modules read off a contact or a directory user (a full name, the
// contacts with a user id, the contact or user behind an address), so each part reads them the same way.

const phoneFields = ['phoneNumber', 'homePhoneNumber', 'businessPhoneNumber', 'mobilePhoneNumber']

/** The digits of a number as typed or stored ("+1 (555) 123" → "1555123"). */
export const digits = (text) => String(text).replace(/\D/g, '')

/** "First Last" of a contact or user, or '' when it has neither. */
export const fullName = (record) => [record?.firstName, record?.lastName].filter((part) => typeof part === 'string' && part.trim() !== '').join(' ')

/** The contacts of the address book that name a user (`primaryContact`). */
export const contactsOf = (contacts) => Object.values(contacts.getAll()).filter((contact) => typeof contact.primaryContact === 'string')

/** The contact with this user id, or with one of its phone numbers. */
export function findContact(contacts, address) {
  const wanted = String(address).toLowerCase()
  return contactsOf(contacts).find(
    (contact) => String(contact.primaryContact).toLowerCase() === wanted || phoneFields.some((field) => contact[field] && digits(contact[field]) === digits(address) && digits(address) !== ''),
  )
}

/** The directory user the SDK already knows by this user id, or (for a number) by one of their phone numbers. */
export function findUser(user, address) {
  const byId = user.get(address)
  if (byId !== undefined) return byId
  const number = digits(address)
  if (number === '' || /[a-z@]/i.test(address)) return undefined
  return user.getAll().find((candidate) => phoneFields.some((field) => candidate[field] && digits(candidate[field]) === number))
}
