import type { Account, PlatformContext, PlatformReply } from '../../context.js'
import { badInput } from '../../errors.js'
import { groupParticipants } from '../groups.js'
import { peerAddress, smsThread, type Conversations, type SessionAddress, type StoredMessage, type StoredSession } from './conversations.js'
import { page, pageQuery } from './paging.js'
import { chatMessageURL, smsThreadPath, type MessagingWire } from './wire.js'

/** One page of a conversation's history (the conversation's `lastPullTime` is now), or a 400 naming the bad parameter. */
function pulled(ctx: PlatformContext, conversations: Conversations, user: Account, where: SessionAddress, query: URLSearchParams): { items: readonly StoredMessage[]; next?: string } | PlatformReply {
  const asked = pageQuery(query)
  if (typeof asked === 'string') return badInput(asked)
  const session = conversations.find(user.userId, where)
  const { items, next } = page(session?.messages ?? [], asked)
  if (session !== undefined) {
    session.lastPullTime = ctx.now()
    conversations.save()
  }
  return { items, ...(next === undefined ? {} : { next }) }
}

const lastOf = (session: StoredSession): StoredMessage | undefined => session.messages[session.messages.length - 1]

/** Conversation lists and paged history of chat (1:1, group): `messaging.md` §7. */
export function chatHistoryRoutes(ctx: PlatformContext, conversations: Conversations, wire: MessagingWire): void {
  const sessionList = (user: Account, kind: 'oneToOne' | 'group'): PlatformReply => {
    // A deleted group's conversation goes with it (its `DELETE .../group/<id>` is the groups module's).
    const sessions = conversations.list(user.userId, kind).filter((session) => kind !== 'group' || groupParticipants(ctx, session.remote) !== undefined)
    const chatSession = sessions.map((session) => {
      const last = lastOf(session)
      return {
        sessionId: session.sessionId,
        sessionType: kind,
        remoteAddress: session.remote,
        localAddress: session.local,
        sessionDetails: {
          ...(last?.text === undefined ? {} : { lastText: last.text }),
          ...(last === undefined ? {} : { lastMessageTime: last.dateTime }),
          lastPullTime: session.lastPullTime,
        },
      }
    })
    return { status: 200, body: { chatSessionList: { chatSession } } }
  }
  const history = (user: Account, kind: 'oneToOne' | 'group', remote: string, query: URLSearchParams, origin: string): PlatformReply => {
    const found = pulled(ctx, conversations, user, { kind, remote, local: user.identity }, query)
    if ('status' in found) return found
    const { items, ...next } = found
    const chatMessage = items.map((message) => ({ resourceURL: chatMessageURL(user.userId, { kind, remote }, message.id), ...wire.chatBody(message, origin), status: message.status }))
    return { status: 200, body: { chatMessageList: { chatMessage, ...next } } }
  }
  ctx.route('GET', '/cpaas/chat/:version/:userId/oneToOne/sessions', {}, ({ user }) => sessionList(user, 'oneToOne'))
  ctx.route('GET', '/cpaas/chat/:version/:userId/group/sessions', {}, ({ user }) => sessionList(user, 'group'))
  ctx.route('GET', '/cpaas/chat/:version/:userId/oneToOne/:peer/adhoc/messages', {}, ({ user, params, query, origin }) =>
    history(user, 'oneToOne', peerAddress(ctx, params.peer!), query, origin),
  )
  ctx.route('GET', '/cpaas/chat/:version/:userId/group/:groupId/messages', {}, ({ user, params, query, origin }) => history(user, 'group', params.groupId!, query, origin))
}

/** SMS thread list and paged thread history: `messaging.md` §9. */
export function smsHistoryRoutes(ctx: PlatformContext, conversations: Conversations): void {
  ctx.route('GET', '/cpaas/smsmessaging/:version/:userId/remoteAddresses', {}, ({ user }) => {
    const smsThread = conversations.list(user.userId, 'sms').map((session) => {
      const last = lastOf(session)
      return {
        remoteAddress: session.remote,
        localAddress: session.local,
        resourceURL: smsThreadPath(user.userId, session.remote, session.local),
        threadDetails: {
          ...(last?.text === undefined ? {} : { lastText: last.text }),
          lastPullTime: session.lastPullTime,
          firstMessageTime: session.messages[0]?.dateTime ?? 0,
          lastMessageTime: last?.dateTime ?? 0,
          length: session.messages.length,
        },
      }
    })
    return { status: 200, body: { smsThreadList: { smsThread } } }
  })

  ctx.route('GET', '/cpaas/smsmessaging/:version/:userId/remoteAddresses/:remote/localAddresses/:local/messages', {}, ({ user, params, query }) => {
    const where = smsThread(ctx, user, params.remote!, params.local!)
    const found = pulled(ctx, conversations, user, where, query)
    if ('status' in found) return found
    const { items, ...next } = found
    const smsMessage = items.map((message) => ({
      resourceURL: `${smsThreadPath(user.userId, where.remote, where.local)}/messages/${message.id}`,
      message: message.text ?? '',
      type: message.direction,
      status: message.status,
      dateTime: message.dateTime,
    }))
    return { status: 200, body: { smsMessageList: { smsMessage, ...next } } }
  })
}
