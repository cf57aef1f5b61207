import { expect } from 'chai'
import fc from 'fast-check'
import { BasicError } from '../../../streams/errors.js'
import { chatTypeOfHref, messageIdOf, smsDeliveryStatus } from '../../../streams/messaging/codecs.js'
import { pendingSendOf, sortTime } from '../../../streams/messaging/messages.js'
import {
  conversationKey,
  emptyConversation,
  findConversation,
  initialMessagingState,
  messagingReducer,
  toChatType,
  type Message,
  type MessagingEvent,
  type MessagingState,
} from '../../../streams/messaging/state.js'

const bob = ['bob@example.com'] as const
const team = ['team-1'] as const
const oneToOne = { destination: bob, chatType: 'chat-oneToOne' } as const

const reduce = (events: readonly MessagingEvent[], state: MessagingState = initialMessagingState): MessagingState => events.reduce(messagingReducer, state)

const inbound = (messageId: string, timestamp: number, text = messageId): Message => ({
  messageId,
  sender: 'bob@example.com',
  timestamp,
  parts: [{ type: 'text', text }],
  isPending: false,
  read: false,
})

const received = (message: Message, target: { destination: readonly string[]; chatType: 'chat-oneToOne' | 'chat-group' | 'sms' } = oneToOne): MessagingEvent => ({
  type: 'messageReceived',
  ...target,
  message,
  direction: 'inbound',
  newConversation: false,
})

const created: MessagingEvent = { type: 'conversationCreated', ...oneToOne, address: 'alice@example.com' }

const pending = (localId: string, timestamp = 1_700_000_000): MessagingEvent => ({
  type: 'messageSending',
  ...oneToOne,
  message: { messageId: undefined, localId, sender: 'alice@example.com', timestamp, parts: [{ type: 'text', text: 'hi' }], isPending: true, read: false, type: 'chat-oneToOne' },
})

const messagesOf = (state: MessagingState, destination: readonly string[] = bob, type: 'chat-oneToOne' | 'chat-group' | 'sms' = 'chat-oneToOne') =>
  findConversation(state, destination, type)?.messages ?? []

