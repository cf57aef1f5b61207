const phoneLooking = /^[\d\s\-.()+]+$/
const separators = /[\s\-.()+]/g

/**
 * The address a call is placed to (`protocol/calls.md` §3.1): `sip:<user>@<domain>`, with the user's own domain when none is given, any scheme
 * dropped, and phone numbers stripped of their visual separators (leading `+`, `#`, `*` kept).
 *
 * normalizeDestination('+1 (613) 555-0100', 'example.com') // 'sip:+16135550100@example.com'
 */
export function normalizeDestination(destination: string, ownDomain: string | undefined): string {
  const trimmed = destination.trim()
  const at = trimmed.lastIndexOf('@')
  const hasDomain = at > 0 && at < trimmed.length - 1
  const user = hasDomain ? trimmed.slice(0, at) : trimmed
  const domain = hasDomain ? trimmed.slice(at + 1) : ownDomain
  const address = user.slice(user.lastIndexOf(':') + 1)
  const leading = /^[+#*]*/.exec(address)?.[0] ?? ''
  const rest = address.slice(leading.length)
  const local = rest !== '' && phoneLooking.test(rest) && /\d/.test(rest) ? leading + rest.replace(separators, '') : address
  return domain === undefined || domain === '' ? `sip:${local}` : `sip:${local}@${domain}`
}

/** An originator address as a user reads it: `sip:` / `tel:` dropped (`notifications.md` §4.1 recommendation). */
export const displayAddress = (address: string): string => address.replace(/^(sip|sips|tel):/i, '')
