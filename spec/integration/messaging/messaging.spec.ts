// Messaging end to end: SDK clients in Node (documented API) against the local platform over
// real HTTP and WebSocket. Faults come from the platform's admin API.
import { expect } from 'chai'
import { resolveObjectURL } from 'node:buffer'
import type { Conversation, ConversationApi, FilePart, Message } from '../../../lib/api/conversation.js'
import type { Client } from '../../../lib/index.js'
import { createTestClient, nextEvent, until, type TestClient, type TestClientOptions } from '../../helpers/client.js'
import { virtualClock } from '../../helpers/clock.js'
import { usePersistedPlatform, usePlatform, type TestPlatform } from '../../helpers/platform.js'
import { manualClock } from '../../platform/clock.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

const alicePhone = '+15551230001'
const bobPhone = '+15551230002'

/** The messaging namespace of a client. */
const chat = (client: Client): ConversationApi => (client as unknown as { conversation: ConversationApi }).conversation

/** Every event of a client, in order. */
function record(client: Client): { type: string; payload: Json }[] {
  const seen: { type: string; payload: Json }[] = []
  client.subscribe((type, [payload]) => seen.push({ type, payload: payload as Json }))
  return seen
}

/**
 * Resolves once `client` has every notification the platform sent `userId` so far: a marker of a kind
 * no feature handles (only `notification:received`) follows them on the same socket, and frames arrive in order.
 */
async function caughtUp(platform: TestPlatform, client: Client, userId: string): Promise<void> {
  const marker = `caught up ${Date.now()}`
  const arrived = nextEvent<Json>(client, 'notification:received', ({ payload }) => payload.markerNotification?.marker === marker)
  await platform.admin.notify(userId, 'chat', { markerNotification: { marker } })
  await arrived
}

const texts = (conversation: Conversation | undefined): string[] =>
  (conversation?.getMessages() ?? []).map((message) => (message.parts.find((part) => part.type === 'text') as { text: string } | undefined)?.text ?? '')

/** Bob sends `m1` … `m<count>` to Dave, each once the platform stored it. */
async function sendToDave(bob: Client, count: number): Promise<void> {
  const toDave = chat(bob).create('dave@example.com')
  for (let i = 1; i <= count; i++) {
    const sent = nextEvent<Json>(bob, 'messages:change', (payload) => payload.messageId !== undefined)
    toDave.createMessage(`m${i}`).send()
    await sent
  }
}

/**
 * A fetch for a client's environment that counts the answers it read under `path`: the SDK applies an answer in the turn it
 * reads its text, so this is the one sign that a page it drops has landed.
 */
function answersRead(path: string): { readonly fetch: typeof fetch; readonly count: () => number } {
  let count = 0
  const counted: typeof fetch = async (input, init) => {
    const response = await fetch(input, init)
    const url = input instanceof Request ? input.url : String(input)
    if (!new URL(url).pathname.startsWith(path)) return response
    const text = response.text.bind(response)
    return Object.assign(response, { text: () => text().finally(() => void (count += 1)) })
  }
  return { fetch: counted, count: () => count }
}

