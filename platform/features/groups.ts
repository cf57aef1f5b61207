import type { Account, PlatformContext, PlatformReply } from '../context.js'
import { notFound, policyError, serviceError } from '../context.js'
import { AddParticipantRequest, CreateGroupRequest, ParticipantStatusRequest } from '../../streams/groups/codecs.js'
import { forgetGroupHistory } from './messaging/conversations.js'

type ParticipantStatus = 'Invited' | 'Connected' | 'Disconnected'

interface StoredParticipant {
  /** The participant's public address (`services-identity`). */
  readonly address: string
  /** The account behind the address: who gets notified. */
  readonly userId: string
  readonly isAdmin: boolean
  status: ParticipantStatus
}

interface StoredGroup {
  readonly id: string
  readonly name: string
  readonly subject?: string
  readonly image?: string
  readonly type: string
  readonly participants: StoredParticipant[]
}

interface GroupsData {
  /** By group id (ids come from `ctx.id()`). */
  readonly groups: Record<string, StoredGroup>
}

const groupsOf = (ctx: PlatformContext) => ctx.persisted<GroupsData>('groups', () => ({ groups: {} }))

/**
 * The userIds of the ACTIVE (`Connected`) participants of a group, or undefined for an unknown
 * group: who receives a group chat message (`notifications.md` §9).
 */
export function groupParticipants(ctx: PlatformContext, groupId: string): string[] | undefined {
  const { groups } = groupsOf(ctx).value
  if (!Object.hasOwn(groups, groupId)) return undefined
  return groups[groupId]!.participants.filter((participant) => participant.status === 'Connected').map((participant) => participant.userId)
}

const adminOnly = (what: string): PlatformReply => policyError(403, 'POL0001', 'A policy error occurred. Error code is %1', [`only the group administrator may ${what}`])
const conflict = (what: string): PlatformReply => serviceError(409, 'SVC0003', 'Invalid input value for message part %1: %2', [what, 'already present'])

/**
 * Groups (`protocol/presence-groups-users.md` §2): create, list, get, delete, participants,
 * invitations; invitations, participant status and group events go to the members through the
 * `chat` service (`notifications.md` §8, §9). Only the administrator may add or remove others
 * and delete; the administrator may not leave.
 */
