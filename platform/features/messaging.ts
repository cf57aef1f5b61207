import * as t from 'io-ts'
import type { Account, FeatureHandle, PlatformContext, PlatformReply } from '../context.js'
import { notFound, policyError, serviceError } from '../context.js'
import { coreOf } from '../core.js'
import { ChatPostBody, SmsSendBody, type ChatMessageBody, type IsComposingBody } from '../../streams/messaging/codecs.js'
import { groupParticipants } from './groups.js'
import { messagingFiles, type WireAttachment } from './messaging-files.js'
import { messagingStoreName, page, pageQuery, sessionKey, type MessagingData, type SessionKind, type StoredMessage, type StoredSession, type UserView } from './messaging-history.js'

const badInput = (what: string): PlatformReply => serviceError(400, 'SVC0002', 'Invalid input value for message part %1', [what])
const forbidden = (why: string): PlatformReply => policyError(403, 'POL0001', 'A policy error occurred. Error code is %1', [why])

/** Delivery receipts of SMS to emulated users follow the send by this long (a phone network is not instant). */
const smsDeliveryDelayMs = 200
const e164 = /^\+[1-9][0-9]{2,14}$/

const InjectSms = t.intersection([t.type({ from: t.string, to: t.string, text: t.string }), t.partial({ dateTime: t.number })])

/**
 * Chat, group chat and SMS (`protocol/messaging.md`, `notifications.md` §5, §6, §9):
 *
 * - 1:1 and group messages are stored in the history of every party (each view with its own
 *   message ids) and notified to the recipients (`chat`), with an `x-type: outbound` copy to the
 *   sender's channels for their other devices;
 * - typing indicators are relayed, and turned `idle` by the platform after `refresh` seconds
 *   without a refresh;
 * - conversation lists, paged history (`max`, `next`, `lastMessageTime`), deletions of a message
 *   or a conversation (the user's own view only; their other devices get a
 *   `chatMessageEventNotification` / `smsEventNotification`);
 * - SMS to an emulated user's number arrives as `inboundSMSMessageNotification` (`smsinbound`)
 *   and the sender gets a `deliveryInfoNotification` `DeliveredToTerminal`; SMS to any other
 *   number is accepted and recorded as sent (`DeliveredToNetwork`);
 * - attachments are uploaded and served by `messaging-files.ts`;
 * - `POST /_admin/sms { from, to, text }` (admin API only) injects an SMS from outside.
 */
