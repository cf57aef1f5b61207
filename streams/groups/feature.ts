import * as E from 'fp-ts/Either'
import type * as t from 'io-ts'
import { Subscription, concatMap, filter, type Observable } from 'rxjs'
import type { AuthUser, InboundNotification } from '../connection/link.js'
import { BasicError, badInput, errorCodes } from '../errors.js'
import { deepFrozen, frozenStates, selectFrozen, storeFeature, type FeatureDeps, type StoreFeature } from '../feature.js'
import { isAbsent, isId, isRecord } from '../guards.js'
import { inOrder, userRequests } from '../outcome.js'
import { definedFields } from '../record.js'
import { createStore, echoing } from '../store.js'
import { GroupEventNotification, GroupInvitationNotification, ParticipantStatusNotification, notifiedGroupId } from './codecs.js'
import * as requests from './requests.js'
import { groupsReducer, initialGroupsState, toGroup, toParticipant, type Group, type GroupEvent, type GroupOperation, type GroupParams, type GroupsState } from './state.js'

export type GroupsDeps = Pick<FeatureDeps, 'config' | 'logs' | 'link'>

export interface GroupsCommands {
  /** Creates a group with the user as administrator; `params.name` is required. Outcome: `groupCreated`. */
  readonly create: (params: GroupParams) => void
  /** Replaces the known groups with the platform's list. Outcome: `groupsFetched`. */
  readonly fetch: () => void
  readonly leave: (groupId: string) => void
  readonly acceptInvitation: (groupId: string) => void
  readonly rejectInvitation: (groupId: string) => void
  readonly addParticipant: (groupId: string, participant: string) => void
  readonly removeParticipant: (groupId: string, participant: string) => void
  readonly delete: (groupId: string) => void
}

export interface GroupsFeature extends StoreFeature<GroupsState, GroupEvent, GroupsCommands> {
  /** Hot; the groups the user belongs to. */
  readonly groups$: Observable<readonly Group[]>
}

const missing = (what: string): BasicError => new BasicError(errorCodes.groups.MISSING_PARAMETERS, `Missing ${what}`)

/** A required string argument (the app may pass anything): `groups:3` when absent or empty, `BAD_INPUT` when of another type. */
const requiredString = (value: unknown, what: string): E.Either<BasicError, string> =>
  isAbsent(value) || value === '' ? E.left(missing(what)) : typeof value === 'string' ? E.right(value) : E.left(badInput(`The ${what} must be a string`))

/** Participants as strings or `{ address }` objects (Recommendation of §2.2), as addresses. */
const participantAddresses = (value: unknown): E.Either<BasicError, readonly string[]> => {
  if (isAbsent(value)) return E.right([])
  if (!Array.isArray(value)) return E.left(badInput('groups.create: params.participants must be an array of user ids'))
  const addresses = value.map((entry: unknown) => (isRecord(entry) ? entry.address : entry))
  if (!addresses.every(isId)) return E.left(badInput('groups.create: each participant must be a user id or { address }'))
  return E.right([...new Set(addresses)])
}

const optionalFields = ['subject', 'image', 'type'] as const

/** The group `params` describe (the app may pass anything), or what is wrong with them. */
const newGroup = (params: unknown): E.Either<BasicError, requests.NewGroup> => {
  if (!isRecord(params)) return E.left(missing('group parameters (params.name)'))
  const name = requiredString(params.name, 'group name')
  if (E.isLeft(name)) return name
  const participants = participantAddresses(params.participants)
  if (E.isLeft(participants)) return participants
  const wrong = optionalFields.find((key) => !isAbsent(params[key]) && typeof params[key] !== 'string')
  if (wrong !== undefined) return E.left(badInput(`groups.create: params.${wrong} must be a string`))
  const given = Object.fromEntries(optionalFields.filter((key) => typeof params[key] === 'string').map((key) => [key, params[key]]))
  return E.right({ participants: participants.right, name: name.right, ...given })
}

/** What a group notification body makes: its event, a reason to ignore it (a string), or undefined when it fails its codec or names no group. */
const reading =
  <A extends { readonly link: readonly { readonly rel: string; readonly href: string }[] }>(codec: t.Decoder<unknown, A>, toEvent: (body: A, groupId: string) => GroupEvent | string) =>
  (body: unknown): GroupEvent | string | undefined => {
    const decoded = codec.decode(body)
    const groupId = E.isRight(decoded) ? notifiedGroupId(decoded.right.link) : undefined
    return E.isLeft(decoded) || groupId === undefined ? undefined : toEvent(decoded.right, groupId)
  }

/** The notifications groups follow, by kind. */
const readers: Readonly<Record<string, (body: unknown) => GroupEvent | string | undefined>> = {
  groupChatSessionInvitationNotification: reading(GroupInvitationNotification, ({ participant, 'x-name': name }, groupId) => ({
    type: 'invitationReceived',
    invitation: { id: groupId, name, participants: participant.map(toParticipant) },
  })),
  chatParticipantStatusNotification: reading(ParticipantStatusNotification, ({ participant }, groupId) => ({
    type: 'participantStatusChanged',
    groupId,
    participant: toParticipant(participant[0]!),
  })),
  // Any other event type would wipe the reference's groups; ours ignores it.
  chatEventNotification: reading(GroupEventNotification, ({ eventType }, groupId) =>
    eventType === 'SessionEnded' || eventType === 'SessionCancelled' ? { type: 'groupEnded', groupId, eventType } : `Ignored a group event of type ${eventType}`,
  ),
}

