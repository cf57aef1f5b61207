import type { Account, PlatformContext, PlatformReply } from '../context.js'
import { notFound, serviceError } from '../context.js'
import { badInput, forbidden } from '../errors.js'
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

const adminOnly = (what: string): PlatformReply => forbidden(`only the group administrator may ${what}`)
const conflict = (what: string): PlatformReply => serviceError(409, 'SVC0003', 'Invalid input value for message part %1: %2', [what, 'already present'])

const groupURL = (recipient: string, group: StoredGroup): string => `/cpaas/chat/v1/${recipient}/group/${group.id}`
const link = (recipient: string, group: StoredGroup) => [{ rel: 'groupChatSessionInformation', href: groupURL(recipient, group) }]
const wireParticipant = (recipient: string, group: StoredGroup, participant: StoredParticipant) => ({
  address: participant.address,
  'x-isAdmin': participant.isAdmin,
  status: participant.status,
  resourceURL: `${groupURL(recipient, group)}/participants/${participant.address}`,
})
/** The participants `recipient` is shown (those who left are not listed). */
const shownParticipants = (recipient: string, group: StoredGroup) =>
  group.participants.filter((p) => p.status !== 'Disconnected').map((p) => wireParticipant(recipient, group, p))
/** The group object of §2.1 as `recipient` sees it. */
const wireGroup = (recipient: string, group: StoredGroup) => ({
  resourceURL: groupURL(recipient, group),
  'x-name': group.name,
  ...(group.subject === undefined ? {} : { subject: group.subject }),
  ...(group.image === undefined ? {} : { 'x-image': group.image }),
  'x-type': group.type,
  participant: shownParticipants(recipient, group),
})

/** The stored groups, and the `chat` notifications about them (`notifications.md` §8). */
interface GroupBook {
  readonly groups: Record<string, StoredGroup>
  save(): void
  groupOf(groupId: string): StoredGroup | undefined
  /** The user's participation, unless they left. */
  memberOf(group: StoredGroup, user: Account): StoredParticipant | undefined
  byAddress(group: StoredGroup, address: string): StoredParticipant | undefined
  invite(group: StoredGroup, participant: StoredParticipant): void
  /** Tells the connected members (but `except`) that `participant`'s status changed. */
  statusChanged(group: StoredGroup, participant: StoredParticipant, except: string): void
  /** `SessionEnded` to a member, `SessionCancelled` to someone only invited. */
  ended(group: StoredGroup, participant: StoredParticipant, wasStatus: ParticipantStatus): void
}

function groupBook(ctx: PlatformContext): GroupBook {
  const store = groupsOf(ctx)
  const { groups } = store.value
  return {
    groups,
    save: () => store.save(),
    groupOf: (groupId) => (Object.hasOwn(groups, groupId) ? groups[groupId] : undefined),
    memberOf: (group, user) => group.participants.find((participant) => participant.userId === user.userId && participant.status !== 'Disconnected'),
    byAddress: (group, address) => {
      const userId = ctx.accounts.find(address)?.userId ?? address
      return group.participants.find((participant) => participant.userId === userId || participant.address === address)
    },
    invite: (group, participant) =>
      ctx.notify(participant.userId, 'chat', {
        groupChatSessionInvitationNotification: {
          'x-name': group.name,
          ...(group.subject === undefined ? {} : { subject: group.subject }),
          participant: shownParticipants(participant.userId, group),
          link: link(participant.userId, group),
        },
      }),
    statusChanged: (group, participant, except) => {
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
    },
    ended: (group, participant, wasStatus) => {
      if (wasStatus === 'Disconnected') return
      ctx.notify(participant.userId, 'chat', {
        chatEventNotification: { eventType: wasStatus === 'Connected' ? 'SessionEnded' : 'SessionCancelled', link: link(participant.userId, group) },
      })
    },
  }
}

/** The group of the path and the user's participation in it, when they have not left. */
const membership = (book: GroupBook, groupId: string, user: Account): { group: StoredGroup; me: StoredParticipant } | undefined => {
  const group = book.groupOf(groupId)
  const me = group === undefined ? undefined : book.memberOf(group, user)
  return group === undefined || me === undefined ? undefined : { group, me }
}