export function messagingFeature(ctx: PlatformContext): FeatureHandle {
  const store = ctx.persisted<MessagingData>(messagingStoreName, () => ({ users: {} }))
  const { users } = store.value
  const files = messagingFiles(ctx)
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const typing = new Map<string, ReturnType<typeof setTimeout>>()

  const later = (ms: number, work: () => void): ReturnType<typeof setTimeout> => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      work()
    }, ms)
    timers.add(timer)
    return timer
  }

  const viewOf = (userId: string): UserView => {
    if (!Object.hasOwn(users, userId)) users[userId] = { sessions: {} }
    return users[userId]!
  }
  const findSession = (userId: string, kind: SessionKind, remote: string, local: string): StoredSession | undefined => {
    const sessions = Object.hasOwn(users, userId) ? users[userId]!.sessions : {}
    const key = sessionKey(kind, remote, local)
    return Object.hasOwn(sessions, key) ? sessions[key] : undefined
  }
  const sessionOf = (userId: string, kind: SessionKind, remote: string, local: string): StoredSession => {
    const { sessions } = viewOf(userId)
    const key = sessionKey(kind, remote, local)
    if (!Object.hasOwn(sessions, key)) sessions[key] = { kind, sessionId: ctx.id(), remote, local, messages: [], lastPullTime: 0 }
    return sessions[key]!
  }

  // ── Wire forms ───────────────────────────────────────────────────────────────────────────

  /** The chat resource of a session as `userId` sees it (`.../oneToOne/<peer>/adhoc` or `.../group/<id>`). */
  const chatSessionPath = (userId: string, session: Pick<StoredSession, 'kind' | 'remote'>): string =>
    session.kind === 'group' ? `/cpaas/chat/v1/${userId}/group/${session.remote}` : `/cpaas/chat/v1/${userId}/oneToOne/${session.remote}/adhoc`
  const chatMessageURL = (userId: string, session: Pick<StoredSession, 'kind' | 'remote'>, id: string): string => `${chatSessionPath(userId, session)}/messages/${id}`
  const smsThreadPath = (userId: string, remote: string, local: string): string => `/cpaas/smsmessaging/v1/${userId}/remoteAddresses/${remote}/localAddresses/${local}`

  const attachmentsOf = (message: StoredMessage): WireAttachment[] =>
    (message.files ?? []).flatMap((id) => {
      const attachment = files.wire(id)
      return attachment === undefined ? [] : [attachment]
    })

  const chatBody = (message: StoredMessage) => {
    const attachment = attachmentsOf(message)
    return {
      senderAddress: message.sender,
      'x-destinationAddress': message.destination,
      ...(message.text === undefined ? {} : { text: message.text }),
      ...(attachment.length > 0 ? { attachment } : {}),
      dateTime: message.dateTime,
    }
  }

  const notifyChat = (userId: string, session: StoredSession, message: StoredMessage): void =>
    ctx.notify(userId, 'chat', {
      chatMessageNotification: {
        dateTime: message.dateTime,
        chatMessage: { ...chatBody(message), 'x-type': message.direction },
        link: [{ rel: 'chatMessage', href: chatMessageURL(userId, session, message.id) }],
      },
    })

  /** Tells the user's devices that part of their history was deleted elsewhere. */
  const notifyDeletion = (userId: string, session: StoredSession, messageId: string | undefined): void => {
    if (session.kind === 'sms') {
      const thread = smsThreadPath(userId, session.remote, session.local)
      ctx.notify(userId, 'smsinbound', {
        smsEventNotification: messageId === undefined
          ? { eventType: 'SessionDeleted', link: [{ rel: 'smsThread', href: thread }] }
          : { eventType: 'MessageDeleted', link: [{ rel: 'smsMessage', href: `${thread}/messages/${messageId}` }] },
      })
      return
    }
    ctx.notify(userId, 'chat', {
      chatMessageEventNotification: messageId === undefined
        ? { eventType: 'SessionDeleted', link: [{ rel: 'chatSession', href: chatSessionPath(userId, session) }] }
        : { eventType: 'MessageDeleted', link: [{ rel: 'chatMessage', href: chatMessageURL(userId, session, messageId) }] },
    })
  }

  // ── Chat ─────────────────────────────────────────────────────────────────────────────────

  interface Delivery {
    /** userIds of the other parties, with the session each of them files the message under. */
    readonly recipients: readonly { readonly userId: string; readonly kind: SessionKind; readonly remote: string; readonly local: string }[]
    /** The sender's session. */
    readonly kind: SessionKind
    readonly remote: string
    /** `x-destinationAddress` of the message. */
    readonly destination: string
  }

  const relayTyping = (sender: Account, delivery: Delivery, composing: IsComposingBody['isComposing']): void => {
    const refreshSeconds = Math.min(Math.max(Number(composing.refresh ?? 60) || 60, 1), 600)
    for (const recipient of delivery.recipients) {
      const key = `${sender.userId}|${delivery.kind}|${delivery.remote}|${recipient.userId}`
      const send = (state: 'active' | 'idle', lastactive: number): void =>
        ctx.notify(recipient.userId, 'chat', {
          chatMessageNotification: {
            isComposing: {
              state,
              senderAddress: sender.identity,
              'x-destinationAddress': delivery.kind === 'group' ? delivery.destination : recipient.local,
              contenttype: composing.contenttype ?? 'text/plain',
              refresh: String(refreshSeconds),
              lastactive,
              'x-type': 'inbound',
            },
            link: [{ rel: 'chatSession', href: chatSessionPath(recipient.userId, { kind: recipient.kind, remote: recipient.remote }) }],
          },
        })
      const pending = typing.get(key)
      if (pending !== undefined) {
        clearTimeout(pending)
        timers.delete(pending)
        typing.delete(key)
      }
      send(composing.state, composing.lastactive ?? ctx.now())
      if (composing.state === 'active') {
        typing.set(
          key,
          later(refreshSeconds * 1000, () => {
            typing.delete(key)
            send('idle', ctx.now())
          }),
        )
      }
    }
  }

  const deliverChat = (sender: Account, delivery: Delivery, message: ChatMessageBody['chatMessage'], selfPath: (id: string) => string): PlatformReply => {
    const fileIds = (message.attachment ?? []).map((attachment) => attachment['x-id'])
    if (message.text === undefined && fileIds.length === 0) return badInput('chatMessage.text')
    const checked = files.attachments(sender, fileIds)
    if (!Array.isArray(checked)) return checked
    const dateTime = ctx.now()
    const base = {
      sender: sender.identity,
      destination: delivery.destination,
      ...(message.text === undefined ? {} : { text: message.text }),
      ...(fileIds.length > 0 ? { files: fileIds } : {}),
      dateTime,
      status: 'Sent',
    }
    const own: StoredMessage = { ...base, id: ctx.id(), direction: 'outbound' }
    const ownSession = sessionOf(sender.userId, delivery.kind, delivery.remote, sender.identity)
    ownSession.messages.push(own)
    const copies = delivery.recipients.map((recipient) => {
      const session = sessionOf(recipient.userId, recipient.kind, recipient.remote, recipient.local)
      const copy: StoredMessage = { ...base, id: ctx.id(), direction: 'inbound' }
      session.messages.push(copy)
      return { userId: recipient.userId, session, copy }
    })
    files.share(fileIds, delivery.recipients.map((recipient) => recipient.userId))
    store.save()
    for (const { userId, session, copy } of copies) notifyChat(userId, session, copy)
    notifyChat(sender.userId, ownSession, own)
    return {
      status: 201,
      body: {
        chatMessage: {
          resourceURL: selfPath(own.id),
          senderAddress: sender.identity,
          status: 'Sent',
          ...(message.text === undefined ? {} : { text: message.text }),
          dateTime,
        },
      },
    }
  }

  const oneToOne = (user: Account, peerAddress: string): Delivery | PlatformReply => {
    const peer = ctx.accounts.find(peerAddress)
    if (peer === undefined) return notFound(peerAddress)
    const recipients = peer.userId === user.userId ? [] : [{ userId: peer.userId, kind: 'oneToOne' as const, remote: user.identity, local: peer.identity }]
    return { recipients, kind: 'oneToOne', remote: peer.identity, destination: peer.identity }
  }

  const group = (user: Account, groupId: string): Delivery | PlatformReply => {
    const participants = groupParticipants(ctx, groupId)
    if (participants === undefined) return notFound(groupId)
    if (!participants.includes(user.userId)) return forbidden(`${user.identity} is not a connected participant of group ${groupId}`)
    const recipients = participants
      .filter((userId) => userId !== user.userId)
      .map((userId) => ({ userId, kind: 'group' as const, remote: groupId, local: ctx.accounts.find(userId)?.identity ?? userId }))
    return { recipients, kind: 'group', remote: groupId, destination: groupId }
  }

  const isDelivery = (value: Delivery | PlatformReply): value is Delivery => 'recipients' in value

  const chatPost = (delivery: Delivery | PlatformReply, user: Account, body: ChatPostBody, selfPath: (id: string) => string): PlatformReply => {
    if (!isDelivery(delivery)) return delivery
    if ('isComposing' in body) {
      relayTyping(user, delivery, body.isComposing)
      return { status: 204 }
    }
    return deliverChat(user, delivery, body.chatMessage, selfPath)
  }

  ctx.route('POST', '/cpaas/chat/:version/:userId/oneToOne/:peer/adhoc/messages', { body: ChatPostBody }, ({ user, params, body }) =>
    chatPost(oneToOne(user, params.peer!), user, body, (id) => `/cpaas/chat/v1/${user.userId}/oneToOne/${params.peer}/adhoc/messages/${id}`),
  )

  ctx.route('POST', '/cpaas/chat/:version/:userId/group/:groupId/messages', { body: ChatPostBody }, ({ user, params, body }) =>
    chatPost(group(user, params.groupId!), user, body, (id) => `/cpaas/chat/v1/${user.userId}/group/${params.groupId}/messages/${id}`),
  )

  const sessionList = (user: Account, kind: 'oneToOne' | 'group'): PlatformReply => {
    // A deleted group's conversation goes with it (its `DELETE .../group/<id>` is the groups module's).
    const sessions = Object.values(viewOf(user.userId).sessions).filter(
      (session) => session.kind === kind && (kind !== 'group' || groupParticipants(ctx, session.remote) !== undefined),
    )
    const chatSession = sessions.map((session) => {
      const last = session.messages[session.messages.length - 1]
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

  ctx.route('GET', '/cpaas/chat/:version/:userId/oneToOne/sessions', {}, ({ user }) => sessionList(user, 'oneToOne'))
  ctx.route('GET', '/cpaas/chat/:version/:userId/group/sessions', {}, ({ user }) => sessionList(user, 'group'))

  const chatHistory = (user: Account, kind: 'oneToOne' | 'group', remote: string, query: URLSearchParams): PlatformReply => {
    const asked = pageQuery(query)
    if (typeof asked === 'string') return badInput(asked)
    const session = findSession(user.userId, kind, remote, user.identity)
    const { items, next } = page(session?.messages ?? [], asked)
    if (session !== undefined) {
      session.lastPullTime = ctx.now()
      store.save()
    }
    const where = { kind, remote }
    const chatMessage = items.map((message) => ({ resourceURL: chatMessageURL(user.userId, where, message.id), ...chatBody(message), status: message.status }))
    return { status: 200, body: { chatMessageList: { chatMessage, ...(next === undefined ? {} : { next }) } } }
  }

  /** The peer's canonical address (conversations are filed under identities), or the address as given. */
  const peerOf = (address: string): string => ctx.accounts.find(address)?.identity ?? address.toLowerCase()

  ctx.route('GET', '/cpaas/chat/:version/:userId/oneToOne/:peer/adhoc/messages', {}, ({ user, params, query }) =>
    chatHistory(user, 'oneToOne', peerOf(params.peer!), query),
  )
  ctx.route('GET', '/cpaas/chat/:version/:userId/group/:groupId/messages', {}, ({ user, params, query }) => chatHistory(user, 'group', params.groupId!, query))

  const deleteSession = (user: Account, kind: SessionKind, remote: string, local: string): PlatformReply => {
    const session = findSession(user.userId, kind, remote, local)
    if (session === undefined) return notFound(remote)
    delete viewOf(user.userId).sessions[sessionKey(kind, remote, local)]
    store.save()
    notifyDeletion(user.userId, session, undefined)
    return { status: 204 }
  }

  const deleteOne = (user: Account, kind: SessionKind, remote: string, local: string, messageId: string): PlatformReply => {
    const session = findSession(user.userId, kind, remote, local)
    const at = session?.messages.findIndex((message) => message.id === messageId) ?? -1
    if (session === undefined || at < 0) return notFound(messageId)
    session.messages.splice(at, 1)
    store.save()
    notifyDeletion(user.userId, session, messageId)
    return { status: 204 }
  }

  ctx.route('DELETE', '/cpaas/chat/:version/:userId/oneToOne/:peer/adhoc/messages', {}, ({ user, params }) =>
    deleteSession(user, 'oneToOne', peerOf(params.peer!), user.identity),
  )
  ctx.route('DELETE', '/cpaas/chat/:version/:userId/oneToOne/:peer/adhoc/messages/:messageId', {}, ({ user, params }) =>
    deleteOne(user, 'oneToOne', peerOf(params.peer!), user.identity, params.messageId!),
  )
  ctx.route('DELETE', '/cpaas/chat/:version/:userId/group/:groupId/messages/:messageId', {}, ({ user, params }) =>
    deleteOne(user, 'group', params.groupId!, user.identity, params.messageId!),
  )

  // ── SMS ──────────────────────────────────────────────────────────────────────────────────

  /** The number behind `default` or an explicit sender; undefined when the user does not own it. */
  const ownNumber = (user: Account, sender: string): string | undefined => {
    if (sender === 'default') return user.phoneNumber
    const number = sender.replace(/^tel:/, '')
    return ctx.accounts.find(number)?.userId === user.userId ? number : undefined
  }

  /** Files an SMS in the recipient's history and notifies them; the recipient's message id. */
  const deliverSms = (recipient: Account, from: string, to: string, text: string, dateTime: number): string => {
    const session = sessionOf(recipient.userId, 'sms', from, to)
    const copy: StoredMessage = { id: ctx.id(), sender: from, destination: to, text, dateTime, direction: 'inbound', status: 'DeliveredToTerminal' }
    session.messages.push(copy)
    store.save()
    ctx.notify(recipient.userId, 'smsinbound', {
      inboundSMSMessageNotification: {
        dateTime,
        inboundSMSMessage: { dateTime, destinationAddress: to, message: text, messageId: copy.id, senderAddress: from },
      },
    })
    return copy.id
  }

  ctx.route('POST', '/cpaas/smsmessaging/:version/:userId/outbound/:sender/requests', { body: SmsSendBody }, ({ user, params, body }) => {
    const request = body.outboundSMSMessageRequest
    const from = ownNumber(user, params.sender!)
    if (from === undefined) return forbidden(`${params.sender} is not a number of ${user.identity}`)
    const to = request.address[0]?.replace(/^tel:/, '')
    if (to === undefined || !e164.test(to)) return badInput('outboundSMSMessageRequest.address')
    const text = request.outboundSMSTextMessage.message
    const dateTime = ctx.now()
    const session = sessionOf(user.userId, 'sms', to, from)
    const sent: StoredMessage = { id: ctx.id(), sender: from, destination: to, text, dateTime, direction: 'outbound', status: 'DeliveredToNetwork' }
    session.messages.push(sent)
    store.save()
    const recipient = ctx.accounts.find(to)
    if (recipient !== undefined) {
      deliverSms(recipient, from, to, text, dateTime)
      later(smsDeliveryDelayMs, () => {
        sent.status = 'DeliveredToTerminal'
        store.save()
        ctx.notify(user.userId, ctx.subscriptions.has(user.userId, 'smsoutbound') ? 'smsoutbound' : 'smsinbound', {
          deliveryInfoNotification: { deliveryInfo: { address: to, deliveryStatus: 'DeliveredToTerminal', messageId: sent.id } },
        })
      })
    }
    const resourceURL = `/cpaas/smsmessaging/v1/${user.userId}/remoteAddresses/${to}/messages/${sent.id}`
    return {
      status: 201,
      body: {
        outboundSMSMessageRequest: {
          address: [to],
          ...(request.clientCorrelator === undefined ? {} : { clientCorrelator: request.clientCorrelator }),
          deliveryInfoList: { deliveryInfo: [{ address: to, deliveryStatus: 'DeliveredToNetwork' }], resourceURL: `${resourceURL}/deliveryInfos` },
          outboundSMSTextMessage: { message: text },
          resourceURL,
          senderAddress: from,
        },
      },
    }
  })

  ctx.route('GET', '/cpaas/smsmessaging/:version/:userId/remoteAddresses', {}, ({ user }) => {
    const smsThread = Object.values(viewOf(user.userId).sessions)
      .filter((session) => session.kind === 'sms')
      .map((session) => {
        const messages = session.messages
        const last = messages[messages.length - 1]
        return {
          remoteAddress: session.remote,
          localAddress: session.local,
          resourceURL: smsThreadPath(user.userId, session.remote, session.local),
          threadDetails: {
            ...(last?.text === undefined ? {} : { lastText: last.text }),
            lastPullTime: session.lastPullTime,
            firstMessageTime: messages[0]?.dateTime ?? 0,
            lastMessageTime: last?.dateTime ?? 0,
            length: messages.length,
          },
        }
      })
    return { status: 200, body: { smsThreadList: { smsThread } } }
  })

  const smsLocal = (user: Account, local: string): string => ownNumber(user, local) ?? local

  ctx.route('GET', '/cpaas/smsmessaging/:version/:userId/remoteAddresses/:remote/localAddresses/:local/messages', {}, ({ user, params, query }) => {
    const asked = pageQuery(query)
    if (typeof asked === 'string') return badInput(asked)
    const remote = params.remote!.replace(/^tel:/, '')
    const local = smsLocal(user, params.local!)
    const session = findSession(user.userId, 'sms', remote, local)
    const { items, next } = page(session?.messages ?? [], asked)
    if (session !== undefined) {
      session.lastPullTime = ctx.now()
      store.save()
    }
    const smsMessage = items.map((message) => ({
      resourceURL: `${smsThreadPath(user.userId, remote, local)}/messages/${message.id}`,
      message: message.text ?? '',
      type: message.direction,
      status: message.status,
      dateTime: message.dateTime,
    }))
    return { status: 200, body: { smsMessageList: { smsMessage, ...(next === undefined ? {} : { next }) } } }
  })

  ctx.route('DELETE', '/cpaas/smsmessaging/:version/:userId/remoteAddresses/:remote/localAddresses/:local', {}, ({ user, params }) =>
    deleteSession(user, 'sms', params.remote!.replace(/^tel:/, ''), smsLocal(user, params.local!)),
  )
  ctx.route('DELETE', '/cpaas/smsmessaging/:version/:userId/remoteAddresses/:remote/localAddresses/:local/messages/:messageId', {}, ({ user, params }) =>
    deleteOne(user, 'sms', params.remote!.replace(/^tel:/, ''), smsLocal(user, params.local!), params.messageId!),
  )

  if (coreOf(ctx).options.admin) {
    ctx.route('POST', '/_admin/sms', { public: true, body: InjectSms }, ({ body }) => {
      const recipient = ctx.accounts.find(body.to)
      if (recipient === undefined) return badInput(`to: no user has the number ${body.to}`)
      if (!e164.test(body.from)) return badInput('from')
      const to = body.to.startsWith('+') ? body.to : recipient.phoneNumber
      return { status: 200, body: { messageId: deliverSms(recipient, body.from, to, body.text, body.dateTime ?? ctx.now()) } }
    })
  }

  return {
    stop: () => {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      typing.clear()
    },
  }
}
