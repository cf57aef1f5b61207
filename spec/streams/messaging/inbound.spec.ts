import { expect } from 'chai'
import * as E from 'fp-ts/Either'
import type { InboundNotification } from '../../../streams/connection/link.js'
import {
  chatTargetOfHref,
  conversationOfSession,
  conversationOfThread,
  messageOfHistory,
  messageOfSmsHistory,
  notificationEvents,
} from '../../../streams/messaging/inbound.js'
import { initialMessagingState, messagingReducer, type MessagingEvent } from '../../../streams/messaging/state.js'

const notification = (kind: string, body: Record<string, unknown>): InboundNotification => ({ kind, id: String(body.id), body, frame: { [kind]: body } })

const events = (n: InboundNotification, state = initialMessagingState): readonly MessagingEvent[] => {
  const result = notificationEvents(n, state, 42)
  if (E.isLeft(result)) throw new Error(`unexpected error ${result.left.message}`)
  return result.right
}

const error = (n: InboundNotification) => {
  const result = notificationEvents(n, initialMessagingState, 42)
  if (E.isRight(result)) throw new Error('expected an error')
  return result.left
}

const chatMessage = (overrides: Record<string, unknown> = {}, href = '/cpaas/chat/v1/alice@example.com/oneToOne/bob@example.com/adhoc/messages/m-1') =>
  notification('chatMessageNotification', {
    id: 'n-1',
    chatMessage: {
      senderAddress: 'bob@example.com',
      'x-destinationAddress': 'alice@example.com',
      text: 'Hi',
      dateTime: 1_600_000_000_000,
      'x-type': 'inbound',
      ...overrides,
    },
    link: [{ rel: 'chatMessage', href }],
  })

/** The event of a text message `from` a sender to `address` (the user's) that starts its conversation. */
const textReceived = (chatType: string, from: string, address: string, message: { messageId: string; timestamp: number; text: string }) => ({
  type: 'messageReceived',
  destination: [from],
  chatType,
  direction: 'inbound',
  newConversation: true,
  address,
  message: { messageId: message.messageId, sender: from, timestamp: message.timestamp, parts: [{ type: 'text', text: message.text }], isPending: false, read: false },
})

