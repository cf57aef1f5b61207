import { useConformance, type Justified } from './harness.js'

/**
 * How Conversation and Message objects differ: kandy-rx has the reference's keys (address, lastMessage,
 * a message's isPending / read / deliveryStatus) and description 'Conversation' (protocol/messaging.md);
 * open: the original's features list, and a message's convoContext / destination / type.
 */
const shape = 'Conversation / Message keys: kandy-rx adds the documented address, lastMessage, isPending, read, deliveryStatus (and localId) and keeps description "Conversation" (protocol/messaging.md); open: the original\'s features, convoContext, destination and type keys'
const shapes = (paths: readonly string[]): Justified[] => paths.map((path) => ({ path, reason: shape }))

describe('conformance: conversations and messages (1:1, group, SMS)', function () {
  this.timeout(120000)
  const conformance = useConformance()

  it('1:1: create, createMessage, send, receive, get, getAll, getMessages, getMessage, subscribe, typing, delete', () =>
    conformance().check({
      name: 'chat 1:1',
      open: [
        ...shapes(['alice.steps.create', 'alice.steps.createMessage', 'alice.steps.getMessages', 'bob.steps.getAll', 'bob.steps.get', 'bob.steps.getMessage', 'bob.steps.getMessages fetched', 'bob.steps.getMessages cleared']),
        { path: 'alice.steps.subscriber calls', reason: 'open: the original never calls a Conversation.subscribe subscriber in this flow; kandy-rx calls it on each change of the messages, as the reference says' },
        { path: 'bob.events.isTypingList', reason: 'open: the typing indicators differ (to be looked at)' },
        { path: 'alice.events.messages', reason: 'open: messages:change payloads differ (to be looked at)' },
        { path: 'bob.events.messages', reason: 'open: messages:change payloads differ (to be looked at)' },
        { path: 'bob.events.conversations', reason: 'open: conversations:change payloads differ (to be looked at)' },
        { path: 'alice.steps.getAll after delete', reason: shape },
      ],
      run: async ({ open }) => {
        const alice = await open('alice@example.com', { services: ['chat'] })
        const bob = await open('bob@example.com', { services: ['chat'] })
        await alice.step('chatTypes', (client) => client.conversation.chatTypes)
        await alice.step('create', (client) => client.conversation.create('Bob@Example.com', { type: 'chat-oneToOne' }))
        await alice.quiet()
        await alice.step('subscribe', (client) => {
          const conversation = client.conversation.get('bob@example.com') as unknown as { subscribe(listener: (value: unknown) => void): () => void }
          const seen: unknown[] = []
          ;(window as unknown as { seen: unknown[] }).seen = seen
          return typeof conversation.subscribe((value) => seen.push(value))
        })
        await alice.step('createMessage', (client) => {
          const conversation = client.conversation.get('bob@example.com') as unknown as { createMessage(part: unknown): Record<string, unknown> }
          const message = conversation.createMessage({ type: 'text', text: 'hello bob' })
          ;(window as unknown as { message: unknown }).message = message
          return message
        })
        await alice.step('send', () => (window as unknown as { message: { send(): unknown } }).message.send())
        await alice.quiet()
        await bob.quiet()
        await alice.settle(500)
        await alice.step('getMessages', (client) => (client.conversation.get('bob@example.com') as unknown as { getMessages(): unknown }).getMessages())
        await alice.step('subscriber calls', () => (window as unknown as { seen: unknown[] }).seen)
        await bob.step('getAll', (client) => client.conversation.getAll())
        await bob.step('get', (client) => client.conversation.get('alice@example.com'))
        await bob.step('getMessage', (client) => {
          const conversation = client.conversation.get('alice@example.com') as unknown as { getMessages(): Array<{ messageId: string }>; getMessage(id: string): unknown }
          return conversation.getMessage(conversation.getMessages()[0]!.messageId)
        })
        await bob.step('setIsTyping', (client) => (client.conversation.get('alice@example.com') as unknown as { setIsTyping(value: boolean): unknown }).setIsTyping(true))
        await alice.quiet()
        await alice.step('isTypingList', (client) => (client.conversation.get('bob@example.com') as unknown as { isTypingList: unknown }).isTypingList)
        await bob.step('clearMessages', (client) => (client.conversation.get('alice@example.com') as unknown as { clearMessages(): unknown }).clearMessages())
        await bob.step('getMessages cleared', (client) => (client.conversation.get('alice@example.com') as unknown as { getMessages(): unknown }).getMessages())
        await bob.step('fetchMessages', (client) => (client.conversation.get('alice@example.com') as unknown as { fetchMessages(amount: number): unknown }).fetchMessages(10))
        await bob.until((client) => (client.conversation.get('alice@example.com') as unknown as { getMessages(): unknown[] }).getMessages().length > 0)
        await bob.step('getMessages fetched', (client) => (client.conversation.get('alice@example.com') as unknown as { getMessages(): unknown }).getMessages())
        await alice.step('deleteMessages', (client) => {
          const conversation = client.conversation.get('bob@example.com') as unknown as { getMessages(): Array<{ messageId: string }>; deleteMessages(ids: string[]): unknown }
          return conversation.deleteMessages([conversation.getMessages()[0]!.messageId])
        })
        await alice.until((client) => (client.conversation.get('bob@example.com') as unknown as { getMessages(): unknown[] }).getMessages().length === 0)
        await alice.step('delete', (client) => (client.conversation.get('bob@example.com') as unknown as { delete(): unknown }).delete())
        await alice.settle(1000)
        await alice.step('getAll after delete', (client) => client.conversation.getAll())
      },
    }))

  it('1:1: fetch conversations, create with an array of one recipient', () =>
    conformance().check({
      name: 'chat fetch and array recipient',
      open: [
        ...shapes(['alice.steps.create([userId])', 'bob.steps.getAll fetched']),
        { path: 'bob.events.conversations', reason: 'open: conversations:change payloads differ (to be looked at)' },
        { path: 'alice.events.notification', reason: 'open: notification:received payloads differ' },
        { path: 'bob.events.notification', reason: 'open: notification:received payloads differ' },
        { path: 'alice.events.messages', reason: 'open: messages:change payloads differ (to be looked at)' },
        { path: 'bob.events.messages', reason: 'open: messages:change payloads differ (to be looked at)' },
      ],
      run: async ({ open }) => {
        const alice = await open('alice@example.com', { services: ['chat'] })
        const bob = await open('bob@example.com', { services: ['chat'] })
        await alice.step('create([userId])', (client) => (client.conversation.create as (to: unknown, options: unknown) => unknown)(['bob@example.com'], { type: 'chat-oneToOne' }))
        await alice.step('send', (client) => {
          const conversation = client.conversation.getAll()[0] as unknown as { createMessage(part: unknown): { send(): unknown } }
          return conversation.createMessage({ type: 'text', text: 'to an array' }).send()
        })
        await bob.quiet()
        await bob.step('fetch', (client) => client.conversation.fetch({ type: 'chat-oneToOne' }))
        await bob.quiet()
        await bob.step('getAll fetched', (client) => client.conversation.getAll())
      },
    }))

  it('group chat: send to a group, members receive it', () =>
    conformance().check({
      name: 'chat group',
      open: [
        ...shapes(['alice.steps.create group conversation', 'bob.steps.get']),
        { path: 'alice.events.group', reason: 'Recommendation (protocol/events.md §9): kandy-rx also sets groupId' },
        { path: 'bob.events.group', reason: 'Recommendation (protocol/events.md §9): kandy-rx also sets groupId' },
        { path: 'alice.events.notification', reason: 'kandy-rx hands notification:received the notification as it came; the original a rewritten copy' },
        { path: 'bob.events.notification', reason: 'kandy-rx hands notification:received the notification as it came; the original a rewritten copy' },
        { path: 'bob.events.messages', reason: 'open: messages:change payloads differ (to be looked at)' },
        { path: 'alice.events.conversations', reason: 'open: conversations:change payloads differ (to be looked at)' },
      ],
      run: async ({ open }) => {
        const alice = await open('alice@example.com', { services: ['chat'] })
        const bob = await open('bob@example.com', { services: ['chat'] })
        await alice.run((client) => client.groups.create({ name: 'Chatters', participants: [{ address: 'bob@example.com' }], type: 'Closed' }))
        await alice.quiet()
        await bob.quiet()
        const groupId = await alice.run((client) => (client.groups.getAll() as Array<{ id: string }>)[0]!.id)
        await bob.run((client, id) => client.groups.acceptInvitation(id), groupId)
        await bob.quiet()
        await alice.step('create group conversation', (client, id) => client.conversation.create(id, { type: 'chat-group' }), groupId)
        await alice.step('send', (client, id) => {
          const conversation = client.conversation.get(id, { type: 'chat-group' }) as unknown as { createMessage(part: unknown): { send(): unknown } }
          return conversation.createMessage({ type: 'text', text: 'hello team' }).send()
        }, groupId)
        await bob.quiet()
        await bob.settle(500)
        await bob.step('get', (client, id) => client.conversation.get(id, { type: 'chat-group' }), groupId)
        await alice.step('fetch group', (client) => client.conversation.fetch({ type: 'chat-group' }))
        await alice.quiet()
      },
    }))

  it('SMS: send to a phone number, the owner of the number receives it', () =>
    conformance().check({
      name: 'sms',
      open: [
        ...shapes(['alice.steps.create', 'alice.steps.getMessages', 'bob.steps.getAll']),
        { path: 'bob.events.messages', reason: 'open: messages:change payloads differ (to be looked at)' },
        { path: 'bob.events.conversations', reason: 'open: conversations:change payloads differ (to be looked at)' },
      ],
      run: async ({ open }) => {
        const alice = await open('alice@example.com', { services: ['smsinbound'] })
        const bob = await open('bob@example.com', { services: ['smsinbound'] })
        await alice.step('create', (client) => client.conversation.create('+15551230002', { type: 'sms' }))
        await alice.step('send', (client) => {
          const conversation = client.conversation.get('+15551230002', { type: 'sms' }) as unknown as { createMessage(part: unknown): { send(): unknown } }
          return conversation.createMessage({ type: 'text', text: 'an sms' }).send()
        })
        await alice.quiet()
        await bob.quiet()
        await bob.settle(500)
        await alice.step('getMessages', (client) => (client.conversation.get('+15551230002', { type: 'sms' }) as unknown as { getMessages(): unknown }).getMessages())
        await bob.step('getAll', (client) => client.conversation.getAll())
      },
    }))

  it('bad input: create with an unknown type, get an unknown conversation', () =>
    conformance().check({
      name: 'conversation bad input',
      justified: [
        { path: 'alice.steps.create(unknown type)', reason: 'bad input: the original creates a chat-oneToOne conversation for an unknown type; kandy-rx throws a BasicError BAD_INPUT' },
        { path: 'alice.events.conversations', reason: 'bad input: follows from the line above (the original announces the conversation it created)' },
      ],
      run: async ({ open }) => {
        const alice = await open('alice@example.com', { services: ['chat'] })
        await alice.step('create(unknown type)', (client) => (client.conversation.create as (to: string, options: unknown) => unknown)('bob@example.com', { type: 'carrier-pigeon' }))
        await alice.step('get(unknown)', (client) => client.conversation.get('nobody@example.com'))
      },
    }))
})