/** Create, list, read and delete groups; deleting is leaving for anyone but the administrator. */
function groupRoutes(ctx: PlatformContext, book: GroupBook): void {
  ctx.route('POST', '/cpaas/chat/:version/:userId/group', { body: CreateGroupRequest }, ({ body, user }) => {
    const info = body.groupChatSessionInformation
    const name = info['x-name']
    if (name === undefined || name.trim() === '') return badInput('x-name')
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
    book.groups[group.id] = group
    book.save()
    for (const participant of participants) if (participant.status === 'Invited') book.invite(group, participant)
    return { status: 201, body: { groupChatSessionInformation: wireGroup(user.userId, group) } }
  })

  ctx.route('GET', '/cpaas/chat/:version/:userId/group', {}, ({ user }) => {
    const mine = Object.values(book.groups).filter((group) => book.memberOf(group, user)?.status === 'Connected')
    return { status: 200, body: { groupChatSessionInformationList: { groupChatSessionInformation: mine.map((group) => wireGroup(user.userId, group)) } } }
  })

  ctx.route('GET', '/cpaas/chat/:version/:userId/group/:groupId', {}, ({ user, params }) => {
    const found = membership(book, params.groupId!, user)
    // Invitees see the group only once they accepted (§2.4).
    if (found?.me.status !== 'Connected') return notFound(params.groupId!)
    return { status: 200, body: { groupChatSessionInformation: wireGroup(user.userId, found.group) } }
  })

  ctx.route('DELETE', '/cpaas/chat/:version/:userId/group/:groupId', {}, ({ user, params }) => {
    const found = membership(book, params.groupId!, user)
    if (found === undefined) return notFound(params.groupId!)
    const { group, me } = found
    if (!me.isAdmin) {
      // The same URL deletes a group conversation (messaging.md §8): for anyone but the administrator, leave and forget its history.
      if (me.status !== 'Disconnected') {
        me.status = 'Disconnected'
        book.save()
        book.statusChanged(group, me, user.userId)
      }
      forgetGroupHistory(ctx, user.userId, group.id)
      return { status: 204 }
    }
    delete book.groups[group.id]
    book.save()
    for (const participant of group.participants) if (participant !== me) book.ended(group, participant, participant.status)
    return { status: 204 }
  })
}

/** Add, remove (or leave) and accept: only the administrator may add or remove others, and may not leave. */
function participantRoutes(ctx: PlatformContext, book: GroupBook): void {
  const participants = '/cpaas/chat/:version/:userId/group/:groupId/participants'
  ctx.route('POST', participants, { body: AddParticipantRequest }, ({ body, user, params }) => {
    const found = membership(book, params.groupId!, user)
    if (found?.me.status !== 'Connected') return notFound(params.groupId!)
    const { group, me } = found
    if (!me.isAdmin) return adminOnly('add participants')
    const { address } = body.participantInformation
    const account = ctx.accounts.find(address)
    if (account === undefined) return notFound(address)
    const known = book.byAddress(group, account.userId)
    if (known !== undefined && known.status !== 'Disconnected') return conflict(address)
    const participant: StoredParticipant = { address: account.identity, userId: account.userId, isAdmin: false, status: 'Invited' }
    if (known !== undefined) group.participants.splice(group.participants.indexOf(known), 1)
    group.participants.push(participant)
    book.save()
    book.invite(group, participant)
    book.statusChanged(group, participant, user.userId)
    return { status: 201, body: { participantInformation: wireParticipant(user.userId, group, participant) } }
  })

  ctx.route('DELETE', `${participants}/:address`, {}, ({ user, params }) => {
    const found = membership(book, params.groupId!, user)
    if (found === undefined) return notFound(params.groupId!)
    const { group, me } = found
    const target = book.byAddress(group, params.address!)
    if (target === undefined || target.status === 'Disconnected') return notFound(params.address!)
    // Leaving (or rejecting an invitation): the administrator may only delete the group.
    if (target === me && me.isAdmin) return adminOnly('not leave the group; delete it instead')
    if (target !== me && (!me.isAdmin || me.status !== 'Connected')) return adminOnly('remove participants')
    const wasStatus = target.status
    target.status = 'Disconnected'
    book.save()
    book.statusChanged(group, target, user.userId)
    if (target !== me) book.ended(group, target, wasStatus)
    return { status: 204 }
  })

  ctx.route('PUT', `${participants}/:address/status`, { body: ParticipantStatusRequest }, ({ body, user, params }) => {
    const found = membership(book, params.groupId!, user)
    if (found === undefined) return notFound(params.groupId!)
    const { group, me } = found
    if (book.byAddress(group, params.address!) !== me) return forbidden('only the participant may change their status')
    if (body.participantSessionStatus.status !== 'Connected') return badInput('participantSessionStatus.status')
    if (me.status !== 'Connected') {
      me.status = 'Connected'
      book.save()
      book.statusChanged(group, me, user.userId)
    }
    return { status: 200, body: { participantSessionStatus: { status: 'Connected' } } }
  })
}

/**
 * Groups (`protocol/presence-groups-users.md` §2): create, list, get, delete, participants,
 * invitations; invitations, participant status and group events go to the members through the
 * `chat` service (`notifications.md` §8, §9).
 */
export function groupsFeature(ctx: PlatformContext): void {
  const book = groupBook(ctx)
  groupRoutes(ctx, book)
  participantRoutes(ctx, book)
}