describe('messaging inbound', () => {
  it('turns a 1:1 chat message into a message of the conversation [sender]', () => {
    const [event] = events(chatMessage())
    expect(event).to.deep.equal(textReceived('chat-oneToOne', 'bob@example.com', 'alice@example.com', { messageId: 'm-1', timestamp: 1_600_000_000_000, text: 'Hi' }))
  })

  it('says whether the message starts a conversation', () => {
    const state = messagingReducer(initialMessagingState, { type: 'conversationCreated', destination: ['bob@example.com'], chatType: 'chat-oneToOne' })
    expect(events(chatMessage(), state)[0]).to.include({ newConversation: false })
  })

  it('turns a group message into a message of the conversation [groupId] with its file parts', () => {
    const [event] = events(
      chatMessage(
        { 'x-destinationAddress': 'g-1', text: '', attachment: [{ link: 'http://p/f/raw', name: 'a.png', size: 3, 'x-id': 'f-1' }] },
        '/cpaas/chat/v1/alice@example.com/group/g-1/messages/m-2',
      ),
    )
    expect(event).to.deep.include({ destination: ['g-1'], chatType: 'chat-group' })
    expect((event as Extract<MessagingEvent, { type: 'messageReceived' }>).message.parts).to.deep.equal([
      { type: 'file', link: 'http://p/f/raw', name: 'a.png', size: 3, 'x-id': 'f-1', rawURL: 'http://p/f/raw' },
    ])
  })

  it('files an outbound copy under its destination, as one of the user\'s own messages', () => {
    const [event] = events(chatMessage({ senderAddress: 'alice@example.com', 'x-destinationAddress': 'bob@example.com', 'x-type': 'outbound' }))
    expect(event).to.deep.include({ destination: ['bob@example.com'], direction: 'outbound' })
    expect((event as Extract<MessagingEvent, { type: 'messageReceived' }>).message).to.deep.include({ sender: 'alice@example.com', type: 'chat-oneToOne' })
  })

  it('recognises the copy of a send of this client still pending', () => {
    const state = messagingReducer(initialMessagingState, {
      type: 'messageSending',
      destination: ['bob@example.com'],
      chatType: 'chat-oneToOne',
      message: { messageId: undefined, localId: 'local-1', sender: 'alice@example.com', timestamp: 1, parts: [{ type: 'text', text: 'Hi' }], isPending: true },
    })
    const [event] = events(chatMessage({ senderAddress: 'alice@example.com', 'x-destinationAddress': 'bob@example.com', 'x-type': 'outbound' }), state)
    expect(event).to.deep.equal({ type: 'ownCopyReceived', destination: ['bob@example.com'], chatType: 'chat-oneToOne', localId: 'local-1', messageId: 'm-1', parts: [{ type: 'text', text: 'Hi' }] })
  })

  it('does not match a late copy (its send already answered) to the next pending send with the same text', () => {
    const sending = (localId: string): MessagingEvent => ({
      type: 'messageSending',
      destination: ['bob@example.com'],
      chatType: 'chat-oneToOne',
      message: { messageId: undefined, localId, sender: 'alice@example.com', timestamp: 1, parts: [{ type: 'text', text: 'Hi' }], isPending: true },
    })
    const state = [
      sending('local-1'),
      sending('local-2'),
      { type: 'messageSent', destination: ['bob@example.com'], chatType: 'chat-oneToOne', localId: 'local-1', messageId: 'm-1', sender: 'a', deliveryStatus: 'Sent', parts: [] } as MessagingEvent,
    ].reduce(messagingReducer, initialMessagingState)
    const [event] = events(chatMessage({ senderAddress: 'alice@example.com', 'x-destinationAddress': 'bob@example.com', 'x-type': 'outbound' }), state)
    expect(event).to.include({ type: 'messageReceived', direction: 'outbound' })
    expect(messagingReducer(state, event!)).to.equal(state)
  })

  it('takes the chat type from the chatMessage link, else from the first link', () => {
    const oneToOne = '/cpaas/chat/v1/alice@example.com/oneToOne/bob@example.com/adhoc/messages/m-1'
    const withLinks = (link: readonly { rel: string; href: string }[]) =>
      notification('chatMessageNotification', { ...chatMessage().body, link })
    const [group] = events(withLinks([{ rel: 'self', href: oneToOne }, { rel: 'chatMessage', href: '/cpaas/chat/v1/alice@example.com/group/g-1/messages/m-1' }]))
    expect(group).to.deep.include({ destination: ['alice@example.com'], chatType: 'chat-group' })
    const [first] = events(withLinks([{ rel: 'self', href: oneToOne }]))
    expect(first).to.deep.include({ destination: ['bob@example.com'], chatType: 'chat-oneToOne' })
  })

  it('ignores chat messages of other x-types', () => {
    expect(events(chatMessage({ 'x-type': 'weird' }))).to.deep.equal([])
  })

  it('reports a chat message without a message link as malformed', () => {
    const broken = notification('chatMessageNotification', { id: 'n', chatMessage: { senderAddress: 'b', 'x-type': 'inbound' }, link: [] })
    expect(error(broken)).to.include({ name: 'BasicError' })
    expect(error(notification('chatMessageNotification', { id: 'n', chatMessage: { 'x-type': 'inbound' } })).message).to.match(/Malformed chatMessageNotification/)
  })

  it('turns typing indicators into typing changes (1:1 by sender, group by destination)', () => {
    const typing = (state: string, href: string, destination = 'alice@example.com') =>
      notification('chatMessageNotification', {
        id: 't',
        isComposing: { state, senderAddress: 'bob@example.com', 'x-destinationAddress': destination, 'x-type': 'inbound', refresh: '60' },
        link: [{ rel: 'chatSession', href }],
      })
    expect(events(typing('active', '/cpaas/chat/v1/alice/oneToOne/bob@example.com/adhoc'))).to.deep.equal([
      { type: 'typingChanged', destination: ['bob@example.com'], chatType: 'chat-oneToOne', sender: 'bob@example.com', state: 'active' },
    ])
    expect(events(typing('idle', '/cpaas/chat/v1/alice/group/g-1', 'g-1'))).to.deep.equal([
      { type: 'typingChanged', destination: ['g-1'], chatType: 'chat-group', sender: 'bob@example.com', state: 'idle' },
    ])
    expect(error(typing('active', '/nothing/here'))).to.include({ code: 'messaging:11' })
    // The chatSession link names the conversation; without one, the first link does.
    const linked = (link: readonly { rel: string; href: string }[]) =>
      notification('chatMessageNotification', { id: 't', isComposing: { state: 'active', senderAddress: 'bob@example.com', 'x-destinationAddress': 'g-1', 'x-type': 'inbound' }, link })
    expect(events(linked([{ rel: 'self', href: '/cpaas/chat/v1/alice/oneToOne/bob@example.com/adhoc' }, { rel: 'chatSession', href: '/cpaas/chat/v1/alice/group/g-1' }]))).to.deep.equal([
      { type: 'typingChanged', destination: ['g-1'], chatType: 'chat-group', sender: 'bob@example.com', state: 'active' },
    ])
    expect(events(linked([{ rel: 'self', href: '/cpaas/chat/v1/alice/group/g-1' }]))).to.deep.equal([
      { type: 'typingChanged', destination: ['g-1'], chatType: 'chat-group', sender: 'bob@example.com', state: 'active' },
    ])
  })

  it('turns an inbound SMS into a message of [sender] with the outer dateTime, also with the misspelled sender', () => {
    const [event] = events(
      notification('inboundSMSMessageNotification', {
        id: 's',
        dateTime: 1_700_000_000_000,
        inboundSMSMessage: { senderAdress: '+15552223333', destinationAddress: '+15550001111', message: 'hi', messageId: 'sms-1', dateTime: 1 },
      }),
    )
    expect(event).to.deep.equal(textReceived('sms', '+15552223333', '+15550001111', { messageId: 'sms-1', timestamp: 1_700_000_000_000, text: 'hi' }))
  })

  it('maps delivery receipts', () => {
    expect(events(notification('deliveryInfoNotification', { id: 'd', deliveryInfo: { address: '+1555', deliveryStatus: 'DeliveredToTerminal', messageId: 'sms-1' } }))).to.deep.equal([
      { type: 'deliveryStatusChanged', destination: ['+1555'], chatType: 'sms', messageId: 'sms-1', deliveryStatus: 'Delivered' },
    ])
  })

  it('turns deletions made on another device into local deletions', () => {
    const chat = notification('chatMessageEventNotification', {
      id: 'e',
      eventType: 'MessageDeleted',
      link: [{ rel: 'chatMessage', href: '/cpaas/chat/v1/alice/oneToOne/bob@example.com/adhoc/messages/m-1' }],
    })
    expect(events(chat)).to.deep.equal([{ type: 'messageDeleted', destination: ['bob@example.com'], chatType: 'chat-oneToOne', messageId: 'm-1', remote: true }])
    const thread = notification('smsEventNotification', {
      id: 'e2',
      eventType: 'SessionDeleted',
      link: [{ rel: 'smsThread', href: '/cpaas/smsmessaging/v1/alice/remoteAddresses/+15552223333/localAddresses/+1555' }],
    })
    expect(events(thread)).to.deep.equal([{ type: 'conversationDeleted', destination: ['+15552223333'], chatType: 'sms', remote: true }])
  })

  it('reports undecodable bodies with the path of the bad value', () => {
    expect(error(notification('deliveryInfoNotification', { id: 'd', deliveryInfo: { address: 5 } })).message).to.match(/Malformed deliveryInfoNotification/)
  })

  it('ignores kinds it does not own', () => {
    expect(events(notification('presenceNotification', { id: 'p' }))).to.deep.equal([])
  })

  it('reads chat targets out of links (percent-encoded or raw)', () => {
    expect(chatTargetOfHref('/cpaas/chat/v1/a/oneToOne/bob%40example.com/adhoc')).to.deep.equal({ destination: ['bob@example.com'], chatType: 'chat-oneToOne' })
    expect(chatTargetOfHref('/cpaas/chat/v1/a/group/g-1/messages/m')).to.deep.equal({ destination: ['g-1'], chatType: 'chat-group' })
  })

  it('maps session lists, SMS threads and history items', () => {
    expect(
      conversationOfSession({
        sessionId: 's-1',
        sessionType: 'oneToOne',
        remoteAddress: 'bob@example.com',
        localAddress: 'alice@example.com',
        sessionDetails: { lastText: 'See you', lastMessageTime: 10, lastPullTime: 5 },
      }),
    ).to.deep.include({ id: 's-1', destination: ['bob@example.com'], type: 'chat-oneToOne', address: 'alice@example.com', lastMessage: 'See you', lastReceived: 10, lastPull: 5, messages: [] })
    expect(conversationOfSession({ sessionType: 'GROUP', remoteAddress: 'g-1', sessionDetails: {} })).to.deep.include({ type: 'chat-group' })
    expect(conversationOfSession({ sessionType: 'other', remoteAddress: 'x', sessionDetails: {} })).to.equal(undefined)
    expect(conversationOfThread({ remoteAddress: '+1555', localAddress: '+1666', threadDetails: { lastText: 'x', lastMessageTime: 3 } })).to.deep.include({
      type: 'sms',
      destination: ['+1555'],
      lastReceived: 3,
    })
    expect(
      messageOfHistory({
        resourceURL: '/cpaas/chat/v1/a/oneToOne/b/adhoc/messages/m-3',
        senderAddress: 'b',
        'x-destinationAddress': 'a',
        text: 'Hi',
        attachment: [{ link: 'http://f', name: 'p.png', 'x-id': 'f' }],
        dateTime: 9,
      }),
    ).to.deep.equal({
      messageId: 'm-3',
      sender: 'b',
      timestamp: 9,
      destination: 'a',
      parts: [{ type: 'text', text: 'Hi' }, { type: 'file', link: 'http://f', name: 'p.png', 'x-id': 'f', rawURL: 'http://f' }],
    })
    expect(messageOfSmsHistory({ resourceURL: '/x/messages/s', message: 'yo', type: 'outbound', status: 'DeliveredToTerminal', dateTime: 4 }, 'alice', '+1555')).to.deep.include({
      sender: 'alice',
      deliveryStatus: 'Delivered',
    })
    expect(messageOfSmsHistory({ resourceURL: '/x/messages/s', message: 'yo', type: 'inbound' }, 'alice', '+1555')).to.deep.include({ sender: '+1555' })
  })
})
