import { expect } from 'chai'
import type { ConversationApi, Message } from '../../lib/api/conversation.js'
import type { UserConfig } from '../../lib/index.js'
import { bytesRising, caller, callState, nextEvent, type Caller } from '../bots/helpers.js'
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js'

// A soak of the notification path: two Node SDK clients (real @roamhq/wrtc media) in a call,
// one sending a stream of chat messages to the other, while the platform drops their sockets
// 100 times (close frames and cut connections) and restarts once. Every message the sender saw
// sent must reach the recipient exactly once, and the call must still carry media afterwards.
// Sized to run in about a minute.

const drops = 100
/** Milliseconds between two forced drops. */
const dropEvery = 250
const fastReconnect: UserConfig = { connectivity: { reconnectDelay: 50, reconnectLimit: 0 } }

const chat = (caller: Caller): ConversationApi => (caller.client as unknown as { conversation: ConversationApi }).conversation
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Sends one text and resolves with the message once it is sent or failed. */
async function sendOne(from: Caller, to: string, text: string): Promise<Message> {
  const conversation = chat(from).create(to)
  conversation.createMessage(text).send()
  const mine = (): Message | undefined => conversation.getMessages().find((message) => message.parts.some((part) => part.type === 'text' && (part as { text: string }).text === text))
  for (;;) {
    const message = mine()
    if (message !== undefined && !message.isPending) return message
    await pause(5)
  }
}

/** Counts, per text, the chat notifications a client received. */
function receivedTexts(receiver: Caller): Map<string, number> {
  const counts = new Map<string, number>()
  receiver.client.on('notification:received', (event) => {
    const frame = (event as { payload: Record<string, unknown> }).payload
    if (!('chatMessageNotification' in frame)) return
    for (const text of JSON.stringify(frame).match(/soak-\d+-end/g) ?? []) counts.set(text, (counts.get(text) ?? 0) + 1)
  })
  return counts
}

describe('reliability: soak (100 forced socket drops and a platform restart during a chat stream and a call)', function () {
  this.timeout(120000)
  let platform: TestPlatform
  const callers: Caller[] = []
  before(async () => {
    platform = await startTestPlatform()
  })
  after(async () => {
    for (const made of callers.splice(0)) await made.dispose()
    await platform?.stop()
  })

  it('loses and duplicates no message, and the established call keeps its media', async () => {
    const alice = await caller(platform, 'alice@example.com', { services: ['call', 'chat'], config: fastReconnect })
    const bob = await caller(platform, 'bob@example.com', { services: ['call', 'chat'], config: fastReconnect })
    callers.push(alice, bob)

    const invited = nextEvent<{ callId: string }>(bob.client, 'call:receive')
    const callId = alice.client.call.make('bob@example.com', { audio: true })
    const { callId: bobsCall } = await invited
    bob.client.call.answer(bobsCall, { audio: true })
    await Promise.all([callState(alice.client, callId, 'Connected'), callState(bob.client, bobsCall, 'Connected')])
    await bytesRising(bob.client, bobsCall, 'audio')

    const received = receivedTexts(bob)
    const sent: string[] = []
    const failed: string[] = []
    let faulting = true
    const sender = (async () => {
      // Goes on through the faults, then 20 more once they are over.
      let tail = 20
      for (let i = 0; faulting || tail-- > 0; i++) {
        const text = `soak-${i}-end`
        const message = await sendOne(alice, 'bob@example.com', text)
        // A send refused while the platform is down has no messageId (null): the app would retry it.
        ;(message.messageId ? sent : failed).push(text)
      }
    })()

    let dropped = 0
    for (let n = 0; n < drops; n++) {
      const userId = n % 2 === 0 ? 'alice@example.com' : 'bob@example.com'
      dropped += await platform.admin.dropSockets({ userId, ...(n % 3 === 0 ? { terminate: true } : { code: 1001 }) })
      if (n === drops / 2) await platform.restart({ downtime: 300 })
      await pause(dropEvery)
    }
    faulting = false
    await sender

    // Everything sent is delivered once the sockets are back (queued notifications flush on reconnect).
    const deadline = Date.now() + 20000
    while (sent.some((text) => !received.has(text)) && Date.now() < deadline) await pause(50)
    const lost = sent.filter((text) => !received.has(text))
    const duplicated = [...received].filter(([, count]) => count > 1).map(([text]) => text)
    expect(dropped, 'sockets dropped').to.be.at.least(drops * 0.9)
    expect(sent.length, 'messages sent').to.be.at.least(100)
    expect(lost, 'lost').to.deep.equal([])
    expect(duplicated, 'duplicated').to.deep.equal([])
    expect(failed.length, `sends refused while the platform restarted: ${failed.join(', ')}`).to.be.at.most(40)

    expect([alice.client.call.getById(callId)?.state, bob.client.call.getById(bobsCall)?.state]).to.deep.equal(['Connected', 'Connected'])
    await bytesRising(bob.client, bobsCall, 'audio')
    await bytesRising(alice.client, callId, 'audio')
    const connected = (made: Caller) => made.client.connection.getSocketState('cpaas')?.connected === true
    while (!connected(alice) || !connected(bob)) await pause(20)
  })
})
