import * as E from 'fp-ts/Either'
import { BehaviorSubject, Subject, Subscription, concatMap, distinctUntilChanged, filter, map, type Observable } from 'rxjs'
import type { ConfigFeature } from '../config/feature.js'
import type { AuthUser, InboundNotification, PlatformLink } from '../connection/link.js'
import { settle } from '../outcome.js'
import { BasicError, errorCodes } from '../errors.js'
import type { Feature } from '../feature.js'
import type { Logs } from '../logs/logger.js'
import { GroupEventNotification, GroupInvitationNotification, ParticipantStatusNotification, notifiedGroupId } from './codecs.js'
import * as requests from './requests.js'
import { groupsReducer, initialGroupsState, toGroup, toParticipant, type Group, type GroupEvent, type GroupOperation, type GroupsState } from './state.js'

export interface GroupsDeps {
  readonly config: ConfigFeature
  readonly logs: Logs
  readonly link: PlatformLink
}

export interface GroupsCommands {
  /** Creates a group with the user as administrator; `params.name` is required. Outcome: `groupCreated`. */
  readonly create: (params: unknown) => void
  /** Replaces the known groups with the platform's list. Outcome: `groupsFetched`. */
  readonly fetch: () => void
  readonly leave: (groupId: unknown) => void
  readonly acceptInvitation: (groupId: unknown) => void
  readonly rejectInvitation: (groupId: unknown) => void
  readonly addParticipant: (groupId: unknown, participant: unknown) => void
  readonly removeParticipant: (groupId: unknown, participant: unknown) => void
  readonly delete: (groupId: unknown) => void
}

export interface GroupsFeature extends Feature<GroupsState, GroupEvent, GroupsCommands> {
  /** Hot; the groups the user belongs to. */
  readonly groups$: Observable<readonly Group[]>
  readonly current: () => GroupsState
  readonly dispose: () => void
}

const missing = (what: string): BasicError => new BasicError(errorCodes.groups.MISSING_PARAMETERS, `Missing ${what}`)
const badInput = (message: string): BasicError => new BasicError(errorCodes.general.BAD_INPUT, message)

/** A required string argument: `groups:3` when absent or empty, `BAD_INPUT` when of another type. */
const requiredString = (value: unknown, what: string): E.Either<BasicError, string> =>
  value === undefined || value === null || value === ''
    ? E.left(missing(what))
    : typeof value === 'string'
      ? E.right(value)
      : E.left(badInput(`The ${what} must be a string`))

const optionalString = (params: Record<string, unknown>, key: string): E.Either<BasicError, string | undefined> => {
  const value = params[key]
  return value === undefined || value === null ? E.right(undefined) : typeof value === 'string' ? E.right(value) : E.left(badInput(`groups.create: params.${key} must be a string`))
}

/** Participants as strings or `{ address }` objects (Recommendation of §2.2), as addresses. */
const participantAddresses = (value: unknown): E.Either<BasicError, readonly string[]> => {
  if (value === undefined || value === null) return E.right([])
  if (!Array.isArray(value)) return E.left(badInput('groups.create: params.participants must be an array of user ids'))
  const addresses: string[] = []
  for (const entry of value) {
    const address = typeof entry === 'object' && entry !== null ? (entry as { address?: unknown }).address : entry
    if (typeof address !== 'string' || address === '') return E.left(badInput('groups.create: each participant must be a user id or { address }'))
    if (!addresses.includes(address)) addresses.push(address)
  }
  return E.right(addresses)
}

