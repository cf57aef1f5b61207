// Inbound messages per second through the messaging feature's `conversations$`, with 1,000
// conversations of 100 messages held, and the heap they take. The notifications are fed to the
// feature the way the connection delivers them (`link.notifications$`), so each one is decoded,
// de-duplicated, reduced and emitted once on `conversations$`. No network: this measures the
// reactive core. BENCH_CONVERSATIONS (default 1000), BENCH_MESSAGES (default 100),
// BENCH_INBOUND (default 20000).
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { NEVER, Subject } from 'rxjs'
import { createConfig } from '../streams/config/feature.js'
import type { InboundNotification, PlatformLink } from '../streams/connection/link.js'
import { createEnvironment } from '../streams/environment.js'
import { createLogs } from '../streams/logs/feature.js'
import { createMessaging } from '../streams/messaging/feature.js'

const conversationCount = Number(process.env.BENCH_CONVERSATIONS ?? 1000)
const perConversation = Number(process.env.BENCH_MESSAGES ?? 100)
const inboundCount = Number(process.env.BENCH_INBOUND ?? 20000)

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const heapMiB = (): number => {
  gc()
  gc()
  return process.memoryUsage().heapUsed / 1024 / 1024
}

let sequence = 0
const base = 1_700_000_000_000
const frame = (peer: number): InboundNotification => {
  const n = sequence++
  const body = {
    id: `n-${n}`,
    chatMessage: {
      senderAddress: `user${peer}@example.com`,
      'x-destinationAddress': 'alice@example.com',
      text: `message ${n} to a conversation held in memory`,
      dateTime: base + n,
      'x-type': 'inbound',
    },
    link: [{ rel: 'chatMessage', href: `/cpaas/chat/v1/alice@example.com/oneToOne/user${peer}@example.com/adhoc/messages/m-${n}` }],
  }
  return { kind: 'chatMessageNotification', id: body.id, body, frame: { chatMessageNotification: body } }
}

function run(label: string, logLevel: 'silent' | 'debug') {
  sequence = 0
  const notifications$ = new Subject<InboundNotification>()
  const link: PlatformLink = {
    user$: NEVER,
    user: () => ({ username: 'alice@example.com', identity: 'alice@example.com', domain: 'example.com', accessToken: 'a', idToken: 'i' }),
    request: () => NEVER,
    notifications$,
  }
  const config = createConfig({ logs: { logLevel } })
  const environment = createEnvironment({ console: { ...console, debug: () => undefined, info: () => undefined, log: () => undefined, group: () => undefined, groupCollapsed: () => undefined, groupEnd: () => undefined } })
  const heapBefore = heapMiB()
  const messaging = createMessaging({ link, config, environment, logs: createLogs(config, environment) })
  let emissions = 0
  const counted = messaging.conversations$.subscribe(() => emissions++)

  const fillStarted = performance.now()
  for (let round = 0; round < perConversation; round++) for (let peer = 0; peer < conversationCount; peer++) notifications$.next(frame(peer))
  const fillMs = performance.now() - fillStarted
  const held = messaging.current().conversations.values().reduce((sum, conversation) => sum + conversation.messages.length, 0)
  const heapHeld = heapMiB() - heapBefore

  emissions = 0
  const started = performance.now()
  for (let i = 0; i < inboundCount; i++) notifications$.next(frame(i % conversationCount))
  const elapsed = performance.now() - started
  const inboundEmissions = emissions
  const duplicatesStarted = performance.now()
  const replayed = frame(0)
  for (let i = 0; i < inboundCount; i++) notifications$.next(replayed)
  const duplicateMs = performance.now() - duplicatesStarted

  console.log(`${label}:`)
  console.log(`  held: ${messaging.current().conversations.size} conversations, ${held} messages; filled in ${(fillMs / 1000).toFixed(2)} s (${Math.round((held / fillMs) * 1000)} msg/s); heap for them ${heapHeld.toFixed(1)} MiB (${((heapHeld * 1024 * 1024) / held).toFixed(0)} B/message)`)
  console.log(`  inbound: ${inboundCount} messages in ${elapsed.toFixed(0)} ms = ${Math.round((inboundCount / elapsed) * 1000)} msg/s, ${inboundEmissions} conversations$ emissions (${(elapsed * 1000 / inboundCount).toFixed(1)} µs/message)`)
  console.log(`  duplicates: ${inboundCount} replays of one message id dropped in ${duplicateMs.toFixed(0)} ms = ${Math.round((inboundCount / duplicateMs) * 1000)}/s`)
  counted.unsubscribe()
  messaging.dispose()
}

run('action logs off (logLevel silent)', 'silent')
run('action logs on, output discarded (logLevel debug, the default)', 'debug')
console.log(`heap used at the end: ${heapMiB().toFixed(1)} MiB`)
