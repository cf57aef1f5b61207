// Notifications per second through the connection's whole inbound pipeline, in one process:
// frames arrive on the socket (an in-process WebSocket stand-in driven by rxjs-websockets, as the
// real one is), each is parsed once, classified (control frame or notification), its id found,
// de-duplicated over the last `idCacheLength` ids, dispatched as an event and routed on
// `link.notifications$` to ten feature-like subscribers that filter by kind.
// BENCH_FRAMES (default 100000), BENCH_DUPLICATES (fraction, default 0.05), BENCH_RUNS (default 5).
import { filter } from 'rxjs'
import { connectedInProcess } from './in-process-socket.js'

const frameCount = Number(process.env.BENCH_FRAMES ?? 100000)
const duplicateShare = Number(process.env.BENCH_DUPLICATES ?? 0.05)
const runs = Number(process.env.BENCH_RUNS ?? 5)

const kinds = [
  'chatMessageNotification',
  'inboundSMSMessageNotification',
  'presenceNotification',
  'wrtcsEventNotification',
  'groupChatSessionInvitationNotification',
  'chatParticipantStatusNotification',
  'chatEventNotification',
  'outboundSMSMessageNotification',
  'smsEventNotification',
  'wrtcsIceNotification',
]

/** The frames of one run: unique ids, with a share of repeats of recent ids (within the de-dup window). */
function frames(): { texts: string[]; unique: number } {
  const texts: string[] = []
  let unique = 0
  for (let index = 0; index < frameCount; index += 1) {
    const repeat = index > 50 && (index * 7919) % 1000 < duplicateShare * 1000
    const id = repeat ? `n-${unique - 1 - (index % 50)}` : `n-${unique++}`
    const kind = kinds[index % kinds.length]!
    texts.push(JSON.stringify({ [kind]: { id, dateTime: 1_700_000_000_000 + index, link: [{ rel: 'x', href: `/cpaas/x/v1/alice/things/${id}` }], text: `notification ${index}` } }))
  }
  return { texts, unique }
}


async function run(texts: string[]): Promise<{ seconds: number; routed: number; received: number }> {
  const { auth, connection, socket } = await connectedInProcess('alice@example.com')

  // Ten feature-like consumers, each taking its own kind from the shared stream.
  let routed = 0
  let received = 0
  const features = kinds.map((kind) => connection.link.notifications$.pipe(filter((notification) => notification.kind === kind)).subscribe(() => routed++))
  const counter = connection.events$.subscribe((event) => {
    if (event.type === 'notificationReceived') received++
  })

  const started = process.hrtime.bigint()
  for (const text of texts) socket.deliver(text)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9

  for (const feature of features) feature.unsubscribe()
  counter.unsubscribe()
  connection.dispose()
  auth.dispose()
  return { seconds, routed, received }
}

const { texts, unique } = frames()
console.log(`${frameCount.toLocaleString('en')} frames (${unique.toLocaleString('en')} unique ids, ${(frameCount - unique).toLocaleString('en')} repeats within the window), ${kinds.length} kinds, ${runs} runs`)
const rates: number[] = []
for (let index = 0; index < runs; index += 1) {
  const { seconds, routed, received } = await run(texts)
  if (routed !== unique || received !== unique) throw new Error(`expected ${unique} notifications routed, got ${routed} routed / ${received} received`)
  rates.push(frameCount / seconds)
  console.log(`run ${index + 1}: ${(seconds * 1000).toFixed(0)} ms, ${Math.round(frameCount / seconds).toLocaleString('en')} frames/s, ${routed.toLocaleString('en')} routed`)
}
const sorted = [...rates].sort((a, b) => a - b)
console.log(`median ${Math.round(sorted[Math.floor(sorted.length / 2)]!).toLocaleString('en')} frames/s decoded, de-duplicated and routed (${(1e6 / sorted[Math.floor(sorted.length / 2)]!).toFixed(2)} µs per frame)`)
