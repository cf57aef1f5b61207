import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { map, type Observable } from 'rxjs'
import type { PlatformLink } from '../connection/link.js'
import { pathSegment } from '../connection/request.js'
import { BasicError, errorCodes } from '../errors.js'
import { isRecord } from '../guards.js'
import { ContactCollection, ContactResponse, type Attribute, type ContactRequest, type WireContact } from './codecs.js'

const base = (userId: string): string => `/cpaas/addressbook/v1/${userId}/default/contacts`
/** One contact's path: the id is the application's, so it is escaped. */
const one = (userId: string, contactId: string): string => `${base(userId)}/${pathSegment(contactId)}`

/** Adds a contact, or replaces the one with its id (§3); the response is not used. */
export function writeContact(link: PlatformLink, userId: string, contactId: string, attributes: readonly Attribute[], replace: boolean): Observable<void> {
  const body: ContactRequest = { contact: { attributeList: { attribute: [...attributes] }, contactId } }
  const target = replace
    ? ({ method: 'PUT', path: one(userId, contactId), operation: 'Update Contact Request' } as const)
    : ({ method: 'POST', path: base(userId), operation: 'Add Contact Request' } as const)
  return link.request({ ...target, body })
}

export function removeContact(link: PlatformLink, userId: string, contactId: string): Observable<void> {
  return link.request({ method: 'DELETE', path: one(userId, contactId), operation: 'Delete Contact Request' })
}

export function fetchContact(link: PlatformLink, userId: string, contactId: string): Observable<WireContact> {
  return link
    .request({ method: 'GET', path: one(userId, contactId), operation: 'Fetch Contact Request', response: ContactResponse })
    .pipe(map((response) => response.contact))
}

/** The whole address book; a success without `contactCollection` (a 204, an empty body) fails with `users:1` (Recommendation of §3). */
export function fetchContacts(link: PlatformLink, userId: string): Observable<readonly WireContact[]> {
  return link.request({ method: 'GET', path: base(userId), operation: 'Refresh Contact Request', response: t.unknown }).pipe(
    map((response) => {
      if (!isRecord(response) || !('contactCollection' in response)) throw new BasicError(errorCodes.users.UNKNOWN, 'Refresh Contact Request failed: the response has no contact collection')
      const decoded = ContactCollection.decode(response)
      if (E.isLeft(decoded)) throw new BasicError(errorCodes.users.UNKNOWN, 'Refresh Contact Request failed: the contact collection could not be read')
      return decoded.right.contactCollection.contact
    }),
  )
}