export function groupsFeature(ctx: PlatformContext): void {
  const store = groupsOf(ctx)
  const { groups } = store.value

  const groupURL = (recipient: string, group: StoredGroup): string => `/cpaas/chat/v1/${recipient}/group/${group.id}`
  const wireParticipant = (recipient: string, group: StoredGroup, participant: StoredParticipant) => ({
    address: participant.address,
    'x-isAdmin': participant.isAdmin,
    status: participant.status,
    resourceURL: `${groupURL(recipient, group)}/participants/${participant.address}`,
  })
  /** The group object of §2.1 as `recipient` sees it (participants who left are not listed). */
  const wireGroup = (recipient: string, group: StoredGroup) => ({
    resourceURL: groupURL(recipient, group),
    'x-name': group.name,
    ...(group.subject === undefined ? {} : { subject: group.subject }),
    ...(group.image === undefined ? {} : { 'x-image': group.image }),
    'x-type': group.type,
    participant: group.participants.filter((p) => p.status !== 'Disconnected').map((p) => wireParticipant(recipient, group, p)),
  })
  const link = (recipient: string, group: StoredGroup) => [{ rel: 'groupChatSessionInformation', href: groupURL(recipient, group) }]

  const groupOf = (groupId: string): StoredGroup | undefined => (Object.hasOwn(groups, groupId) ? groups[groupId] : undefined)
  const memberOf = (group: StoredGroup, user: Account): StoredParticipant | undefined =>
    group.participants.find((participant) => participant.userId === user.userId && participant.status !== 'Disconnected')
  const byAddress = (group: StoredGroup, address: string): StoredParticipant | undefined => {
    const userId = ctx.accounts.find(address)?.userId ?? address
    return group.participants.find((participant) => participant.userId === userId || participant.address === address)
  }

  const invite = (group: StoredGroup, participant: StoredParticipant): void =>
    ctx.notify(participant.userId, 'chat', {
      groupChatSessionInvitationNotification: {
        'x-name': group.name,
        ...(group.subject === undefined ? {} : { subject: group.subject }),
        participant: group.participants.filter((p) => p.status !== 'Disconnected').map((p) => wireParticipant(participant.userId, group, p)),
        link: link(participant.userId, group),
      },
    })

  /** Tells the connected members (but `except`) that `participant`'s status changed. */
  const statusChanged = (group: StoredGroup, participant: StoredParticipant, except: string): void => {
    for (const member of group.participants) {
      if (member.status !== 'Connected' || member.userId === except || member.userId === participant.userId) continue
      ctx.notify(member.userId, 'chat', {
        chatParticipantStatusNotification: {
          dateTime: ctx.now(),
          'x-name': group.name,
          participant: [wireParticipant(member.userId, group, participant)],
          link: link(member.userId, group),
        },
      })
    }
  }

  /** `SessionEnded` to a member, `SessionCancelled` to someone only invited. */
  const ended = (group: StoredGroup, participant: StoredParticipant, wasStatus: ParticipantStatus): void => {
    if (wasStatus === 'Disconnected') return
    ctx.notify(participant.userId, 'chat', {
      chatEventNotification: { eventType: wasStatus === 'Connected' ? 'SessionEnded' : 'SessionCancelled', link: link(participant.userId, group) },
    })
  }

  ctx.route('POST', '/cpaas/chat/:version/:userId/group', { body: CreateGroupRequest }, ({ body, user }) => {
    const info = body.groupChatSessionInformation
    const name = info['x-name']
    if (name === undefined || name.trim() === '') return serviceError(400, 'SVC0002', 'Invalid input value for message part %1', ['x-name'])
    const participants: StoredParticipant[] = [{ address: user.identity, userId: user.userId, isAdmin: true, status: 'Connected' }]
    for (const { address } of info.participant) {
      const account = ctx.accounts.find(address)
      if (account === undefined) return notFound(address)
      if (participants.some((known) => known.userId === account.userId)) continue
      participants.push({ address: account.identity, userId: account.userId, isAdmin: false, status: 'Invited' })
    }
    const group: StoredGroup = {
      id: ctx.id(),
      name,
      ...(info.subject === undefined ? {} : { subject: info.subject }),
      ...(info['x-image'] === undefined ? {} : { image: info['x-image'] }),
      // Any case is accepted; only closed groups exist.
      type: (info['x-type'] ?? 'closed').toLowerCase(),
      participants,
    }
    groups[group.id] = group
    store.save()
    for (const participant of participants) if (participant.status === 'Invited') invite(group, participant)
    return { status: 201, body: { groupChatSessionInformation: wireGroup(user.userId, group) } }
  })

  ctx.route('GET', '/cpaas/chat/:version/:userId/group', {}, ({ user }) => ({
    status: 200,
    body: {
      groupChatSessionInformationList: {
        groupChatSessionInformation: Object.values(groups)
          .filter((group) => memberOf(group, user)?.status === 'Connected')
          .map((group) => wireGroup(user.userId, group)),
      },
    },
  }))

  ctx.route('GET', '/cpaas/chat/:version/:userId/group/:groupId', {}, ({ user, params }) => {
    const group = groupOf(params.groupId!)
    // Invitees see the group only once they accepted (§2.4).
    if (group === undefined || memberOf(group, user)?.status !== 'Connected') return notFound(params.groupId!)
    return { status: 200, body: { groupChatSessionInformation: wireGroup(user.userId, group) } }
  })

  ctx.route('DELETE', '/cpaas/chat/:version/:userId/group/:groupId', {}, ({ user, params }) => {
    const group = groupOf(params.groupId!)
    const me = group === undefined ? undefined : memberOf(group, user)
    if (group === undefined || me === undefined) return notFound(params.groupId!)
    if (!me.isAdmin) {
      // The same URL deletes a group conversation (messaging.md §8): for anyone but the administrator, leave and forget its history.
      if (me.status !== 'Disconnected') {
        me.status = 'Disconnected'
        store.save()
        statusChanged(group, me, user.userId)
      }
      forgetGroupHistory(ctx, user.userId, group.id)
      return { status: 204 }
    }
    delete groups[group.id]
    store.save()
    for (const participant of group.participants) if (participant !== me) ended(group, participant, participant.status)
    return { status: 204 }
  })

  ctx.route('POST', '/cpaas/chat/:version/:userId/group/:groupId/participants', { body: AddParticipantRequest }, ({ body, user, params }) => {
    const group = groupOf(params.groupId!)
    const me = group === undefined ? undefined : memberOf(group, user)
    if (group === undefined || me?.status !== 'Connected') return notFound(params.groupId!)
    if (!me.isAdmin) return adminOnly('add participants')
    const { address } = body.participantInformation
    const account = ctx.accounts.find(address)
    if (account === undefined) return notFound(address)
    const known = byAddress(group, account.userId)
    if (known !== undefined && known.status !== 'Disconnected') return conflict(address)
    const participant: StoredParticipant = { address: account.identity, userId: account.userId, isAdmin: false, status: 'Invited' }
    if (known !== undefined) group.participants.splice(group.participants.indexOf(known), 1)
    group.participants.push(participant)
    store.save()
    invite(group, participant)
    statusChanged(group, participant, user.userId)
    return { status: 201, body: { participantInformation: wireParticipant(user.userId, group, participant) } }
  })

  ctx.route('DELETE', '/cpaas/chat/:version/:userId/group/:groupId/participants/:address', {}, ({ user, params }) => {
    const group = groupOf(params.groupId!)
    const me = group === undefined ? undefined : memberOf(group, user)
    if (group === undefined || me === undefined) return notFound(params.groupId!)
    const target = byAddress(group, params.address!)
    if (target === undefined || target.status === 'Disconnected') return notFound(params.address!)
    if (target === me) {
      // Leaving (or rejecting an invitation): the administrator may only delete the group.
      if (me.isAdmin) return adminOnly('not leave the group; delete it instead')
    } else {
      if (!me.isAdmin || me.status !== 'Connected') return adminOnly('remove participants')
    }
    const wasStatus = target.status
    target.status = 'Disconnected'
    store.save()
    statusChanged(group, target, user.userId)
    if (target !== me) ended(group, target, wasStatus)
    return { status: 204 }
  })

  ctx.route('PUT', '/cpaas/chat/:version/:userId/group/:groupId/participants/:address/status', { body: ParticipantStatusRequest }, ({ body, user, params }) => {
    const group = groupOf(params.groupId!)
    const me = group === undefined ? undefined : memberOf(group, user)
    if (group === undefined || me === undefined) return notFound(params.groupId!)
    if (byAddress(group, params.address!) !== me) return policyError(403, 'POL0001', 'A policy error occurred. Error code is %1', ['only the participant may change their status'])
    if (body.participantSessionStatus.status !== 'Connected') return serviceError(400, 'SVC0002', 'Invalid input value for message part %1', ['participantSessionStatus.status'])
    if (me.status !== 'Connected') {
      me.status = 'Connected'
      store.save()
      statusChanged(group, me, user.userId)
    }
    return { status: 200, body: { participantSessionStatus: { status: 'Connected' } } }
  })
}
