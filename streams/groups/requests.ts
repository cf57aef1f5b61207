import { map, type Observable } from 'rxjs'
import type { PlatformLink } from '../connection/link.js'
import { definedFields } from '../record.js'
import {
  AddParticipantResponse,
  GroupListResponse,
  GroupResponse,
  type AddParticipantRequest,
  type CreateGroupRequest,
  type ParticipantStatusRequest,
  type WireGroup,
  type WireParticipant,
} from './codecs.js'
import type { GroupParams } from './state.js'

/** Where a user's groups live (`/cpaas/chat/<version>/<userId>/group`), and who the user is there. */
export interface GroupScope {
  readonly version: string
  readonly userId: string
  /** The user's own address: the `services-identity` claim (§2), or the username without one. */
  readonly identity: string
}

const base = ({ version, userId }: GroupScope): string => `/cpaas/chat/${version}/${userId}/group`

/** A group to create: what `groups.create` takes, its participants as addresses. */
export type NewGroup = Omit<GroupParams, 'participants'> & { readonly participants: readonly string[] }

/** The body of a group creation: the user first as administrator (and only there), optional fields only when given (§2.2). */
const createGroupBody = ({ identity }: GroupScope, { participants, name, subject, image, type }: NewGroup): CreateGroupRequest => ({
  groupChatSessionInformation: {
    participant: [{ address: identity, 'x-isAdmin': true }, ...participants.filter((address) => address !== identity).map((address) => ({ address, 'x-isAdmin': false }))],
    ...definedFields({ subject, 'x-image': image, 'x-name': name, 'x-type': type }),
  },
})

const theGroup = map((response: GroupResponse): WireGroup => response.groupChatSessionInformation)

export function createGroup(link: PlatformLink, scope: GroupScope, group: NewGroup): Observable<WireGroup> {
  return link.request({ method: 'POST', path: base(scope), body: createGroupBody(scope, group), operation: 'Create group', response: GroupResponse }).pipe(theGroup)
}

export function fetchGroups(link: PlatformLink, scope: GroupScope): Observable<readonly WireGroup[]> {
  return link
    .request({ method: 'GET', path: base(scope), operation: 'Fetch groups', response: GroupListResponse })
    .pipe(map((response) => response.groupChatSessionInformationList.groupChatSessionInformation))
}

export function fetchGroup(link: PlatformLink, scope: GroupScope, groupId: string): Observable<WireGroup> {
  return link.request({ method: 'GET', path: `${base(scope)}/${groupId}`, operation: 'Fetch group by groupId', response: GroupResponse }).pipe(theGroup)
}

export function deleteGroup(link: PlatformLink, scope: GroupScope, groupId: string): Observable<void> {
  return link.request({ method: 'DELETE', path: `${base(scope)}/${groupId}`, operation: 'Delete Group' })
}

export function addParticipant(link: PlatformLink, scope: GroupScope, groupId: string, address: string): Observable<WireParticipant> {
  const body: AddParticipantRequest = { participantInformation: { address, 'x-isAdmin': false } }
  return link
    .request({ method: 'POST', path: `${base(scope)}/${groupId}/participants`, body, operation: 'Add Participant', response: AddParticipantResponse })
    .pipe(map((response) => response.participantInformation))
}

/** Removes a participant (an administrator does); with the user's own identity it is leaving or rejecting the invitation (the operation names the error). */
export function removeParticipant(link: PlatformLink, scope: GroupScope, groupId: string, address: string, operation: 'Remove participant' | 'Leave group' | 'Reject Invitation'): Observable<void> {
  return link.request({ method: 'DELETE', path: `${base(scope)}/${groupId}/participants/${address}`, operation })
}

/** Accepts an invitation: the user's own participant becomes `Connected` (§2.4). */
export function acceptInvitation(link: PlatformLink, scope: GroupScope, groupId: string): Observable<void> {
  const body: ParticipantStatusRequest = { participantSessionStatus: { status: 'Connected' } }
  return link.request({ method: 'PUT', path: `${base(scope)}/${groupId}/participants/${scope.identity}/status`, body, operation: 'Accept Invitation' })
}
