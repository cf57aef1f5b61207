import type { Account, PlatformContext, PlatformReply } from '../../context.js'
import { notFound } from '../../context.js'
import { forbidden } from '../../errors.js'
import { groupParticipants } from '../groups.js'
import type { SessionKind } from './conversations.js'

/** Who a chat message (or typing indicator) goes to, and where each party files it. */
export interface Delivery {
  /** userIds of the other parties, with the session each of them files the message under. */
  readonly recipients: readonly { readonly userId: string; readonly kind: SessionKind; readonly remote: string; readonly local: string }[]
  /** The sender's session. */
  readonly kind: SessionKind
  readonly remote: string
  /** `x-destinationAddress` of the message. */
  readonly destination: string
}

/** A 1:1 conversation with any address form of a user (a note to oneself has no recipient). */
export const oneToOne = (ctx: PlatformContext, user: Account, peerAddress: string): Delivery | PlatformReply => {
  const peer = ctx.accounts.find(peerAddress)
  if (peer === undefined) return notFound(peerAddress)
  const recipients = peer.userId === user.userId ? [] : [{ userId: peer.userId, kind: 'oneToOne' as const, remote: user.identity, local: peer.identity }]
  return { recipients, kind: 'oneToOne', remote: peer.identity, destination: peer.identity }
}

/** A group conversation: the sender must be a connected participant; the others receive. */
export const group = (ctx: PlatformContext, user: Account, groupId: string): Delivery | PlatformReply => {
  const participants = groupParticipants(ctx, groupId)
  if (participants === undefined) return notFound(groupId)
  if (!participants.includes(user.userId)) return forbidden(`${user.identity} is not a connected participant of group ${groupId}`)
  const recipients = participants
    .filter((userId) => userId !== user.userId)
    .map((userId) => ({ userId, kind: 'group' as const, remote: groupId, local: ctx.accounts.find(userId)?.identity ?? userId }))
  return { recipients, kind: 'group', remote: groupId, destination: groupId }
}

export const isDelivery = (value: Delivery | PlatformReply): value is Delivery => 'recipients' in value
