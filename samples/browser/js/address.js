// Addresses as people type and read them: a user id (`name@domain`) or a phone number. The
// page checks what was typed before calling or messaging, and shows a number without the
// domain the platform adds to it (`sip:+15551230002@example.com` → `+15551230002`).

const userId = /^[^\s@<>"]+@[a-z0-9-]+(\.[a-z0-9-]+)*$/i
const phoneNumber = /^\+?\d{3,15}$/
const phoneSeparators = /[\s().-]/g

/**
 * What was typed, checked: `{ address }` to call or message (a number without its
 * separators, a user id trimmed), or `{ problem }` saying what is wrong, in words.
 *
 * destinationOf('+1 (555) 123-0002') → { address: '+15551230002' }
 */
export function destinationOf(text, { phoneOnly = false } = {}) {
  const typed = String(text).trim()
  const number = typed.replace(phoneSeparators, '')
  if (typed === '') return { problem: phoneOnly ? 'Enter a phone number.' : 'Enter a user ID or a phone number.' }
  if (phoneNumber.test(number)) return { address: number }
  if (!phoneOnly && userId.test(typed)) return { address: typed }
  return { problem: phoneOnly ? `"${typed}" is not a phone number, such as +15551230002.` : `"${typed}" is neither a user ID (name@example.com) nor a phone number (+15551230002).` }
}

/** True for a phone number, with or without `+`, `tel:` / `sip:` and a domain. */
export function isPhoneNumber(address) {
  return phoneNumber.test(displayAddress(address))
}

/**
 * An address as a person reads it: without `sip:` / `tel:`, and a phone number without the
 * domain the platform appends (`sip:+15551230002@example.com` → `+15551230002`).
 */
export function displayAddress(address) {
  const bare = String(address ?? '').trim().replace(/^(sips?|tel):/i, '')
  const [local, domain] = bare.split('@')
  return domain !== undefined && phoneNumber.test(local.replace(phoneSeparators, '')) ? local : bare
}
