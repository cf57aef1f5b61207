import { expect } from 'chai'
import { receivedMessage } from '../../../streams/messaging/received.js'
import { initialMessagingState, messagingReducer, type Message, type MessagingEvent } from '../../../streams/messaging/state.js'

const plain = { messageId: 'm-1', sender: 'bob@example.com', timestamp: 1_700_000_000_000, parts: [{ type: 'text', text: 'Hi' }], isPending: false, read: false }
const hi = (): Message => receivedMessage('m-1', 'bob@example.com', 1_700_000_000_000, [{ type: 'text', text: 'Hi' }])

describe('streams/messaging/received', () => {
  it('reads a one-text message as the plain received message, keys in the same order', () => {
    const message = hi()
    expect(message).to.deep.equal(plain)
    expect(Object.keys(message)).to.deep.equal(Object.keys(plain))
    expect(message.parts).to.deep.equal([{ type: 'text', text: 'Hi' }])
    expect([message.isPending, message.read]).to.deep.equal([false, false])
  })

  it('spreads and serialises a one-text message as the plain one', () => {
    const message = hi()
    expect({ ...message }).to.deep.equal(plain)
    expect(Object.getOwnPropertySymbols({ ...message })).to.deep.equal([])
    expect(JSON.parse(JSON.stringify(message))).to.deep.equal(plain)
    expect(structuredClone(message)).to.deep.equal(plain)
  })

  it('hands out parts a reader may change without changing the message', () => {
    const message = hi()
    ;(message.parts[0] as { text: string }).text = 'changed'
    expect(message.parts).to.deep.equal([{ type: 'text', text: 'Hi' }])
  })

  it('keeps its timestamp exact, to the millisecond and beyond 2^32, and any other timestamp as given', () => {
    for (const timestamp of [0, 1, 2 ** 24 - 1, 2 ** 24, 1_700_000_000_123, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER]) {
      expect(receivedMessage('m-1', 'bob@example.com', timestamp, [{ type: 'text', text: 'Hi' }]).timestamp, String(timestamp)).to.equal(timestamp)
    }
    for (const timestamp of [1_700_000_000.5, -1, 2 ** 60]) {
      expect(receivedMessage('m-1', 'bob@example.com', timestamp, [{ type: 'text', text: 'Hi' }])).to.deep.equal({ ...plain, timestamp })
    }
  })

  it('keeps any other parts as given', () => {
    const file = { type: 'file' as const, name: 'a.png', rawURL: 'https://x/a.png' }
    const parts = [{ type: 'text' as const, text: 'Hi' }, file]
    expect(receivedMessage('m-2', 'bob@example.com', 1, parts)).to.deep.equal({ messageId: 'm-2', sender: 'bob@example.com', timestamp: 1, parts, isPending: false, read: false })
    const fileOnly = [file]
    expect(receivedMessage('m-3', 'bob@example.com', 1, fileOnly).parts).to.equal(fileOnly)
    const annotated = [{ type: 'text' as const, text: 'Hi', lang: 'en' }]
    expect(receivedMessage('m-4', 'bob@example.com', 1, annotated).parts).to.equal(annotated)
    const json = [{ type: 'json' as const, json: { a: 1 } }]
    expect(receivedMessage('m-5', 'bob@example.com', 1, json).parts).to.equal(json)
  })

  it('is marked read and deleted like any message of the state', () => {
    const target = { destination: ['bob@example.com'], chatType: 'chat-oneToOne' as const }
    const events: MessagingEvent[] = [
      { type: 'messageReceived', ...target, message: hi(), direction: 'inbound', newConversation: true },
      { type: 'messageRead', ...target, messageId: 'm-1' },
    ]
    const state = events.reduce(messagingReducer, initialMessagingState)
    const [read] = state.conversations.values()[0]!.messages
    expect(read).to.deep.equal({ ...plain, read: true })
    const deleted = messagingReducer(state, { type: 'messageDeleted', ...target, messageId: 'm-1', remote: true })
    expect(deleted.conversations.values()[0]!.messages).to.deep.equal([])
  })
})