describe('messaging state', () => {
  describe('helpers', () => {
    it('accepts the documented chat types and their aliases, and rejects any other', () => {
      expect(toChatType('chat-oneToOne')).to.equal('chat-oneToOne')
      expect(toChatType('im')).to.equal('chat-oneToOne')
      expect(toChatType('chat')).to.equal('chat-oneToOne')
      expect(toChatType('chat-group')).to.equal('chat-group')
      expect(toChatType('group')).to.equal('chat-group')
      expect(toChatType('sms')).to.equal('sms')
      expect(toChatType('SMS')).to.equal(undefined)
      expect(toChatType('toString')).to.equal(undefined)
      expect(toChatType(undefined)).to.equal(undefined)
    })

    it('keys conversations by exact destination and type', () => {
      expect(conversationKey(['a'], 'sms')).to.not.equal(conversationKey(['a'], 'chat-oneToOne'))
      expect(conversationKey(['A'], 'sms')).to.not.equal(conversationKey(['a'], 'sms'))
      expect(conversationKey(['a', 'b'], 'sms')).to.not.equal(conversationKey(['ab'], 'sms'))
    })

    it('reads message ids and conversation types out of platform links', () => {
      expect(messageIdOf('/cpaas/chat/v1/u/oneToOne/bob@example.com/adhoc/messages/m-1')).to.equal('m-1')
      expect(messageIdOf('/cpaas/chat/v1/u/oneToOne/bob@example.com/adhoc')).to.equal(undefined)
      expect(messageIdOf('/cpaas/chat/v1/u/oneToOne/bob@example.com/adhoc/messages/')).to.equal(undefined)
      // Ids long enough to be copied out of the link (not kept as a view of it) come out the same, whatever their characters.
      for (const id of ['2f1c6a0e-5b7d-4c1e-9f3a-8d2b6e4a1c90', 'a "quoted\\ id\twith é and 💬 in it'])
        expect(messageIdOf(`/cpaas/chat/v1/u/oneToOne/bob@example.com/adhoc/messages/${id}`)).to.equal(id)
      expect(chatTypeOfHref('/cpaas/chat/v1/u/group/g-1/messages/m-1')).to.equal('chat-group')
      expect(chatTypeOfHref('/cpaas/chat/v1/u/oneToOne/bob/adhoc/messages/m-1')).to.equal('chat-oneToOne')
      expect(chatTypeOfHref('/group/oneToOne/x')).to.equal(undefined)
    })

    it('reads the chat type of any link as its path segments say: group or oneToOne after three others, group first', () => {
      const bySegments = (href: string) => {
        const rest = href.split('/').filter((segment) => segment !== '').slice(3)
        return rest.includes('group') ? 'chat-group' : rest.includes('oneToOne') ? 'chat-oneToOne' : undefined
      }
      const segment = fc.constantFrom('', 'cpaas', 'chat', 'v1', 'group', 'oneToOne', 'groupX', 'xoneToOne', 'https:', 'a@b.c')
      const href = fc.array(segment, { maxLength: 14, size: 'max' }).map((segments) => segments.join('/'))
      fc.assert(fc.property(href, (link) => chatTypeOfHref(link) === bySegments(link)), { numRuns: 3000 })
    })

    it('maps SMS delivery statuses', () => {
      expect(smsDeliveryStatus('DeliveredToNetwork')).to.equal('Pending')
      expect(smsDeliveryStatus('DeliveredToTerminal')).to.equal('Delivered')
      expect(smsDeliveryStatus('DeliveryImpossible')).to.equal('Failed')
      expect(smsDeliveryStatus('Whatever')).to.equal('Unknown')
    })

    it('orders second and millisecond timestamps on one scale', () => {
      expect(sortTime(1_700_000_000)).to.equal(1_700_000_000_000)
      expect(sortTime(1_700_000_000_123)).to.equal(1_700_000_000_123)
      expect(sortTime(1_700_000_000.7)).to.equal(1_700_000_000_700)
      // Rounded to the millisecond: a finer fraction does not order a message apart from one of the same millisecond.
      expect(sortTime(1_700_000_000.0004)).to.equal(1_700_000_000_000)
    })
  })

  describe('conversations', () => {
    it('creates an empty conversation once', () => {
      const state = reduce([created, created])
      expect(state.conversations.values()).to.have.length(1)
      expect(state.conversations.values()[0]).to.deep.include({
        destination: bob,
        type: 'chat-oneToOne',
        messages: [],
        isTypingList: [],
        description: '',
        isPending: false,
        address: 'alice@example.com',
      })
    })

    it('keeps the state object when creating an existing conversation', () => {
      const state = reduce([created])
      expect(messagingReducer(state, created)).to.equal(state)
    })

    it('replaces fetched conversations (messages included) and keeps the others', () => {
      const state = reduce([created, received(inbound('m1', 1)), { type: 'conversationCreated', destination: ['carol@example.com'], chatType: 'chat-oneToOne' }])
      const fetched = emptyConversation(bob, 'chat-oneToOne', { id: 's-1', lastMessage: 'See you', lastReceived: 5 })
      const next = messagingReducer(state, { type: 'conversationsFetched', conversations: [fetched, emptyConversation(team, 'chat-group')] })
      expect(next.conversations.values().map((conversation) => conversation.destination[0])).to.deep.equal(['bob@example.com', 'carol@example.com', 'team-1'])
      expect(findConversation(next, bob, 'chat-oneToOne')).to.deep.include({ id: 's-1', lastMessage: 'See you', lastReceived: 5, messages: [] })
    })

    it('keeps the state object when a change to a fetched conversation finds no message to change', () => {
      const state = reduce([{ type: 'conversationsFetched', conversations: [{ ...emptyConversation(bob, 'chat-oneToOne'), messages: [inbound('m1', 1)] }] }])
      expect(messagingReducer(state, { type: 'linksRequested', ...oneToOne, ref: 'unknown' })).to.equal(state)
      expect(messagingReducer(state, { type: 'messageRead', ...oneToOne, messageId: 'unknown' })).to.equal(state)
    })

    it('keeps sends in flight when a fetch replaces their conversation', () => {
      const state = reduce([created, received(inbound('m1', 1)), pending('local-1')])
      const next = messagingReducer(state, { type: 'conversationsFetched', conversations: [emptyConversation(bob, 'chat-oneToOne')] })
      expect(messagesOf(next).map((message) => message.localId)).to.deep.equal(['local-1'])
    })

    it('deletes a conversation and re-indexes the rest', () => {
      const carol = ['carol@example.com']
      const state = reduce([
        created,
        { type: 'conversationCreated', destination: carol, chatType: 'chat-oneToOne' },
        { type: 'conversationDeleted', ...oneToOne, remote: false },
      ])
      expect(state.conversations.values().map((conversation) => conversation.destination)).to.deep.equal([carol])
      expect(findConversation(state, carol, 'chat-oneToOne')?.destination).to.deep.equal(carol)
      expect(findConversation(state, bob, 'chat-oneToOne')).to.equal(undefined)
      expect(messagingReducer(state, { type: 'conversationDeleted', ...oneToOne, remote: true })).to.equal(state)
    })
  })

  describe('sending', () => {
    it('stores an outgoing message at once as pending, creating its conversation if needed', () => {
      const state = reduce([pending('local-1')])
      expect(messagesOf(state)).to.have.length(1)
      expect(messagesOf(state)[0]).to.deep.include({ localId: 'local-1', isPending: true, read: false, messageId: undefined, type: 'chat-oneToOne' })
    })

    it('marks the message sent with the id, sender, status and parts of the response', () => {
      const state = reduce([
        created,
        pending('local-1'),
        { type: 'messageSent', ...oneToOne, localId: 'local-1', messageId: 'm-9', sender: 'alice@example.com', deliveryStatus: 'Sent', parts: [{ type: 'text', text: 'hi' }] },
      ])
      expect(messagesOf(state)[0]).to.deep.include({ isPending: false, messageId: 'm-9', sender: 'alice@example.com', deliveryStatus: 'Sent' })
    })

    it('matches outcomes by local id, so two sends in the same second stay apart', () => {
      const state = reduce([
        created,
        pending('local-1', 1_700_000_000),
        pending('local-2', 1_700_000_000),
        { type: 'messageSent', ...oneToOne, localId: 'local-2', messageId: 'm-2', sender: 'a', deliveryStatus: 'Sent', parts: [] },
      ])
      expect(messagesOf(state).map((message) => [message.localId, message.isPending, message.messageId])).to.deep.equal([
        ['local-1', true, undefined],
        ['local-2', false, 'm-2'],
      ])
    })

    it('marks a failed send with the error and a null id', () => {
      const error = new BasicError('messaging:5', 'Send SMS request failed')
      const state = reduce([pending('local-1'), { type: 'messageSendFailed', ...oneToOne, localId: 'local-1', error, deliveryStatus: 'Failed' }])
      expect(messagesOf(state)[0]).to.deep.include({ isPending: false, messageId: null, error, deliveryStatus: 'Failed' })
    })

    it('keeps one message when a copy of the send arrived before its response', () => {
      const copy: MessagingEvent = { ...(received(inbound('m-9', 1_700_000_000_500)) as Extract<MessagingEvent, { type: 'messageReceived' }>), direction: 'outbound' }
      const state = reduce([
        pending('local-1'),
        copy,
        { type: 'messageSent', ...oneToOne, localId: 'local-1', messageId: 'm-9', sender: 'alice@example.com', deliveryStatus: 'Sent', parts: [] },
      ])
      expect(messagesOf(state)).to.have.length(1)
      expect(messagesOf(state)[0]).to.deep.include({ localId: 'local-1', messageId: 'm-9' })
    })
  })

  describe('own copies', () => {
    it('gives the pending send the id and parts of its copy, keeping one message still pending', () => {
      const state = reduce([
        pending('local-1'),
        { type: 'ownCopyReceived', ...oneToOne, localId: 'local-1', messageId: 'm-9', parts: [{ type: 'text', text: 'hi' }] },
      ])
      expect(messagesOf(state)).to.have.length(1)
      expect(messagesOf(state)[0]).to.deep.include({ localId: 'local-1', messageId: 'm-9', isPending: true })
    })

    it('matches a copy to the oldest pending send with the same text and files', () => {
      const state = reduce([pending('local-1'), pending('local-2')])
      const conversation = findConversation(state, bob, 'chat-oneToOne')
      expect(pendingSendOf(conversation, inbound('m', 1, 'hi'))).to.equal('local-1')
      expect(pendingSendOf(conversation, inbound('m', 1, 'other'))).to.equal(undefined)
      expect(pendingSendOf(conversation, { ...inbound('m', 1, 'hi'), parts: [{ type: 'text', text: 'hi' }, { type: 'file', name: 'x' }] })).to.equal(undefined)
      expect(pendingSendOf(undefined, inbound('m', 1, 'hi'))).to.equal(undefined)
    })

    it('matches a copy only to a send still pending: not to a failed one, however new', () => {
      const state = reduce([
        pending('local-1'),
        pending('local-2', 1_700_000_001),
        { type: 'messageSendFailed', ...oneToOne, localId: 'local-2', error: new BasicError('messaging:1', 'failed') },
      ])
      expect(pendingSendOf(findConversation(state, bob, 'chat-oneToOne'), inbound('m', 1, 'hi'))).to.equal('local-1')
    })

    it('skips a pending send whose copy already came (it holds the id), matching the next one', () => {
      const state = reduce([
        pending('local-1'),
        pending('local-2', 1_700_000_001),
        { type: 'ownCopyReceived', ...oneToOne, localId: 'local-1', messageId: 'm-9', parts: [{ type: 'text', text: 'hi' }] },
      ])
      expect(pendingSendOf(findConversation(state, bob, 'chat-oneToOne'), inbound('m', 1, 'hi'))).to.equal('local-2')
    })
  })

  describe('receiving', () => {
    it('creates the conversation of a first message and sets lastReceived and lastMessage', () => {
      const state = reduce([{ ...(received(inbound('m1', 1_700_000_000_000, 'Hello')) as Extract<MessagingEvent, { type: 'messageReceived' }>), newConversation: true, address: 'alice@example.com' }])
      expect(state.conversations.values()).to.have.length(1)
      expect(state.conversations.values()[0]).to.deep.include({ lastReceived: 1_700_000_000_000, lastMessage: 'Hello', address: 'alice@example.com' })
      expect(messagesOf(state)[0]).to.deep.include({ messageId: 'm1', isPending: false, read: false })
    })

    it('keeps the last text as lastMessage when a later message has only a file', () => {
      const file = { ...inbound('m2', 2), parts: [{ type: 'file' as const, name: 'a.png', rawURL: 'http://p/f/raw' }] }
      const state = reduce([received(inbound('m1', 1, 'Hello')), received(file)])
      expect(findConversation(state, bob, 'chat-oneToOne')).to.deep.include({ lastReceived: 2, lastMessage: 'Hello' })
    })

    it('drops a message whose id the conversation already holds', () => {
      const state = reduce([received(inbound('m1', 1))])
      expect(messagingReducer(state, received(inbound('m1', 1, 'again')))).to.equal(state)
    })

    it('drops every re-sent message however old, also after a sent message learnt its id', () => {
      const many = Array.from({ length: 500 }, (_, index) => received(inbound(`m${index}`, 1_700_000_000_000 + index)))
      const state = reduce([pending('local-1'), { type: 'messageSent', ...oneToOne, localId: 'local-1', messageId: 'own-1', sender: 'alice@example.com', deliveryStatus: 'Sent', parts: [] }, ...many])
      const replayed = reduce([...many.slice(0, 200).reverse(), received(inbound('own-1', 1_700_000_000_000, 'copy'))], state)
      expect(replayed).to.equal(state)
      expect(messagesOf(replayed)).to.have.length(501)
    })

    it('tells held messages from new ones in any earlier state too, not only the newest', () => {
      const first = reduce([received(inbound('m1', 1))])
      const newest = reduce([received(inbound('m2', 2))], first)
      expect(messagesOf(messagingReducer(first, received(inbound('m2', 2)))).map((message) => message.messageId)).to.deep.equal(['m1', 'm2'])
      expect(messagingReducer(first, received(inbound('m1', 1)))).to.equal(first)
      expect(messagingReducer(newest, received(inbound('m2', 2)))).to.equal(newest)
    })

    it('orders messages by time, whatever order they arrive in', () => {
      const state = reduce([received(inbound('m3', 1_700_000_000_300)), received(inbound('m1', 1_700_000_000_100)), received(inbound('m2', 1_700_000_000_200))])
      expect(messagesOf(state).map((message) => message.messageId)).to.deep.equal(['m1', 'm2', 'm3'])
    })

    it('places an outgoing message (seconds) among received ones (milliseconds)', () => {
      const state = reduce([received(inbound('m1', 1_700_000_000_000)), received(inbound('m3', 1_700_000_002_000)), pending('local-2', 1_700_000_001)])
      expect(messagesOf(state).map((message) => message.messageId ?? message.localId)).to.deep.equal(['m1', 'local-2', 'm3'])
    })

    it('does not count an outbound copy as received', () => {
      const copy = { ...(received(inbound('m1', 7)) as Extract<MessagingEvent, { type: 'messageReceived' }>), direction: 'outbound' as const }
      const state = reduce([created, copy])
      expect(findConversation(state, bob, 'chat-oneToOne')?.lastReceived).to.equal(undefined)
      expect(messagesOf(state)).to.have.length(1)
    })

    it('holds a long conversation in order, and keeps each earlier version as it was', () => {
      const versions = [reduce([created])]
      for (let index = 0; index < 2_000; index += 1) versions.push(messagingReducer(versions.at(-1)!, received(inbound(`m${index}`, 1_700_000_000_000 + index))))
      expect(messagesOf(versions.at(-1)!).map((message) => message.messageId)).to.deep.equal(Array.from({ length: 2_000 }, (_, index) => `m${index}`))
      expect(messagesOf(versions[1_500]!)).to.have.length(1_499 + 1)
      expect(messagesOf(versions[33]!).at(-1)?.messageId).to.equal('m32')
    })

    it('shows a conversation’s messages as an enumerable array: Object.keys, a spread and JSON see them', () => {
      const conversation = findConversation(reduce([received(inbound('m1', 1)), received(inbound('m2', 2))]), bob, 'chat-oneToOne')!
      expect(Object.keys(conversation)).to.include('messages')
      expect({ ...conversation }.messages.map((message) => message.messageId)).to.deep.equal(['m1', 'm2'])
      expect((JSON.parse(JSON.stringify(conversation)) as { messages: Message[] }).messages).to.have.length(2)
      expect(conversation.messages).to.equal(conversation.messages)
    })

    it('keeps SMS and chat conversations with the same address apart', () => {
      const state = reduce([received(inbound('m1', 1)), received(inbound('s1', 2), { destination: bob, chatType: 'sms' })])
      expect(state.conversations.values()).to.have.length(2)
      expect(messagesOf(state, bob, 'sms').map((message) => message.messageId)).to.deep.equal(['s1'])
    })
  })

  describe('history', () => {
    const fetched = (messages: readonly Message[], page: 'older' | 'latest', next?: string, recovered = false): MessagingEvent => ({
      type: 'historyFetched',
      ...oneToOne,
      messages,
      next,
      page,
      recovered,
      newMessageIds: [],
      newConversation: false,
    })

    it('marks the conversation pending while history is fetched', () => {
      const state = reduce([created, { type: 'historyRequested', ...oneToOne }])
      expect(findConversation(state, bob, 'chat-oneToOne')?.isPending).to.equal(true)
      const failed = messagingReducer(state, { type: 'historyFailed', ...oneToOne, error: new BasicError('NO_CODE', 'x') })
      expect(findConversation(failed, bob, 'chat-oneToOne')?.isPending).to.equal(false)
    })

    it('merges a page by message id (fetched entries win, local fields stay), in time order, and clears the typing list', () => {
      const state = reduce([
        created,
        received(inbound('m2', 200, 'old text')),
        { type: 'messageRead', ...oneToOne, messageId: 'm2' },
        { type: 'typingChanged', ...oneToOne, sender: 'bob@example.com', state: 'active' },
        { type: 'historyRequested', ...oneToOne },
        fetched([{ messageId: 'm1', sender: 'bob', timestamp: 100, parts: [] }, { messageId: 'm2', sender: 'bob', timestamp: 200, parts: [{ type: 'text', text: 'new text' }] }], 'latest', 'n1'),
      ])
      const conversation = findConversation(state, bob, 'chat-oneToOne')!
      expect(conversation.messages.map((message) => message.messageId)).to.deep.equal(['m1', 'm2'])
      expect(conversation.messages[1]).to.deep.include({ sender: 'bob', read: true, parts: [{ type: 'text', text: 'new text' }] })
      expect(conversation.isTypingList).to.deep.equal([])
      expect(conversation.isPending).to.equal(false)
      expect(conversation.history).to.deep.equal({ fetched: true, next: 'n1' })
    })

    it('moves the paging cursor with older pages and keeps it for newest pages once set', () => {
      const first = reduce([created, fetched([], 'latest', 'n1')])
      const older = messagingReducer(first, fetched([], 'older', 'n2'))
      expect(findConversation(older, bob, 'chat-oneToOne')?.history).to.deep.equal({ fetched: true, next: 'n2' })
      const end = messagingReducer(older, fetched([], 'older', undefined))
      expect(findConversation(end, bob, 'chat-oneToOne')?.history).to.deep.equal({ fetched: true, next: undefined })
      const latest = messagingReducer(end, fetched([], 'latest', 'n9'))
      expect(findConversation(latest, bob, 'chat-oneToOne')?.history).to.deep.equal({ fetched: true, next: undefined })
    })

    it('keeps an image link held locally when a fetched copy of the message arrives', () => {
      const file = { type: 'file' as const, 'x-id': 'f1', rawURL: 'http://x/f1', name: 'a.png' }
      const state = reduce([
        received({ ...inbound('m1', 1), parts: [file] }),
        { type: 'linkCreated', ...oneToOne, ref: 'm1', partIndex: 0, url: 'blob:1' },
        fetched([{ messageId: 'm1', sender: 'bob', timestamp: 1, parts: [file] }], 'latest'),
      ])
      expect(messagesOf(state)[0]?.parts[0]).to.deep.include({ url: 'blob:1', 'x-id': 'f1' })
    })

    it('keeps no image link for a file part without an x-id: nothing tells which fetched part it is', () => {
      const file = { type: 'file' as const, rawURL: 'http://x/f1', name: 'a.png' }
      const state = reduce([
        received({ ...inbound('m1', 1), parts: [file] }),
        { type: 'linkCreated', ...oneToOne, ref: 'm1', partIndex: 0, url: 'blob:1' },
        fetched([{ messageId: 'm1', sender: 'bob', timestamp: 1, parts: [file] }], 'latest'),
      ])
      expect(messagesOf(state)[0]?.parts[0]).to.deep.equal(file)
    })

    it('ignores a page for a conversation it does not hold, unless it recovers missed messages', () => {
      expect(reduce([fetched([inbound('m1', 1)], 'latest')])).to.equal(initialMessagingState)
      const recovered = reduce([fetched([inbound('m1', 1)], 'latest', 'n', true)])
      expect(messagesOf(recovered).map((message) => message.messageId)).to.deep.equal(['m1'])
      expect(findConversation(recovered, bob, 'chat-oneToOne')?.history).to.deep.equal({ fetched: false })
    })

    it('keeps the typing list and cursor when recovering', () => {
      const state = reduce([
        created,
        fetched([], 'latest', 'n1'),
        { type: 'typingChanged', ...oneToOne, sender: 'bob@example.com', state: 'active' },
        fetched([inbound('m5', 5)], 'latest', 'n7', true),
      ])
      const conversation = findConversation(state, bob, 'chat-oneToOne')!
      expect(conversation.isTypingList).to.deep.equal(['bob@example.com'])
      expect(conversation.history).to.deep.equal({ fetched: true, next: 'n1' })
    })

    it('starts paging from the newest page again once messages are cleared', () => {
      const state = reduce([created, fetched([inbound('m1', 1)], 'latest', 'n1'), { type: 'messagesCleared', ...oneToOne }])
      expect(findConversation(state, bob, 'chat-oneToOne')?.history).to.deep.equal({ fetched: false })
      const empty = reduce([created, fetched([], 'latest', 'n1'), { type: 'messagesCleared', ...oneToOne }])
      expect(findConversation(empty, bob, 'chat-oneToOne')?.history).to.deep.equal({ fetched: false })
    })
  })

  describe('local changes and status', () => {
    it('clears messages', () => {
      const state = reduce([received(inbound('m1', 1)), { type: 'messagesCleared', ...oneToOne }])
      expect(messagesOf(state)).to.deep.equal([])
    })

    it('deletes a message by id', () => {
      const state = reduce([received(inbound('m1', 1)), received(inbound('m2', 2)), { type: 'messageDeleted', ...oneToOne, messageId: 'm1', remote: false }])
      expect(messagesOf(state).map((message) => message.messageId)).to.deep.equal(['m2'])
      expect(messagingReducer(state, { type: 'messageDeleted', ...oneToOne, messageId: 'm1', remote: true })).to.equal(state)
    })

    it('updates an SMS delivery status', () => {
      const sms = { destination: ['+15550001111'], chatType: 'sms' as const }
      const state = reduce([received(inbound('s1', 1), sms), { type: 'deliveryStatusChanged', ...sms, messageId: 's1', deliveryStatus: 'Delivered' }])
      expect(messagesOf(state, sms.destination, 'sms')[0]?.deliveryStatus).to.equal('Delivered')
    })

    it('marks a message read once', () => {
      const state = reduce([received(inbound('m1', 1)), { type: 'messageRead', ...oneToOne, messageId: 'm1' }])
      expect(messagesOf(state)[0]?.read).to.equal(true)
      expect(messagingReducer(state, { type: 'messageRead', ...oneToOne, messageId: 'm1' })).to.equal(state)
    })

    it('tracks fetching image links and stores each link on its part', () => {
      const file = { type: 'file' as const, rawURL: 'http://x/f', name: 'a.png' }
      const base = reduce([received({ ...inbound('m1', 1), parts: [{ type: 'text', text: 't' }, file] }), { type: 'linksRequested', ...oneToOne, ref: 'm1' }])
      expect(messagesOf(base)[0]?.isFetchingLinks).to.equal(true)
      const linked = reduce([{ type: 'linkCreated', ...oneToOne, ref: 'm1', partIndex: 1, url: 'blob:x' }, { type: 'linksSettled', ...oneToOne, ref: 'm1' }], base)
      expect(messagesOf(linked)[0]).to.deep.include({ isFetchingLinks: false })
      expect(messagesOf(linked)[0]?.parts[1]).to.deep.include({ url: 'blob:x', rawURL: 'http://x/f' })
    })

    it('adds a typist once and removes them when idle', () => {
      const active: MessagingEvent = { type: 'typingChanged', ...oneToOne, sender: 'bob@example.com', state: 'active' }
      const state = reduce([created, active, active])
      expect(findConversation(state, bob, 'chat-oneToOne')?.isTypingList).to.deep.equal(['bob@example.com'])
      const idle = messagingReducer(state, { ...active, state: 'idle' })
      expect(findConversation(idle, bob, 'chat-oneToOne')?.isTypingList).to.deep.equal([])
    })

    it('changes nothing for typing in an unknown conversation or for a failure', () => {
      const state = reduce([created])
      expect(messagingReducer(state, { type: 'typingChanged', destination: team, chatType: 'chat-group', sender: 'x', state: 'active' })).to.equal(state)
      expect(messagingReducer(state, { type: 'messagingFailed', operation: 'send', error: new BasicError('BAD_INPUT', 'x') })).to.equal(state)
    })

    it('changes only the conversation concerned (others keep their identity)', () => {
      const state = reduce([created, { type: 'conversationCreated', destination: team, chatType: 'chat-group' }])
      const next = messagingReducer(state, received(inbound('g1', 1), { destination: team, chatType: 'chat-group' }))
      expect(next.conversations.values()[0]).to.equal(state.conversations.values()[0])
      expect(next.conversations.values()[1]).to.not.equal(state.conversations.values()[1])
    })
  })
})
