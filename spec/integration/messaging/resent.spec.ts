// Old notifications re-sent by the platform (same notification id) after the client's window of
// the last 100 ids has moved on: a client on the local platform over real WebSocket, the frames
// sent as they are through the platform's admin API. Nothing may change: no second copy of a
// message, no presence rolled back, no change event.
import { expect } from 'chai'
import type { ConversationApi } from '../../../lib/api/conversation.js'
import type { Client } from '../../../lib/index.js'
import { createTestClient, until, type TestClient } from '../../helpers/client.js'
import { usePlatform } from '../../helpers/platform.js'

type Frame = Record<string, Record<string, unknown>>

const alice = 'alice@example.com'
/** More notifications than the client's window of recent ids holds (100). */
const fillers = 150

const conversations = (client: Client): ConversationApi => (client as unknown as { conversation: ConversationApi }).conversation

const chatFrame = (id: string, from: string, messageId: string, text: string, dateTime: number): Frame => ({
  chatMessageNotification: {
    id,
    dateTime,
    chatMessage: { senderAddress: from, 'x-destinationAddress': alice, text, dateTime, 'x-type': 'inbound' },
    link: [{ rel: 'chatMessage', href: `/cpaas/chat/v1/alice/oneToOne/${from}/adhoc/messages/${messageId}` }],
  },
})

const presenceFrame = (id: string, userId: string, activity: string, dateTime: number): Frame => ({
  presenceNotification: {
    id,
    presentityUserId: userId,
    presence: { person: { 'overriding-willingness': { overridingWillingnessValue: 'Open' }, activities: { activityValue: activity } } },
    dateTime,
  },
})

describe('integration: re-sent old notifications', function () {
  this.timeout(30000)
  const platform = usePlatform()
  let client: TestClient | undefined
  afterEach(() => client?.dispose())

  const send = async (frame: Frame): Promise<void> => {
    expect(await platform().admin.send(alice, JSON.stringify(frame))).to.equal(1)
  }
  /** Change events after `from` (the client records every event; `notification:received` reports each raw frame). */
  const eventsSince = (seen: Array<{ type: string; payload: unknown }>, from: number) => seen.slice(from).filter((event) => event.type !== 'notification:received')

  const connect = async (): Promise<{ client: TestClient; seen: Array<{ type: string; payload: unknown }> }> => {
    client = await createTestClient(platform(), alice, { services: ['chat', 'presence'] })
    const seen: Array<{ type: string; payload: unknown }> = []
    client.subscribe((type, [payload]) => seen.push({ type, payload }))
    return { client, seen }
  }

  it('never adds a message twice, even once its notification id has left the window of recent ids', async () => {
    const { client, seen } = await connect()
    const original = chatFrame('n-old', 'bob@example.com', 'bob-1', 'Hello once', 1_700_000_000_000)
    await send(original)
    await until(() => conversations(client).get('bob@example.com')?.getMessages().length === 1, "bob's message")
    for (let index = 0; index < fillers; index++) await send(chatFrame(`n-${index}`, 'carol@example.com', `carol-${index}`, `Filler ${index}`, 1_700_000_001_000 + index))
    await until(() => conversations(client).get('carol@example.com')?.getMessages().length === fillers, "carol's messages")

    const before = seen.length
    await send(original)
    // Frames of one socket arrive in order: once the marker is in, the re-sent frame was handled.
    await send(chatFrame('n-marker', 'dave@example.com', 'dave-1', 'Marker', 1_700_000_002_000))
    await until(() => conversations(client).get('dave@example.com') !== undefined, "dave's marker")

    expect(conversations(client).get('bob@example.com')?.getMessages().map((message) => message.messageId)).to.deep.equal(['bob-1'])
    expect(eventsSince(seen, before).filter((event) => JSON.stringify(event.payload).includes('bob'))).to.deep.equal([])
  })

  it('never rolls presence back to an older update re-sent after its id left the window', async () => {
    const { client, seen } = await connect()
    const older = presenceFrame('p-old', 'bob@example.com', 'Lunch', 1_700_000_000_000)
    await send(older)
    await send(presenceFrame('p-new', 'bob@example.com', 'Busy', 1_700_000_005_000))
    await until(() => client.presence.get('bob@example.com')[0]?.activity === 'Busy', "bob's newer presence")
    for (let index = 0; index < fillers; index++) await send(presenceFrame(`p-${index}`, 'carol@example.com', index === fillers - 1 ? 'Lunch' : 'Available', 1_700_000_000_000 + index))
    await until(() => client.presence.get('carol@example.com')[0]?.activity === 'Lunch', "carol's last presence")

    const before = seen.length
    await send(older)
    await send(presenceFrame('p-marker', 'dave@example.com', 'Vacation', 1_700_000_006_000))
    await until(() => client.presence.get('dave@example.com').length === 1, "dave's marker")

    expect(client.presence.get('bob@example.com')[0]).to.deep.include({ activity: 'Busy' })
    expect(eventsSince(seen, before).map((event) => event.payload)).to.deep.equal([{ userId: 'dave@example.com', status: 'Open', activity: 'Vacation', note: undefined }])
  })
})
