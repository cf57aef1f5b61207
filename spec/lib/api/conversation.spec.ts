import { expect } from 'chai'
import { BasicError, create } from '../../../lib/index.js'
import { captureConsole, settled, useUncaught } from '../../streams/logs/capture.js'

describe('conversation.subscribe', () => {
  const uncaught = useUncaught()

  it('contains a subscriber that throws: it is logged, the other subscribers are called, nothing is re-thrown', async () => {
    const capture = captureConsole()
    const client = create({ logs: { logLevel: 'error' } }, { console: capture.console })
    const conversation = client.conversation.create('bob@example.com')
    const calls: unknown[] = []
    conversation.subscribe(() => {
      throw new Error('app bug')
    })
    conversation.subscribe((change) => calls.push(change))
    conversation.clearMessages()
    conversation.clearMessages()
    await settled()
    expect(calls).to.deep.equal([
      { conversationId: 'bob@example.com', messageId: undefined },
      { conversationId: 'bob@example.com', messageId: undefined },
    ])
    expect(uncaught).to.deep.equal([])
    expect(capture.calls.filter(({ args }) => String(args[0]).includes('A conversation subscriber threw'))).to.have.length(2)
    client.dispose()
  })
})

describe('Conversation and Message objects, as the original SDK shows them', () => {
  it('a conversation has an empty description and the configured features; a message being composed knows its conversation', () => {
    const client = create({ logs: { logLevel: 'silent' }, messaging: { features: ['base', 'history'] } })
    const conversation = client.conversation.create('bob@example.com', { type: 'chat-oneToOne' })
    expect(conversation).to.deep.include({ description: '', features: ['base', 'history'] })
    const message = conversation.createMessage({ type: 'text', text: 'hello' })
    expect(message).to.deep.include({
      destination: ['bob@example.com'],
      type: 'chat-oneToOne',
      convoContext: { features: ['base', 'history'], isGroup: false, type: 'chat-oneToOne' },
      parts: [{ type: 'text', text: 'hello' }],
    })
    client.dispose()
  })

  it('getMessages / getMessage give Message objects with the conversation\'s destination array, type and convoContext; the messages array keeps the stored messages', () => {
    const client = create({ logs: { logLevel: 'silent' } })
    const conversation = client.conversation.create('+15551230002', { type: 'sms' })
    // Sent without tokens: the message is stored (then fails), which is all this needs.
    conversation.createMessage('an sms').send()
    const [message] = conversation.getMessages()
    expect(message).to.deep.include({ destination: ['+15551230002'], type: 'sms', convoContext: { features: ['base', 'history', 'rich', 'parts', 'isTyping'], isGroup: false, type: 'sms' } })
    expect(conversation.getMessage(message!.localId!)).to.deep.include({ destination: ['+15551230002'], type: 'sms' })
    const stored = client.conversation.get('+15551230002', { type: 'sms' })!.messages[0]!
    expect(stored).to.not.have.property('convoContext')
    client.dispose()
  })

  it('gives the same Conversation object from get, getAll and create while the conversation is unchanged, a new one once it changes', () => {
    const client = create({ logs: { logLevel: 'silent' } })
    const created = client.conversation.create('bob@example.com')
    expect(client.conversation.get('bob@example.com')).to.equal(created)
    expect(client.conversation.getAll()[0]).to.equal(created)
    expect(client.conversation.create('bob@example.com')).to.equal(created)
    created.createMessage('hello').send() // without tokens: the message is stored (then fails), which changes the conversation
    const changed = client.conversation.get('bob@example.com')
    expect(changed).to.not.equal(created)
    expect(client.conversation.get('bob@example.com')).to.equal(changed)
    client.dispose()
  })

  it('takes a recipient in an array of one only: an array of two is refused with BAD_INPUT', () => {
    const client = create({ logs: { logLevel: 'silent' } })
    expect(client.conversation.create(['bob@example.com']).destination).to.deep.equal(['bob@example.com'])
    expect(() => client.conversation.create(['bob@example.com', 'carol@example.com'] as never)).to.throw(BasicError).with.property('code', 'BAD_INPUT')
    client.dispose()
  })

  it('gives each message its own parts: an app changing them leaves the stored message as it was', () => {
    const client = create({ logs: { logLevel: 'silent' } })
    const conversation = client.conversation.create('bob@example.com')
    // Sent without tokens: the message is stored (then fails), which is all this needs.
    conversation.createMessage('hello').send()
    const [message] = conversation.getMessages()
    ;(message!.parts[0] as { text: string }).text = 'changed'
    expect(conversation.getMessages()[0]!.parts).to.deep.equal([{ type: 'text', text: 'hello' }])
    client.dispose()
  })
})

describe('conversation.subscribe, for a send that fails', () => {
  it('is called with the local id when the message is stored, then without an id when its send fails', async () => {
    const client = create({ logs: { logLevel: 'silent' } })
    const conversation = client.conversation.create('bob@example.com')
    const calls: unknown[] = []
    conversation.subscribe((change) => calls.push(change))
    // Sent without tokens: the send fails.
    conversation.createMessage('hello').send()
    const { localId } = conversation.getMessages()[0]!
    await settled()
    expect(calls).to.deep.equal([
      { conversationId: 'bob@example.com', messageId: localId },
      { conversationId: 'bob@example.com', messageId: undefined },
    ])
    client.dispose()
  })
})

describe('conversation.fetchMessages', () => {
  const jwt = (payload: object): string => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`

  it('asks for the newest 50 messages when no amount is given (api-reference: default 50), and for the amount given otherwise', async () => {
    const asked: string[] = []
    // A stand-in platform: only the request line matters here, and no real one lets the spec read it.
    const fetch = (input: RequestInfo | URL): Promise<Response> => {
      asked.push(String(input))
      return Promise.resolve(new Response(JSON.stringify({ chatMessageList: { chatMessage: [] } }), { status: 200, headers: { 'Content-Type': 'application/json' } }))
    }
    const client = create({ logs: { logLevel: 'silent' }, authentication: { server: { base: 'platform.test' } } }, { fetch })
    client.setTokens({ accessToken: 'a', idToken: jwt({ preferred_username: 'alice@example.com' }) })
    const conversation = client.conversation.create('bob@example.com')
    conversation.fetchMessages()
    await settled()
    conversation.fetchMessages(7)
    await settled()
    expect(asked.map((url) => new URL(url).searchParams.get('max'))).to.deep.equal(['50', '7'])
    client.dispose()
  })

  it('refuses an amount that is not a positive whole number with BAD_INPUT', () => {
    const client = create({ logs: { logLevel: 'silent' } })
    const conversation = client.conversation.create('bob@example.com')
    for (const amount of [0, 2.5, '3']) {
      expect(() => conversation.fetchMessages(amount as number), String(amount)).to.throw(BasicError).with.property('code', 'BAD_INPUT')
    }
    client.dispose()
  })
})
