import type { BasicError } from '../errors.js'
import { upsertBy } from '../record.js'
import { groupIdOf, type WireGroup, type WireParticipant } from './codecs.js'

/** A participant as the SDK keeps it: `x-isAdmin` renamed `isAdmin`, `resourceURL` dropped, other fields kept. */
export interface Participant {
  readonly address: string
  readonly status?: string
  readonly isAdmin?: boolean
  readonly [field: string]: unknown
}

/** A group as `groups.get` / `getAll` return it (§2.1). */
export interface Group {
  readonly id: string
  readonly name: string | undefined
  readonly subject: string | undefined
  readonly image: string | undefined
  readonly participants: readonly Participant[]
}

/** A pending invitation to a group (§2.4). */
export type Invitation = Pick<Group, 'id' | 'name' | 'participants'>

/** What `groups.create` takes. */
export interface GroupParams {
  /** Name of the Group (required). */
  readonly name: string
  /** User IDs to invite (strings, or `{ address }` objects as the tutorials pass them). */
  readonly participants?: readonly (string | { readonly address: string })[]
  readonly subject?: string
  /** HTTP URL of the image used as the Group's avatar. */
  readonly image?: string
  /** `closed` (the only type: invitation-based). */
  readonly type?: string
}

export interface GroupsState {
  readonly groups: readonly Group[]
  readonly invitations: readonly Invitation[]
}

/** What an operation was, so that its failure reaches the documented event of that operation. */
export type GroupOperation =
  | 'create'
  | 'fetch'
  | 'leave'
  | 'acceptInvitation'
  | 'rejectInvitation'
  | 'addParticipant'
  | 'removeParticipant'
  | 'delete'
  | 'notification'

export type GroupEvent =
  | { readonly type: 'groupCreated'; readonly group: Group }
  | { readonly type: 'groupsFetched'; readonly groups: readonly Group[] }
  | { readonly type: 'invitationAccepted'; readonly group: Group }
  | { readonly type: 'invitationRejected'; readonly groupId: string }
  | { readonly type: 'groupLeft'; readonly groupId: string }
  | { readonly type: 'participantAdded'; readonly groupId: string; readonly participant: Participant }
  | { readonly type: 'participantRemoved'; readonly groupId: string; readonly address: string }
  | { readonly type: 'groupDeleted'; readonly groupId: string; readonly group: Group | undefined }
  | { readonly type: 'invitationReceived'; readonly invitation: Invitation }
  | { readonly type: 'participantStatusChanged'; readonly groupId: string; readonly participant: Participant }
  | { readonly type: 'groupEnded'; readonly groupId: string; readonly eventType: 'SessionEnded' | 'SessionCancelled' }
  | { readonly type: 'groupFailed'; readonly operation: GroupOperation; readonly error: BasicError; readonly groupId?: string }

export const initialGroupsState: GroupsState = { groups: [], invitations: [] }

export const toParticipant = ({ 'x-isAdmin': isAdmin, resourceURL: _url, ...rest }: WireParticipant): Participant =>
  isAdmin === undefined ? rest : { ...rest, isAdmin }

/** A wire group in SDK form (`resourceURL` and `x-type` dropped). */
export const toGroup = (wire: WireGroup): Group => ({
  id: groupIdOf(wire.resourceURL),
  name: wire['x-name'],
  subject: wire.subject,
  image: wire['x-image'],
  participants: wire.participant.map(toParticipant),
})

/** The invitations but the one to `groupId`. */
const otherInvitations = (state: GroupsState, groupId: string): readonly Invitation[] => state.invitations.filter((invitation) => invitation.id !== groupId)

/** The state without the group `groupId` and any invitation to it. */
const withoutGroup = (state: GroupsState, groupId: string): GroupsState => {
  const groups = state.groups.filter((group) => group.id !== groupId)
  const invitations = otherInvitations(state, groupId)
  return groups.length === state.groups.length && invitations.length === state.invitations.length ? state : { groups, invitations }
}

const upsert = (groups: readonly Group[], group: Group): readonly Group[] => upsertBy(groups, group, (known) => known.id)

/** The state with the participants of one known group changed (`others`: those without `address`). */
const updateParticipants = (state: GroupsState, groupId: string, address: string, change: (others: Participant[]) => readonly Participant[]): GroupsState => {
  const others = (group: Group): Participant[] => group.participants.filter((participant) => participant.address !== address)
  return state.groups.some((group) => group.id === groupId)
    ? { ...state, groups: state.groups.map((group) => (group.id === groupId ? { ...group, participants: change(others(group)) } : group)) }
    : state
}

/** The pure reducer of groups and invitations. */
export function groupsReducer(state: GroupsState, event: GroupEvent): GroupsState {
  switch (event.type) {
    case 'groupCreated':
      return { ...state, groups: upsert(state.groups, event.group) }
    case 'groupsFetched':
      return { ...state, groups: event.groups }
    case 'invitationAccepted':
      return { groups: upsert(state.groups, event.group), invitations: otherInvitations(state, event.group.id) }
    case 'invitationRejected':
    case 'groupLeft':
    case 'groupDeleted':
    // SessionEnded too: an invitation still held then is stale (accepted on another device, or the group was deleted between the accept and its read).
    case 'groupEnded':
      return withoutGroup(state, event.groupId)
    case 'participantRemoved':
      return updateParticipants(state, event.groupId, event.address, (others) => others)
    case 'participantAdded':
    case 'participantStatusChanged':
      // The participant with the same address is replaced and moved to the end (notifications.md §8.2).
      return updateParticipants(state, event.groupId, event.participant.address, (others) => [...others, event.participant])
    case 'invitationReceived':
      return { ...state, invitations: [...otherInvitations(state, event.invitation.id), event.invitation] }
    case 'groupFailed':
      return state
  }
}