/** Groups: the user's groups and invitations, kept in step with the platform's chat notifications. */
export function createGroups({ config, logs, link }: GroupsDeps): GroupsFeature {
  const logger = logs.logger('groups')
  const store = createStore(deepFrozen(initialGroupsState), echoing(frozenStates(groupsReducer)), logger)
  const running = new Subscription()
  const dispatch = (event: GroupEvent): void => void store.dispatch(event)
  // One after another: a request sent with the one before it could reach the platform first (a participant removed before being added).
  const request = userRequests(running, link, dispatch, inOrder(running))
  const fail = (operation: GroupOperation, error: BasicError, groupId?: string): void => dispatch({ type: 'groupFailed', operation, error, ...definedFields({ groupId }) })

  const scopeOf = (user: AuthUser): requests.GroupScope => ({ version: config.current().authentication.server.version, userId: user.username, identity: user.identity ?? user.username })

  /** A command on all the user's groups: runs `request$` where they are, once there is a user. */
  const onGroups = <A>(operation: 'create' | 'fetch', name: string, request$: (scope: requests.GroupScope) => Observable<A>, done: (value: A) => GroupEvent): void =>
    request(`${name} request`, (user) => request$(scopeOf(user)), done, (error) => fail(operation, error))

  const create = (params: GroupParams): void => {
    const group = newGroup(params)
    if (E.isLeft(group)) return fail('create', group.left)
    onGroups('create', 'Create group', (scope) => requests.createGroup(link, scope, group.right), (created) => ({ type: 'groupCreated', group: toGroup(created) }))
  }

  const fetch = (): void => onGroups('fetch', 'Fetch groups', (scope) => requests.fetchGroups(link, scope), (groups) => ({ type: 'groupsFetched', groups: groups.map(toGroup) }))

  /** A command on one group: checks the group id (and the participant, for those commands), then runs `request$` with them once there is a user. */
  const onGroup =
    <A>(operation: GroupOperation, name: string, request$: (groupId: string, scope: requests.GroupScope, address: string) => Observable<A>, done: (value: A, groupId: string, address: string) => GroupEvent) =>
    (groupId: string, participant?: string): void => {
      const id = requiredString(groupId, 'group id')
      if (E.isLeft(id)) return fail(operation, id.left)
      const address = operation === 'addParticipant' || operation === 'removeParticipant' ? requiredString(participant, 'participant') : E.right('')
      if (E.isLeft(address)) return fail(operation, address.left, id.right)
      const failure = (error: BasicError): void => fail(operation, error, id.right)
      request(`${name} request`, (user) => request$(id.right, scopeOf(user), address.right), (value) => done(value, id.right, address.right), failure)
    }

  const leaving = (name: 'Leave group' | 'Reject Invitation') => (groupId: string, scope: requests.GroupScope) => requests.removeParticipant(link, scope, groupId, scope.identity, name)
  const commands = {
    leave: onGroup('leave', 'Leave group', leaving('Leave group'), (_, groupId) => ({ type: 'groupLeft', groupId })),
    acceptInvitation: onGroup(
      'acceptInvitation',
      'Accept Invitation',
      (groupId, scope) => requests.acceptInvitation(link, scope, groupId).pipe(concatMap(() => requests.fetchGroup(link, scope, groupId))),
      (group) => ({ type: 'invitationAccepted', group: toGroup(group) }),
    ),
    rejectInvitation: onGroup('rejectInvitation', 'Reject Invitation', leaving('Reject Invitation'), (_, groupId) => ({ type: 'invitationRejected', groupId })),
    delete: onGroup('delete', 'Delete Group', (groupId, scope) => requests.deleteGroup(link, scope, groupId), (_, groupId) => ({
      type: 'groupDeleted',
      groupId,
      group: store.current().groups.find((group) => group.id === groupId),
    })),
    addParticipant: onGroup('addParticipant', 'Add Participant', (groupId, scope, address) => requests.addParticipant(link, scope, groupId, address), (added, groupId) => ({
      type: 'participantAdded',
      groupId,
      participant: toParticipant(added),
    })),
    removeParticipant: onGroup(
      'removeParticipant',
      'Remove participant',
      (groupId, scope, address) => requests.removeParticipant(link, scope, groupId, address, 'Remove participant'),
      (_, groupId, address) => ({ type: 'participantRemoved', groupId, address }),
    ),
  }

  /** Applies one group notification: its event, or a warning; a malformed one is logged and reported. */
  const onNotification = (notification: InboundNotification): void => {
    const event = readers[notification.kind]!(notification.body)
    if (typeof event === 'string') return logger.warn(event)
    if (event !== undefined) return dispatch(event)
    logger.warn(`Dropped a malformed ${notification.kind}`, notification.id)
    fail('notification', badInput(`A ${notification.kind} could not be read`))
  }
  running.add(link.notifications$.pipe(filter((notification) => Object.hasOwn(readers, notification.kind))).subscribe(onNotification))

  return {
    ...storeFeature(store, running),
    groups$: selectFrozen(store.state$, (state) => state.groups),
    commands: { create, fetch, ...commands },
  }
}