/** Groups: the user's groups and invitations, kept in step with the platform's chat notifications. */
export function createGroups({ config, logs, link }: GroupsDeps): GroupsFeature {
  const logger = logs.logger('groups')
  const state = new BehaviorSubject<GroupsState>(initialGroupsState)
  const events = new Subject<GroupEvent>()
  const running = new Subscription()

  const dispatch = (event: GroupEvent): void => {
    const previous = state.getValue()
    const next = groupsReducer(previous, event)
    logger.action(event, previous, next)
    if (next !== previous) state.next(next)
    events.next(event)
  }
  const fail = (operation: GroupOperation, error: BasicError, groupId?: string): void =>
    dispatch(groupId === undefined ? { type: 'groupFailed', operation, error } : { type: 'groupFailed', operation, error, groupId })

  const scope = (operation: string): E.Either<BasicError, { scope: requests.GroupScope; user: AuthUser }> => {
    const user = link.user()
    return user === undefined
      ? E.left(badInput(`${operation} request failed: no user (set tokens first)`))
      : E.right({ scope: { version: config.current().authentication.server.version, userId: user.username }, user })
  }
  /** The user's own address: the `services-identity` claim (§2), or the username without one. */
  const ownIdentity = (user: AuthUser): string => user.identity ?? user.username

  const run = <A>(request$: Observable<A>, next: (value: A) => void, error: (error: BasicError) => void): void => settle(running, request$, next, error)

  const create = (params: unknown): void => {
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return fail('create', missing('group parameters (params.name)'))
    const given = params as Record<string, unknown>
    const name = requiredString(given.name, 'group name')
    if (E.isLeft(name)) return fail('create', name.left)
    const participants = participantAddresses(given.participants)
    if (E.isLeft(participants)) return fail('create', participants.left)
    const subject = optionalString(given, 'subject')
    if (E.isLeft(subject)) return fail('create', subject.left)
    const image = optionalString(given, 'image')
    if (E.isLeft(image)) return fail('create', image.left)
    const type = optionalString(given, 'type')
    if (E.isLeft(type)) return fail('create', type.left)
    const where = scope('Create group')
    if (E.isLeft(where)) return fail('create', where.left)
    const owner = ownIdentity(where.right.user)
    const group = {
      owner,
      participants: participants.right.filter((address) => address !== owner),
      name: name.right,
      ...(subject.right === undefined ? {} : { subject: subject.right }),
      ...(image.right === undefined ? {} : { image: image.right }),
      ...(type.right === undefined ? {} : { type: type.right }),
    }
    run(
      requests.createGroup(link, where.right.scope, group),
      (created) => dispatch({ type: 'groupCreated', group: toGroup(created) }),
      (error) => fail('create', error),
    )
  }

  const fetch = (): void => {
    const where = scope('Fetch groups')
    if (E.isLeft(where)) return fail('fetch', where.left)
    run(
      requests.fetchGroups(link, where.right.scope),
      (groups) => dispatch({ type: 'groupsFetched', groups: groups.map(toGroup) }),
      (error) => fail('fetch', error),
    )
  }

  /** Checks the group id and the user, then runs `effect` with them. */
  const withGroup =
    (operation: GroupOperation, name: string, effect: (groupId: string, where: { scope: requests.GroupScope; user: AuthUser }) => void) =>
    (groupId: unknown): void => {
      const id = requiredString(groupId, 'group id')
      if (E.isLeft(id)) return fail(operation, id.left)
      const where = scope(name)
      if (E.isLeft(where)) return fail(operation, where.left, id.right)
      effect(id.right, where.right)
    }

  const leave = withGroup('leave', 'Leave group', (groupId, { scope: at, user }) =>
    run(
      requests.removeParticipant(link, at, groupId, ownIdentity(user), 'Leave group'),
      () => dispatch({ type: 'groupLeft', groupId }),
      (error) => fail('leave', error, groupId),
    ),
  )

  const acceptInvitation = withGroup('acceptInvitation', 'Accept Invitation', (groupId, { scope: at, user }) =>
    run(
      requests.acceptInvitation(link, at, groupId, ownIdentity(user)).pipe(concatMap(() => requests.fetchGroup(link, at, groupId))),
      (group) => dispatch({ type: 'invitationAccepted', group: toGroup(group) }),
      (error) => fail('acceptInvitation', error, groupId),
    ),
  )

  const rejectInvitation = withGroup('rejectInvitation', 'Reject Invitation', (groupId, { scope: at, user }) =>
    run(
      requests.removeParticipant(link, at, groupId, ownIdentity(user), 'Reject Invitation'),
      () => dispatch({ type: 'invitationRejected', groupId }),
      (error) => fail('rejectInvitation', error, groupId),
    ),
  )

  const deleteGroup = withGroup('delete', 'Delete Group', (groupId, { scope: at }) =>
    run(
      requests.deleteGroup(link, at, groupId),
      () => dispatch({ type: 'groupDeleted', groupId, group: state.getValue().groups.find((group) => group.id === groupId) }),
      (error) => fail('delete', error, groupId),
    ),
  )

  const participantCommand =
    (operation: 'addParticipant' | 'removeParticipant') =>
    (groupId: unknown, participant: unknown): void => {
      const address = requiredString(participant, 'participant')
      withGroup(operation, operation === 'addParticipant' ? 'Add Participant' : 'Remove participant', (id, { scope: at }) => {
        if (E.isLeft(address)) return fail(operation, address.left, id)
        if (operation === 'addParticipant') {
          run(
            requests.addParticipant(link, at, id, address.right),
            (added) => dispatch({ type: 'participantAdded', groupId: id, participant: toParticipant(added) }),
            (error) => fail(operation, error, id),
          )
        } else {
          run(
            requests.removeParticipant(link, at, id, address.right, 'Remove participant'),
            () => dispatch({ type: 'participantRemoved', groupId: id, address: address.right }),
            (error) => fail(operation, error, id),
          )
        }
      })(groupId)
    }

  /** A group notification that fails its codec or names no group: logged and reported. */
  const malformed = (notification: InboundNotification): void => {
    logger.warn(`Dropped a malformed ${notification.kind}`, notification.id)
    fail('notification', badInput(`A ${notification.kind} could not be read`))
  }

  const onNotification = (notification: InboundNotification): void => {
    switch (notification.kind) {
      case 'groupChatSessionInvitationNotification': {
        const decoded = GroupInvitationNotification.decode(notification.body)
        const groupId = E.isRight(decoded) ? notifiedGroupId(decoded.right.link) : undefined
        if (E.isLeft(decoded) || groupId === undefined) return malformed(notification)
        const { participant, 'x-name': name } = decoded.right
        return dispatch({ type: 'invitationReceived', invitation: { id: groupId, name, participants: participant.map(toParticipant) } })
      }
      case 'chatParticipantStatusNotification': {
        const decoded = ParticipantStatusNotification.decode(notification.body)
        const groupId = E.isRight(decoded) ? notifiedGroupId(decoded.right.link) : undefined
        if (E.isLeft(decoded) || groupId === undefined) return malformed(notification)
        return dispatch({ type: 'participantStatusChanged', groupId, participant: toParticipant(decoded.right.participant[0]!) })
      }
      case 'chatEventNotification': {
        const decoded = GroupEventNotification.decode(notification.body)
        const groupId = E.isRight(decoded) ? notifiedGroupId(decoded.right.link) : undefined
        if (E.isLeft(decoded) || groupId === undefined) return malformed(notification)
        const { eventType } = decoded.right
        // Any other event type would wipe the reference's groups; ours ignores it.
        if (eventType !== 'SessionEnded' && eventType !== 'SessionCancelled') return logger.warn(`Ignored a group event of type ${eventType}`)
        return dispatch({ type: 'groupEnded', groupId, eventType })
      }
    }
  }

  const kinds = new Set(['groupChatSessionInvitationNotification', 'chatParticipantStatusNotification', 'chatEventNotification'])
  running.add(link.notifications$.pipe(filter((notification) => kinds.has(notification.kind))).subscribe(onNotification))

  return {
    state$: state.asObservable(),
    events$: events.asObservable(),
    groups$: state.pipe(
      map((current) => current.groups),
      distinctUntilChanged(),
    ),
    current: () => state.getValue(),
    commands: {
      create,
      fetch,
      leave,
      acceptInvitation,
      rejectInvitation,
      addParticipant: participantCommand('addParticipant'),
      removeParticipant: participantCommand('removeParticipant'),
      delete: deleteGroup,
    },
    dispose: () => {
      running.unsubscribe()
      events.complete()
      state.complete()
    },
  }
}
