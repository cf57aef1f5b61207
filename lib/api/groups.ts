import { map } from 'rxjs'
import { BasicError, errorCodes } from '../../streams/errors.js'
import type { GroupsFeature } from '../../streams/groups/feature.js'
import type { Group, GroupEvent, GroupOperation, GroupParams, Invitation, Participant } from '../../streams/groups/state.js'
import type { GroupError } from '../event-map.js'
import type { PublicEvent } from '../events.js'
import type { Namespace } from '../namespace.js'
import { lookupId } from './arguments.js'

/** A group: `{ id, name, subject, image, participants: [{ address, status, isAdmin }] }`. */
export type GroupInfo = Group

/** A pending invitation to a group: `{ id, name, participants }`. */
export type GroupInvitation = Invitation

export type { GroupParams }

/** The documented `groups` namespace. */
export interface GroupsApi {
  /**
   * Creates a Group with the current user as administrator. Emits `group:new { id, groupId }` when done; invitees receive
   * `group:invitation_received`. Without a name: `group:new` with an error of code `groups:3`, nothing sent.
   *
   * client.groups.create({ name: 'Team', subject: 'Weekly sync', participants: ['bob@example.com'] })
   */
  create(params: GroupParams): void
  /** Fetches every Group the user is a member of, replacing the known ones. Emits `group:refresh`. */
  fetch(): void
  /** Retrieves information about all available Groups: copies, as the original SDK gives them, that the app may change. */
  getAll(): GroupInfo[]
  /**
   * Retrieves information about a single Group, if available.
   * @throws BasicError `BAD_INPUT` when `groupId` is neither a string nor undefined (undefined gives undefined, as in the original SDK).
   */
  get(groupId: string): GroupInfo | undefined
  /**
   * Retrieves the participants of an available Group, `{ address, isAdmin, status }` each, as the original SDK returns them (the
   * reference text says user ids); undefined for an unknown Group.
   *
   * const admins = client.groups.getParticipants(groupId)?.filter((participant) => participant.isAdmin)
   * @throws BasicError `BAD_INPUT` when `groupId` is neither a string nor undefined (undefined gives undefined, as in the original SDK).
   */
  getParticipants(groupId: string): Participant[] | undefined
  /** Retrieves information about all Group invitations available. */
  getInvitations(): GroupInvitation[]
  /** Leaves a Group (not allowed to its administrator). Emits `group:change`. */
  leave(groupId: string): void
  /** Accepts an invitation to a Group; the Group becomes available. Emits `group:change`. */
  acceptInvitation(groupId: string): void
  /** Rejects an invitation to a Group. Emits `group:change`. */
  rejectInvitation(groupId: string): void
  /** Adds a participant to a Group (administrator only); they receive `group:invitation_received`. Emits `group:change`. */
  addParticipant(groupId: string, participant: string): void
  /** Removes a participant from a Group (administrator only). Emits `group:change`. */
  removeParticipant(groupId: string, participant: string): void
  /**
   * Deletes a Group (its administrator); another member's delete leaves the Group instead (the same request deletes a group
   * conversation, `protocol/messaging.md` §8). Emits `group:delete { group }`; the other members get `group:change`.
   */
  delete(groupId: string): void
}

/** Where a failed operation is reported (`protocol/events.md` §9); every other one is about a group: `group:change`. */
const failureEvents: Readonly<Partial<Record<GroupOperation, 'group:new' | 'group:refresh' | 'group:delete' | 'group:error'>>> = {
  create: 'group:new',
  fetch: 'group:refresh',
  delete: 'group:delete',
  notification: 'group:error',
}

/** The error of a group event: the BasicError plus a plain `error: { code, message }` copy, so the tutorials' `params.error.error.code` works too. */
const nestedError = (error: BasicError): GroupError =>
  Object.assign(new BasicError(error.code, error.message), { error: { code: error.code, message: error.message } })

/** `{ id, groupId }`: the reference's key and the tutorials' (Recommendation of events.md §9). */
const ids = (groupId: string) => ({ id: groupId, groupId })

/** A deep copy of what the state holds (plain objects, arrays and values from the wire), as the original SDK's getters give: the app's changes stay in it. */
const copied = <T>(value: T): T => {
  if (Array.isArray(value)) return value.map(copied) as T
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, copied(field)])) as T
}

const toPublic = (event: GroupEvent): PublicEvent => {
  switch (event.type) {
    case 'groupCreated':
      return { type: 'group:new', payload: ids(event.group.id) }
    case 'groupsFetched':
      return { type: 'group:refresh', payload: {} }
    case 'groupDeleted':
      return { type: 'group:delete', payload: { group: copied(event.group) } }
    case 'invitationReceived':
      return { type: 'group:invitation_received', payload: { invitation: { ...copied(event.invitation), groupId: event.invitation.id } } }
    case 'invitationAccepted':
      return { type: 'group:change', payload: ids(event.group.id) }
    case 'invitationRejected':
    case 'groupLeft':
    case 'participantAdded':
    case 'participantRemoved':
    case 'participantStatusChanged':
    case 'groupEnded':
      return { type: 'group:change', payload: ids(event.groupId) }
    case 'groupFailed':
      return { type: failureEvents[event.operation] ?? 'group:change', payload: { error: nestedError(event.error), ...(event.groupId === undefined ? {} : ids(event.groupId)) } }
  }
}

const checkId = (groupId: unknown, operation: string): string | undefined => lookupId(groupId, errorCodes.general.BAD_INPUT, `groups.${operation}: the group id must be a string`)

/** The documented `groups` namespace over the groups feature. */
export function groupsApi({ groups }: { readonly groups: GroupsFeature }): Namespace<GroupsApi> {
  // Every getter copies: an app that writes to what it got must not change the state (groups are few; the original SDK copies too).
  const find = (groupId: string | undefined): GroupInfo | undefined =>
    groupId === undefined ? undefined : copied(groups.current().groups.find((group) => group.id === groupId))
  const { commands } = groups
  const api: GroupsApi = {
    create: (params) => commands.create(params),
    fetch: () => commands.fetch(),
    getAll: () => copied(groups.current().groups) as GroupInfo[],
    get: (groupId) => find(checkId(groupId, 'get')),
    // As the original SDK: undefined for a group it does not know.
    getParticipants: (groupId) => find(checkId(groupId, 'getParticipants'))?.participants as Participant[] | undefined,
    getInvitations: () => copied(groups.current().invitations) as GroupInvitation[],
    leave: (groupId) => commands.leave(groupId),
    acceptInvitation: (groupId) => commands.acceptInvitation(groupId),
    rejectInvitation: (groupId) => commands.rejectInvitation(groupId),
    addParticipant: (groupId, participant) => commands.addParticipant(groupId, participant),
    removeParticipant: (groupId, participant) => commands.removeParticipant(groupId, participant),
    delete: (groupId) => commands.delete(groupId),
  }
  return { api, events$: groups.events$.pipe(map(toPublic)) }
}