describe('integration: messaging', function () {
  this.timeout(30000)
  const platform = usePlatform()
  const clients: TestClient[] = []
  const client = async (userId: string, options: TestClientOptions = {}): Promise<TestClient> => {
    const made = await createTestClient(platform(), userId, { services: ['chat', 'smsinbound'], ...options })
    clients.push(made)
    return made
  }
  afterEach(async () => {
    for (const made of clients.splice(0)) made.dispose()
    await platform().admin.clearFaults()
  })

  describe('one-to-one chat', () => {
    it('creates a conversation (lower-cased), shows a send as pending, then sent; the recipient gets a new conversation', async () => {
      const alice = await client('alice@example.com')
      const bob = await client('bob@example.com')
      const aliceEvents = record(alice)
      const created = nextEvent<Json>(alice, 'conversations:new')
      const conversation = chat(alice).create('Bob@Example.COM')
      expect(await created).to.deep.equal({ destination: ['bob@example.com'], type: 'chat-oneToOne' })
      expect(conversation.destination).to.deep.equal(['bob@example.com'])
      expect(chat(alice).create('bob@example.com').destination).to.deep.equal(['bob@example.com'])
      expect(chat(alice).getAll()).to.have.length(1)

      const sent = nextEvent<Json>(alice, 'messages:change', (payload) => payload.messageId !== undefined)
      const arrived = nextEvent<Json>(bob, 'conversations:change')
      conversation.createMessage({ type: 'text', text: 'Hello Bob' }).send()
      const pending = conversation.getMessages()
      expect(pending).to.have.length(1)
      expect(pending[0]).to.deep.include({ isPending: true, read: false, type: 'chat-oneToOne', messageId: undefined })
      expect(pending[0]!.timestamp).to.be.closeTo(Date.now() / 1000, 5)

      const change = await sent
      expect(change).to.deep.include({ destination: ['bob@example.com'], type: 'chat-oneToOne', sender: 'alice@example.com' })
      const [message] = conversation.getMessages()
      expect(message).to.deep.include({ isPending: false, messageId: change.messageId, sender: 'alice@example.com', deliveryStatus: 'Sent' })
      expect(message!.parts).to.deep.equal([{ type: 'text', text: 'Hello Bob' }])

      const inbound = await arrived
      expect(inbound).to.deep.include({ destination: ['alice@example.com'], type: 'chat-oneToOne' })
      const bobs = chat(bob).get('alice@example.com')!
      expect(bobs.messages).to.have.length(1)
      expect(bobs.messages[0]).to.deep.include({ messageId: inbound.messageId, sender: 'alice@example.com', isPending: false, read: false })
      expect(bobs.lastReceived).to.equal(bobs.messages[0]!.timestamp)
      expect(inbound.messageId).to.not.equal(change.messageId)

      // The platform's outbound copy of alice's own send does not duplicate it.
      await until(() => aliceEvents.some((event) => event.type === 'messages:change'), 'the send event')
      const second = nextEvent<Json>(bob, 'messages:change')
      conversation.createMessage('second').send()
      expect(await second).to.deep.include({ destination: ['alice@example.com'], type: 'chat-oneToOne' })
      await until(() => conversation.getMessages().every((m) => !m.isPending), 'the second send')
      expect(texts(chat(alice).get('bob@example.com'))).to.deep.equal(['Hello Bob', 'second'])
      expect(aliceEvents.filter((event) => event.type === 'conversations:change')).to.deep.equal([])
    })

    it('marks a received message read locally', async () => {
      const alice = await client('alice@example.com')
      const bob = await client('bob@example.com')
      const arrived = nextEvent<Json>(bob, 'conversations:change')
      chat(alice).create('bob@example.com').createMessage('read me').send()
      const { messageId } = await arrived
      const message = chat(bob).get('alice@example.com')!.getMessage(messageId)!
      expect(message.read).to.equal(false)
      const changed = nextEvent<Json>(bob, 'messages:change')
      message.markRead()
      expect(await changed).to.deep.equal({ destination: ['alice@example.com'], messageId, type: 'chat-oneToOne' })
      expect(chat(bob).get('alice@example.com')!.getMessage(messageId)!.read).to.equal(true)
    })

    it('leaves a message of the user\'s own unread when markRead is called on it', async () => {
      const alice = await client('alice@example.com')
      await client('bob@example.com')
      const conversation = chat(alice).create('bob@example.com')
      const sent = nextEvent<Json>(alice, 'messages:change', (payload) => payload.messageId !== undefined)
      conversation.createMessage('mine').send()
      const { messageId } = await sent
      const events = record(alice)
      conversation.getMessage(messageId)!.markRead()
      // markRead acts at once, and events reach listeners in a microtask.
      await new Promise((resolve) => setImmediate(resolve))
      expect(events).to.deep.equal([])
      expect(conversation.getMessage(messageId)!.read).to.equal(false)
    })

    it('forwards a message to another user (lower-cased), in a new conversation of the same type', async () => {
      const alice = await client('alice@example.com')
      const bob = await client('bob@example.com')
      const carol = await client('carol@example.com')
      const arrived = nextEvent<Json>(bob, 'conversations:change')
      chat(alice).create('bob@example.com').createMessage('pass it on').send()
      const { messageId } = await arrived
      const created = nextEvent<Json>(bob, 'conversations:new')
      const forwarded = nextEvent<Json>(carol, 'conversations:change')
      chat(bob).get('alice@example.com')!.getMessage(messageId)!.forward('Carol@Example.COM')
      expect(await created).to.deep.equal({ destination: ['carol@example.com'], type: 'chat-oneToOne' })
      expect(await forwarded).to.deep.include({ destination: ['bob@example.com'], type: 'chat-oneToOne' })
      expect(texts(chat(carol).get('bob@example.com'))).to.deep.equal(['pass it on'])
    })

    it('tells a conversation\'s subscriber which message changed: the local id while sending, then the sent, received and read message\'s id', async () => {
      const alice = await client('alice@example.com')
      const bob = await client('bob@example.com')
      const aliceCalls: Json[] = []
      const bobCalls: Json[] = []
      chat(alice).create('bob@example.com').subscribe((change) => aliceCalls.push(change))
      chat(bob).create('alice@example.com').subscribe((change) => bobCalls.push(change))
      const arrived = nextEvent<Json>(bob, 'messages:change')
      chat(alice).get('bob@example.com')!.createMessage('hello').send()
      const { localId } = chat(alice).get('bob@example.com')!.getMessages()[0]!
      const { messageId } = await arrived
      await until(() => aliceCalls.length >= 2, 'the sender\'s two subscriber calls')
      const sentId = chat(alice).get('bob@example.com')!.getMessages()[0]!.messageId
      expect(aliceCalls.slice(0, 2)).to.deep.equal([
        { conversationId: 'bob@example.com', messageId: localId },
        { conversationId: 'bob@example.com', messageId: sentId },
      ])
      await until(() => bobCalls.length >= 1, 'the recipient\'s subscriber call')
      chat(bob).get('alice@example.com')!.getMessage(messageId)!.markRead()
      await until(() => bobCalls.length >= 2, 'the read')
      expect(bobCalls).to.deep.equal([
        { conversationId: 'alice@example.com', messageId },
        { conversationId: 'alice@example.com', messageId },
      ])
    })

    it('calls a conversation\'s subscriber on each change of its messages until unsubscribed', async () => {
      const alice = await client('alice@example.com')
      await client('bob@example.com')
      const conversation = chat(alice).create('bob@example.com')
      const calls: Json[] = []
      const unsubscribe = conversation.subscribe((change) => calls.push(change))
      const sent = nextEvent(alice, 'messages:change')
      conversation.createMessage('one').send()
      await sent
      await until(() => calls.length >= 2, 'two subscriber calls')
      expect(calls[0]).to.deep.include({ conversationId: 'bob@example.com' })
      expect(calls.at(-1)!.messageId).to.equal(conversation.getMessages()[0]!.messageId)
      unsubscribe()
      const count = calls.length
      const first = conversation.getMessages()[0]!.messageId
      const sentAgain = nextEvent<Json>(alice, 'messages:change', (payload) => payload.messageId !== undefined && payload.messageId !== first)
      conversation.createMessage('two').send()
      await sentAgain
      // Sent, and the platform's outbound copy (pushed before the marker) handled too.
      await caughtUp(platform(), alice, 'alice@example.com')
      expect(conversation.getMessages()).to.have.length(2)
      expect(calls).to.have.length(count)
    })

    it('relays typing: the recipient sees the typist in isTypingList, and the typist never lists itself', async () => {
      const alice = await client('alice@example.com')
      const bob = await client('bob@example.com')
      chat(bob).create('alice@example.com')
      const aliceTyping = record(alice)
      const active = nextEvent<Json>(bob, 'isTypingList:change')
      const conversation = chat(alice).create('bob@example.com')
      conversation.setIsTyping(true)
      expect(await active).to.deep.equal({ destination: ['alice@example.com'], sender: 'alice@example.com', type: 'chat-oneToOne', state: 'active' })
      expect(chat(bob).get('alice@example.com')!.isTypingList).to.deep.equal(['alice@example.com'])
      const idle = nextEvent<Json>(bob, 'isTypingList:change')
      conversation.setIsTyping(false)
      expect(await idle).to.include({ state: 'idle' })
      expect(chat(bob).get('alice@example.com')!.isTypingList).to.deep.equal([])
      expect(chat(alice).get('bob@example.com')!.isTypingList).to.deep.equal([])
      expect(aliceTyping.filter((event) => event.type === 'isTypingList:change')).to.deep.equal([])
    })

    it('keeps the user\'s other device in step: its own sends appear there, deletions too', async () => {
      const phone = await client('alice@example.com')
      const laptop = await client('alice@example.com')
      await client('bob@example.com')
      const copied = nextEvent<Json>(laptop, 'conversations:change')
      chat(phone).create('bob@example.com').createMessage('from my phone').send()
      const copy = await copied
      expect(copy).to.deep.include({ destination: ['bob@example.com'], type: 'chat-oneToOne' })
      const onLaptop = chat(laptop).get('bob@example.com')!
      expect(texts(onLaptop)).to.deep.equal(['from my phone'])
      expect(onLaptop.messages[0]).to.deep.include({ sender: 'alice@example.com', messageId: copy.messageId })
      await until(() => chat(phone).get('bob@example.com')!.getMessages()[0]?.messageId === copy.messageId, 'the phone\'s send')
      const deletedThere = nextEvent<Json>(laptop, 'messages:change', (payload) => payload.messageId === copy.messageId)
      chat(phone).get('bob@example.com')!.deleteMessages([copy.messageId])
      await deletedThere
      expect(chat(laptop).get('bob@example.com')!.getMessages()).to.deep.equal([])
    })
  })

  describe('group chat', () => {
    const group = async (p: TestPlatform): Promise<string> => {
      const [alice, bob, carol] = await Promise.all(['alice@example.com', 'bob@example.com', 'carol@example.com'].map((id) => p.login(id)))
      const created = (await (
        await p.fetchAs(alice!, 'POST', '/cpaas/chat/v1/alice@example.com/group', {
          groupChatSessionInformation: { participant: [alice!, bob!, carol!].map((u, i) => ({ address: u.identity, 'x-isAdmin': i === 0 })), 'x-name': 'Team' },
        })
      ).json()) as Json
      const id = (created.groupChatSessionInformation.resourceURL as string).split('/').pop()!
      for (const member of [bob!, carol!]) {
        const accepted = await p.fetchAs(member, 'PUT', `/cpaas/chat/v1/${member.userId}/group/${id}/participants/${member.identity}/status`, { participantSessionStatus: { status: 'Connected' } })
        expect(accepted.status).to.equal(200)
      }
      return id
    }

    it('delivers a group message to every participant under the group id, with group typing', async () => {
      const groupId = await group(platform())
      const alice = await client('alice@example.com')
      const bob = await client('bob@example.com')
      const carol = await client('carol@example.com')
      const team = chat(alice).create(groupId, { type: chat(alice).chatTypes.GROUP })
      const toBob = nextEvent<Json>(bob, 'conversations:change')
      const toCarol = nextEvent<Json>(carol, 'conversations:change')
      const sent = nextEvent<Json>(alice, 'messages:change')
      team.createMessage('Hi team').send()
      expect(await sent).to.deep.include({ destination: [groupId], type: 'chat-group', sender: 'alice@example.com' })
      for (const [member, arrived] of [[bob, toBob], [carol, toCarol]] as const) {
        expect(await arrived).to.deep.include({ destination: [groupId], type: 'chat-group' })
        const conversation = chat(member).get(groupId, { type: 'group' })!
        expect(texts(conversation)).to.deep.equal(['Hi team'])
        expect(conversation.messages[0]!.sender).to.equal('alice@example.com')
      }
      const typing = nextEvent<Json>(carol, 'isTypingList:change')
      chat(bob).get(groupId, { type: 'chat-group' })!.setIsTyping(true)
      expect(await typing).to.deep.equal({ destination: [groupId], sender: 'bob@example.com', type: 'chat-group', state: 'active' })
      expect(chat(carol).get(groupId, { type: 'chat-group' })!.isTypingList).to.deep.equal(['bob@example.com'])
    })

    it('lists group conversations with fetch', async () => {
      const groupId = await group(platform())
      const alice = await client('alice@example.com')
      const sent = nextEvent(alice, 'messages:change')
      chat(alice).create(groupId, { type: 'chat-group' }).createMessage('listed').send()
      await sent
      const alice2 = await client('alice@example.com')
      const fetched = nextEvent<Json[]>(alice2, 'conversations:change')
      chat(alice2).fetch({ type: chat(alice2).chatTypes.GROUP })
      const list = await fetched
      expect(list).to.deep.include({ destination: [groupId], type: 'chat-group' })
      const conversation = chat(alice2).get(groupId, { type: 'chat-group' })!
      expect(conversation).to.deep.include({ lastMessage: 'listed', address: 'alice@example.com' })
      expect(conversation.id).to.be.a('string')
    })
  })

  describe('SMS', () => {
    it('sends an SMS to a user\'s number: pending, then delivered; the owner receives it as SMS from the sender\'s number', async () => {
      const alice = await client('alice@example.com')
      const bob = await client('bob@example.com')
      const conversation = chat(alice).create(bobPhone, { type: 'sms' })
      const sent = nextEvent<Json>(alice, 'messages:change', (payload) => payload.messageId !== undefined)
      const arrived = nextEvent<Json>(bob, 'conversations:change')
      conversation.createMessage('Hi by SMS').send()
      const change = await sent
      expect(change).to.deep.include({ destination: [bobPhone], type: 'sms', sender: 'alice@example.com' })
      expect(conversation.getMessage(change.messageId)).to.deep.include({ deliveryStatus: 'Pending', isPending: false, sender: 'alice@example.com' })
      const receipt = await nextEvent<Json>(alice, 'messages:change', (payload) => payload.messageId === change.messageId)
      expect(receipt).to.deep.equal({ destination: [bobPhone], messageId: change.messageId, type: 'sms' })
      expect(conversation.getMessage(change.messageId)!.deliveryStatus).to.equal('Delivered')
      expect(await arrived).to.deep.include({ destination: [alicePhone], type: 'sms' })
      const bobs = chat(bob).get(alicePhone, { type: 'sms' })!
      expect(texts(bobs)).to.deep.equal(['Hi by SMS'])
      expect(bobs.messages[0]!.sender).to.equal(alicePhone)
    })

    it('sends an SMS to an unknown number: accepted and left pending', async () => {
      const alice = await client('alice@example.com', { config: { messaging: { smsFrom: alicePhone } } })
      const conversation = chat(alice).create('+15559990000', { type: chat(alice).chatTypes.SMS })
      const sent = nextEvent<Json>(alice, 'messages:change')
      conversation.createMessage('to the outside').send()
      const change = await sent
      expect(conversation.getMessage(change.messageId)).to.deep.include({ deliveryStatus: 'Pending', isPending: false })
      const history = (await (await platform().fetchAs(alice.tokens, 'GET', '/cpaas/smsmessaging/v1/alice@example.com/remoteAddresses/+15559990000/localAddresses/default/messages')).json()) as Json
      expect(history.smsMessageList.smsMessage.map((m: Json) => m.message)).to.deep.equal(['to the outside'])
    })

    it('fails an SMS from a number the user does not own with messaging:5 and delivery status Failed', async () => {
      const alice = await client('alice@example.com', { config: { messaging: { smsFrom: bobPhone } } })
      const conversation = chat(alice).create('+15559990001', { type: 'sms' })
      const done = nextEvent<Json>(alice, 'messages:change')
      conversation.createMessage('not mine').send()
      expect(await done).to.deep.equal({ destination: ['+15559990001'], type: 'sms', messageId: undefined, sender: undefined })
      const [message] = conversation.getMessages()
      expect(message).to.deep.include({ isPending: false, messageId: null, deliveryStatus: 'Failed' })
      expect(message!.error).to.include({ name: 'BasicError', code: 'messaging:5' })
    })

    it('lists SMS conversations and fetches their history', async () => {
      const alice = await client('alice@example.com')
      const sent = nextEvent<Json>(alice, 'messages:change', (payload) => payload.messageId !== undefined)
      chat(alice).create('+15551230004', { type: 'sms' }).createMessage('SMS for the record').send()
      await sent
      const dave = await client('dave@example.com')
      const listed = nextEvent<Json[]>(dave, 'conversations:change')
      chat(dave).fetch({ type: 'sms' })
      expect(await listed).to.deep.include({ destination: [alicePhone], type: 'sms' })
      const conversation = chat(dave).get(alicePhone, { type: 'sms' })!
      expect(conversation).to.deep.include({ lastMessage: 'SMS for the record', address: '+15551230004' })
      const fetched = nextEvent<Json>(dave, 'messages:change')
      conversation.fetchMessages()
      expect(await fetched).to.deep.equal({ destination: [alicePhone], type: 'sms' })
      const [message] = chat(dave).get(alicePhone, { type: 'sms' })!.getMessages()
      expect(message).to.deep.include({ sender: alicePhone, parts: [{ type: 'text', text: 'SMS for the record' }] })
    })

    it('receives an SMS from outside the platform', async () => {
      const carol = await client('carol@example.com')
      const arrived = nextEvent<Json>(carol, 'conversations:change')
      await fetch(`${platform().url}/_admin/sms`, { method: 'POST', headers: { Authorization: `Bearer ${platform().adminSecret}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ from: '+15557770000', to: 'carol@example.com', text: 'external' }) })
      expect(await arrived).to.deep.include({ destination: ['+15557770000'], type: 'sms' })
      expect(texts(chat(carol).get('+15557770000', { type: 'sms' }))).to.deep.equal(['external'])
    })
  })

  describe('history', () => {
    /** The reader's conversation with Bob, and `page()`: fetches its next `amount` messages and gives every text held then. */
    const pagesOf = (reader: TestClient, amount: number) => {
      const conversation = chat(reader).create('bob@example.com')
      const page = async (): Promise<string[]> => {
        const fetched = nextEvent<Json>(reader, 'messages:change')
        conversation.fetchMessages(amount)
        expect(await fetched).to.deep.equal({ destination: ['bob@example.com'], type: 'chat-oneToOne' })
        return texts(chat(reader).get('bob@example.com'))
      }
      return { conversation, page }
    }

    it('pages back with repeated fetchMessages calls, keeping messages in time order', async () => {
      const bob = await client('bob@example.com')
      const dave = await client('dave@example.com')
      await sendToDave(bob, 7)
      const { page } = pagesOf(await client('dave@example.com'), 3)
      expect(await page()).to.deep.equal(['m5', 'm6', 'm7'])
      expect(await page()).to.deep.equal(['m2', 'm3', 'm4', 'm5', 'm6', 'm7'])
      expect(await page()).to.deep.equal(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'])
      expect(await page()).to.deep.equal(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'])
      expect(texts(chat(dave).get('bob@example.com'))).to.have.length(7)
    })

    it('fetches the newest page again after clearMessages, not the page after the one fetched before the clear', async () => {
      await sendToDave(await client('bob@example.com'), 5)
      const dave = await client('dave@example.com')
      const { conversation, page } = pagesOf(dave, 2)
      expect(await page()).to.deep.equal(['m4', 'm5'])
      const cleared = nextEvent<Json>(dave, 'messages:change')
      conversation.clearMessages()
      await cleared
      expect(texts(chat(dave).get('bob@example.com'))).to.deep.equal([])
      expect(await page()).to.deep.equal(['m4', 'm5'])
      expect(await page()).to.deep.equal(['m2', 'm3', 'm4', 'm5'])
    })

    it('reports a failed conversation list as messages:error with messaging:8', async () => {
      const alice = await client('alice@example.com')
      await platform().admin.fail({ prefix: '/cpaas/chat/v1/alice@example.com/oneToOne/sessions', status: 503 })
      const failed = nextEvent<Json>(alice, 'messages:error')
      chat(alice).fetch()
      expect((await failed).error).to.include({ name: 'BasicError', code: 'messaging:8' })
    })
  })

  describe('files', () => {
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82])

    it('uploads a file part, sends its link, and the recipient turns it into a usable image link', async () => {
      const alice = await client('alice@example.com')
      const bob = await client('bob@example.com')
      const conversation = chat(alice).create('bob@example.com')
      const message = conversation.createMessage({ type: 'text', text: 'Look' })
      message.addPart({ type: 'file', file: new File([png], 'pic.png', { type: 'image/png' }) })
      message.addPart({ type: 'json', json: { kept: 'locally only' } })
      const sent = nextEvent<Json>(alice, 'messages:change', (payload) => payload.messageId !== undefined)
      const arrived = nextEvent<Json>(bob, 'conversations:change')
      message.send()
      const change = await sent
      const own = conversation.getMessage(change.messageId)!
      expect(own.parts.map((part) => part.type)).to.deep.equal(['text', 'file'])
      const ownFile = own.parts[1] as FilePart
      expect(ownFile).to.deep.include({ name: 'pic.png', 'content-type': 'image/png' })
      expect(Number(ownFile.size)).to.equal(png.length)
      expect(ownFile.rawURL).to.match(/^http:\/\/127\.0\.0\.1:\d+\/cpaas\/nms\/v1\/chat\/.+\/objects\/[a-z0-9-]+\/raw$/)

      const { messageId } = await arrived
      const received: Message = chat(bob).get('alice@example.com')!.getMessage(messageId)!
      expect(received.parts[1]).to.deep.include({ type: 'file', name: 'pic.png', 'x-id': ownFile['x-id'], rawURL: ownFile.rawURL })
      const linked = nextEvent<Json>(bob, 'messages:change')
      received.createImageLinks()
      expect(await linked).to.deep.equal({ destination: ['alice@example.com'], type: 'chat-oneToOne' })
      const url = (chat(bob).get('alice@example.com')!.getMessage(messageId)!.parts[1] as FilePart).url as string
      expect(url).to.match(/^blob:/)
      const blob = resolveObjectURL(url)!
      expect(new Uint8Array(await blob.arrayBuffer())).to.deep.equal(png)
      expect(blob.type).to.equal('image/png')
    })

    it('lets the sender create image links for its own message', async () => {
      const alice = await client('alice@example.com')
      await client('bob@example.com')
      const message = chat(alice).create('bob@example.com').createMessage([{ type: 'text', text: '' }, { type: 'file', file: new File([png], 'mine.png', { type: 'image/png' }) }])
      const sent = nextEvent<Json>(alice, 'messages:change', (payload) => payload.messageId !== undefined)
      message.send()
      const { messageId } = await sent
      const linked = nextEvent(alice, 'messages:change')
      message.createImageLinks()
      await linked
      const url = (chat(alice).get('bob@example.com')!.getMessage(messageId)!.parts[1] as FilePart).url as string
      expect(new Uint8Array(await resolveObjectURL(url)!.arrayBuffer())).to.deep.equal(png)
    })

    it('refuses invalid parts through messages:error without throwing, and two files with messaging:10', async () => {
      const alice = await client('alice@example.com')
      const conversation = chat(alice).create('bob@example.com')
      const message = conversation.createMessage('text')
      const invalid = nextEvent<Json>(alice, 'messages:error')
      expect(() => message.addPart({ type: 'json', json: {}, file: new File([png], 'x.png') } as never)).to.not.throw()
      expect((await invalid).error).to.include({ code: 'BAD_INPUT' })
      expect(message.parts).to.have.length(1)
      message.addPart({ type: 'file', file: new File([png], 'a.png') })
      message.addPart({ type: 'file', file: new File([png], 'b.png') })
      const refused = nextEvent<Json>(alice, 'messages:error')
      message.send()
      expect((await refused).error).to.include({ code: 'messaging:10' })
      expect(conversation.getMessages()).to.deep.equal([])
      const noText = nextEvent<Json>(alice, 'messages:error')
      conversation.createMessage({ type: 'json', json: { a: 1 } }).send()
      expect((await noText).error.message).to.match(/text part/)
    })

    it('fails a send whose upload fails with messaging:7 and sends no message', async () => {
      const alice = await client('alice@example.com')
      const bob = await client('bob@example.com')
      const bobEvents = record(bob)
      await platform().admin.fail({ prefix: '/cpaas/nms/', status: 500 })
      const conversation = chat(alice).create('bob@example.com')
      const done = nextEvent<Json>(alice, 'messages:change')
      conversation.createMessage([{ type: 'text', text: 'with file' }, { type: 'file', file: new File([png], 'p.png') }]).send()
      expect(await done).to.include({ messageId: undefined })
      expect(conversation.getMessages()[0]!.error).to.include({ code: 'messaging:7' })
      // Bob gets nothing but the marker, which follows whatever the platform sent him.
      await caughtUp(platform(), bob, 'bob@example.com')
      expect(bobEvents.map((event) => event.type)).to.deep.equal(['notification:received'])
    })
  })

  describe('deleting', () => {
    it('deletes messages and conversations for this user only, with the documented events', async () => {
      const alice = await client('alice@example.com')
      const carol = await client('carol@example.com')
      const conversation = chat(alice).create('carol@example.com')
      chat(alice).create('dave@example.com')
      const arrived = nextEvent(carol, 'conversations:change')
      const sent = nextEvent<Json>(alice, 'messages:change', (payload) => payload.messageId !== undefined)
      conversation.createMessage('to delete').send()
      const { messageId } = await sent
      await arrived
      const deleted = nextEvent<Json>(alice, 'messages:change')
      conversation.deleteMessages([messageId])
      expect(await deleted).to.deep.equal({ destination: ['carol@example.com'], messageId, type: 'chat-oneToOne' })
      expect(conversation.getMessages()).to.deep.equal([])
      expect(texts(chat(carol).get('alice@example.com'))).to.deep.equal(['to delete'])

      const failed = nextEvent<Json>(alice, 'messages:error')
      conversation.deleteMessages(['no-such-message'])
      const error = await failed
      expect(error).to.include({ name: 'BasicError', code: 'SVC0004' })

      const fromCarol = nextEvent<Json[]>(carol, 'conversations:change')
      chat(carol).get('alice@example.com')!.delete()
      expect(await fromCarol).to.deep.equal([])
      expect(chat(carol).getAll()).to.deep.equal([])

      const cleared = nextEvent<Json>(alice, 'messages:change')
      conversation.clearMessages()
      expect(await cleared).to.deep.equal({ destination: ['carol@example.com'], type: 'chat-oneToOne' })
    })
  })

  describe('argument checks', () => {
    it('throws BAD_INPUT for a missing recipient or an unknown type, and accepts the aliases', async () => {
      const alice = await client('alice@example.com', { services: [] })
      const api = chat(alice)
      expect(() => api.create('', {})).to.throw().with.property('code', 'BAD_INPUT')
      expect(() => api.create('bob@example.com', { type: 'fax' })).to.throw(/unknown conversation type/)
      expect(() => api.get(5 as never)).to.throw().with.property('code', 'BAD_INPUT')
      expect(api.create('bob@example.com', { type: 'chat' }).type).to.equal('chat-oneToOne')
      expect(api.create('g1', { type: 'group' }).type).to.equal('chat-group')
      expect(api.get('bob@example.com', { type: 'im' })?.type).to.equal('chat-oneToOne')
      expect(api.chatTypes).to.deep.equal({ ONETOONE: 'chat-oneToOne', GROUP: 'chat-group', SMS: 'sms' })
      expect(() => api.get('bob@example.com')!.fetchMessages(0)).to.throw().with.property('code', 'BAD_INPUT')
      expect(() => api.get('bob@example.com')!.setIsTyping('yes' as never)).to.throw().with.property('code', 'BAD_INPUT')
      expect((alice as unknown as { messaging: ConversationApi }).messaging).to.equal(api)
    })
  })

  describe('reconnects: nothing is lost', () => {
    const fast: TestClientOptions = { services: ['chat', 'smsinbound'], config: { connectivity: { reconnectDelay: 200, reconnectLimit: 0, reconnectTimeMultiplier: 1 } } }
    const connected = (who: Client) => (who as unknown as { connection: { getSocketState(p: string): { connected: boolean } | undefined } }).connection.getSocketState('cpaas')?.connected === true

    it('shows every message that arrived while the socket was down, also past the platform\'s notification queue', async () => {
      const alice = await client('alice@example.com', fast)
      const bob = await client('bob@example.com')
      const toAlice = chat(bob).create('alice@example.com')
      await platform().admin.fail({ prefix: '/cpaas/notificationchannel/', count: 1000, status: 503 })
      await platform().admin.dropSockets({ userId: 'alice@example.com' })
      await until(() => !connected(alice), 'alice\'s socket to drop')
      const total = 120
      for (let i = 1; i <= total; i++) {
        const sent = nextEvent<Json>(bob, 'messages:change', (payload) => payload.messageId !== undefined)
        toAlice.createMessage(`missed ${i}`).send()
        await sent
      }
      await platform().admin.clearFaults()
      await until(() => connected(alice), 'alice\'s socket to reopen')
      const missed = () => texts(chat(alice).get('bob@example.com')).filter((text) => text.startsWith('missed '))
      await until(() => missed().length >= total, `all ${total} messages at alice`, 15000)
      expect(missed()).to.deep.equal(Array.from({ length: total }, (_, i) => `missed ${i + 1}`))
    })

    it('delivers a message sent while the socket is reconnecting', async () => {
      const alice = await client('alice@example.com', fast)
      const bob = await client('bob@example.com')
      await platform().admin.fail({ prefix: '/cpaas/notificationchannel/', count: 1000, status: 503 })
      await platform().admin.dropSockets({ userId: 'alice@example.com' })
      await until(() => !connected(alice), 'alice\'s socket to drop')
      const conversation = chat(alice).create('bob@example.com')
      const sent = nextEvent<Json>(alice, 'messages:change')
      const arrived = nextEvent<Json>(bob, 'conversations:change')
      conversation.createMessage('sent offline from the socket').send()
      expect((await sent).messageId).to.be.a('string')
      expect(conversation.getMessages()[0]).to.deep.include({ isPending: false, deliveryStatus: 'Sent' })
      await arrived
      expect(texts(chat(bob).get('alice@example.com'))).to.deep.equal(['sent offline from the socket'])
      await platform().admin.clearFaults()
      await until(() => connected(alice), 'alice\'s socket to reopen')
    })

    it('marks a message failed, with the reason, when the platform cannot be reached', async () => {
      const alice = await client('alice@example.com', fast)
      await platform().admin.fail({ prefix: '/cpaas/chat/', count: 1, reset: true })
      const conversation = chat(alice).create('bob@example.com')
      const done = nextEvent<Json>(alice, 'messages:change')
      conversation.createMessage('into the void').send()
      expect(await done).to.include({ messageId: undefined })
      const [message] = conversation.getMessages()
      expect(message).to.deep.include({ isPending: false, messageId: null })
      expect(message!.error).to.have.property('name', 'BasicError')
      expect(message!.error!.message).to.match(/Send chat message request failed/)
    })
  })
})

describe('integration: messaging, answers held on the platform\'s clock', function () {
  this.timeout(30000)
  // A delayed answer is held until the spec moves the platform's clock; its other timers (the SMS receipt too) wait the same way.
  const virtual = virtualClock()
  const clock = manualClock(Math.floor(Date.now() / 1000) * 1000, virtual)
  const platform = usePlatform({ clock })
  const clients: TestClient[] = []
  const client = async (userId: string, options: TestClientOptions = {}): Promise<TestClient> => {
    const made = await createTestClient(platform(), userId, { services: ['chat', 'smsinbound'], ...options })
    clients.push(made)
    return made
  }
  // The platform's time catches up with the SDK's (a reconnect re-fetches what its platform dated within the last 30 s).
  beforeEach(() => clock.advance(Math.max(Date.now() - clock.now(), 0)))
  afterEach(async () => {
    for (const made of clients.splice(0)) made.dispose()
    await platform().admin.clearFaults()
  })

  it('applies a delivery receipt that arrives before its send\'s answer once the answer names the message', async () => {
    const alice = await client('alice@example.com')
    await client('bob@example.com')
    const conversation = chat(alice).create(bobPhone, { type: 'sms' })
    // The platform sends the receipt 200 ms after it took the SMS; its answer is held longer, until the receipt is in.
    await platform().admin.delay(800, '/cpaas/smsmessaging/v1/alice@example.com/outbound/', { answer: true })
    const events = record(alice)
    const sent = nextEvent<Json>(alice, 'messages:change', (payload) => payload.messageId !== undefined)
    const receipt = nextEvent<Json>(alice, 'messages:change', (payload) => payload.messageId !== undefined && !('sender' in payload))
    conversation.createMessage('faster than the answer').send()
    await virtual.timerSet(800, 'the send\'s answer held on the platform')
    // The receipt goes out; the answer is let go only once Alice has it.
    clock.advance(200)
    await caughtUp(platform(), alice, 'alice@example.com')
    clock.advance(600)
    const { messageId } = await sent
    expect(conversation.getMessage(messageId)).to.deep.include({ deliveryStatus: 'Delivered', isPending: false })
    expect(await receipt).to.deep.equal({ destination: [bobPhone], messageId, type: 'sms' })
    expect(events.filter((event) => event.type === 'messages:change').map((event) => event.payload)).to.deep.equal([
      { destination: [bobPhone], type: 'sms', messageId, sender: 'alice@example.com' },
      { destination: [bobPhone], messageId, type: 'sms' },
    ])
  })

  it('drops a page that arrives after its conversation was deleted: the deleted messages do not come back', async () => {
    const bob = await client('bob@example.com')
    await sendToDave(bob, 3)
    const dave = await client('dave@example.com')
    const daveElsewhere = await client('dave@example.com', { services: [] })
    const history = '/cpaas/chat/v1/dave@example.com/oneToOne/bob@example.com/adhoc/messages'
    // The platform reads the page at once and answers it late: a deletion and a new message come in between.
    await platform().admin.delay(1500, history, { answer: true })
    chat(dave).create('bob@example.com').fetchMessages()
    await virtual.timerSet(1500, 'the page\'s answer held on the platform')
    const gone = nextEvent<Json[]>(dave, 'conversations:change')
    chat(daveElsewhere).create('bob@example.com').delete()
    expect(await gone).to.deep.equal([])
    const again = nextEvent<Json>(dave, 'conversations:change')
    chat(bob).create('dave@example.com').createMessage('after the deletion').send()
    await again
    expect(texts(chat(dave).get('bob@example.com'))).to.deep.equal(['after the deletion'])

    // A second fetch waits for the first page in the conversation's queue: once it fails, the late page has been dealt with.
    await platform().admin.clearFaults()
    await platform().admin.fail({ prefix: history, status: 503 })
    const failed = nextEvent<Json>(dave, 'messages:error')
    chat(dave).get('bob@example.com')!.fetchMessages()
    clock.advance(1500)
    await failed
    expect(texts(chat(dave).get('bob@example.com'))).to.deep.equal(['after the deletion'])
  })

  it('does not bring back a conversation deleted while a conversation list was on its way', async () => {
    const sessions = '/cpaas/chat/v1/dave@example.com/oneToOne/sessions'
    const reads = answersRead(sessions)
    const bob = await client('bob@example.com')
    await sendToDave(bob, 1)
    const dave = await client('dave@example.com', { environment: { fetch: reads.fetch } })
    const daveElsewhere = await client('dave@example.com', { services: [] })
    // The platform reads the list at once and answers it late: the deletion comes in between.
    await platform().admin.delay(1500, sessions, { answer: true })
    chat(dave).fetch()
    await virtual.timerSet(1500, 'the list\'s answer held on the platform')
    chat(dave).create('bob@example.com')
    const gone = nextEvent<Json[]>(dave, 'conversations:change')
    chat(daveElsewhere).create('bob@example.com').delete()
    expect(await gone).to.deep.equal([])
    // The list lands now, with the conversation it read before the deletion.
    clock.advance(1500)
    await until(() => reads.count() > 0, 'the list read by the SDK')
    expect(chat(dave).get('bob@example.com')).to.equal(undefined)
    expect(chat(dave).getAll()).to.deep.equal([])
  })

  it('does not bring back a conversation deleted while a reconnect re-fetched its messages', async () => {
    const history = '/cpaas/chat/v1/dave@example.com/oneToOne/bob@example.com/adhoc/messages'
    const reads = answersRead(history)
    const fast: TestClientOptions = { config: { connectivity: { reconnectDelay: 200, reconnectLimit: 0, reconnectTimeMultiplier: 1 } }, environment: { fetch: reads.fetch } }
    const dave = await client('dave@example.com', fast)
    const daveElsewhere = await client('dave@example.com', { services: [] })
    const bob = await client('bob@example.com')
    const arrived = nextEvent<Json>(dave, 'conversations:change')
    chat(bob).create('dave@example.com').createMessage('before the drop').send()
    await arrived
    // The platform reads the re-fetched page at once and answers it late: the deletion comes in between.
    await platform().admin.delay(1500, history, { answer: true })
    const read = reads.count()
    await platform().admin.dropSockets({ userId: 'dave@example.com' })
    await virtual.timerSet(1500, 'the re-fetched page\'s answer held on the platform')
    const withBob = (conversations: Json[]) => Array.isArray(conversations) && conversations.some((conversation) => conversation.destination[0] === 'bob@example.com')
    const gone = nextEvent<Json[]>(dave, 'conversations:change', (conversations) => Array.isArray(conversations) && !withBob(conversations))
    chat(daveElsewhere).create('bob@example.com').delete()
    await gone
    expect(chat(dave).get('bob@example.com')).to.equal(undefined)
    // The page lands now: nothing in the SDK tells it dropped one, so the spec waits until the SDK has read the answer.
    clock.advance(1500)
    await until(() => reads.count() > read, 'the re-fetched page read by the SDK')
    expect(chat(dave).get('bob@example.com')).to.equal(undefined)
  })
})

describe('integration: messaging across a platform restart', function () {
  this.timeout(30000)
  const { platform } = usePersistedPlatform()

  it('shows a message sent while the restart had lost the channel (no notification could reach it)', async () => {
    const alice = await createTestClient(platform(), 'alice@example.com', { services: ['chat'], config: { connectivity: { reconnectDelay: 1500, reconnectLimit: 0 } } })
    try {
      const connected = () => (alice as unknown as { connection: { getSocketState(p: string): { connected: boolean } | undefined } }).connection.getSocketState('cpaas')?.connected === true
      chat(alice).create('bob@example.com')
      // Down long enough for alice's first attempt to fail: her next one comes 1.5 s later.
      await platform().restart({ fresh: true, downtime: 800 })
      expect(connected()).to.equal(false)
      const bob = await platform().login('bob@example.com')
      const sent = await platform().fetchAs(bob, 'POST', '/cpaas/chat/v1/bob@example.com/oneToOne/alice@example.com/adhoc/messages', { chatMessage: { text: 'while you were away' } })
      expect(sent.status).to.equal(201)
      // The restart lost every channel: nothing could carry this message's notification to alice.
      expect((await platform().admin.state()).channels).to.equal(0)
      const changed = nextEvent<Json>(alice, 'messages:change', (payload) => Array.isArray(payload.destination) && payload.destination[0] === 'bob@example.com')
      await until(connected, 'alice\'s new channel and socket', 15000)
      expect(await changed).to.deep.include({ destination: ['bob@example.com'], type: 'chat-oneToOne' })
      expect(texts(chat(alice).get('bob@example.com'))).to.deep.equal(['while you were away'])
    } finally {
      alice.dispose()
    }
  })
})

