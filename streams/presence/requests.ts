import { map, type Observable } from 'rxjs'
import type { PlatformLink } from '../connection/link.js'
import { definedFields } from '../record.js'
import {
  AdhocPresenceListResponse,
  PresenceContactResponse,
  PresenceSourceResponse,
  type AdhocPresenceListRequest,
  type Person,
  type PresenceContact,
  type PresenceContactRequest,
  type PresenceSourceRequest,
  type WireActivity,
  type WireStatus,
} from './codecs.js'

/** Where a user's presence resources live: `/cpaas/presence/<version>/<userId>`. */
export interface PresenceScope {
  readonly version: string
  readonly userId: string
}

const base = ({ version, userId }: PresenceScope): string => `/cpaas/presence/${version}/${userId}`
const contactPath = (scope: PresenceScope, listId: string, userId: string): string => `${base(scope)}/presenceLists/${listId}/presenceContacts/${userId}`

/** The "person" object of a status, an activity and (with `ActivitiesOther` only) a note. */
export const person = (status: WireStatus, activity: WireActivity, note: string | undefined): Person => ({
  'overriding-willingness': { overridingWillingnessValue: status },
  activities: activity === 'ActivitiesOther' && note !== undefined ? { activityValue: activity, other: note } : { activityValue: activity },
})

/** Publishes the user's presence (§1.2); emits the presence as stored by the platform. */
export function publishPresence(link: PlatformLink, scope: PresenceScope, clientCorrelator: string | undefined, value: Person): Observable<Person> {
  const body: PresenceSourceRequest = { presenceSource: { ...definedFields({ clientCorrelator }), presence: { person: value } } }
  return link
    .request({ method: 'POST', path: `${base(scope)}/presenceSources`, body, operation: 'Presence publish', response: PresenceSourceResponse })
    .pipe(map((response) => response.presenceSource.presence.person))
}

/** Fetches the presence of users once (§1.3); emits the entries the platform returned. */
export function fetchPresence(link: PlatformLink, scope: PresenceScope, userIds: readonly string[]): Observable<readonly PresenceContact[]> {
  return link
    .request({
      method: 'POST',
      path: `${base(scope)}/adhocPresenceList`,
      body: { adhocPresenceList: { presentityUserId: [...userIds] } } satisfies AdhocPresenceListRequest,
      operation: 'Fetch users presence',
      response: AdhocPresenceListResponse,
    })
    .pipe(map((response) => response.presenceList.presenceContact ?? []))
}

/** Adds one user to a presence list (§1.5): the platform then notifies their presence. */
export function watchUser(link: PlatformLink, scope: PresenceScope, listId: string, userId: string): Observable<void> {
  return link
    .request({
      method: 'PUT',
      path: contactPath(scope, listId, userId),
      body: { presenceContact: { presentityUserId: userId } } satisfies PresenceContactRequest,
      operation: 'Add presence user',
      response: PresenceContactResponse,
    })
    .pipe(map(() => undefined))
}

/** Removes one user from a presence list (§1.5). */
export function unwatchUser(link: PlatformLink, scope: PresenceScope, listId: string, userId: string): Observable<void> {
  return link.request({ method: 'DELETE', path: contactPath(scope, listId, userId), operation: 'Remove presence user' })
}
