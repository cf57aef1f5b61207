// The heap each received 1:1 chat message costs, after GC: 10,000 messages from 100 senders, as
// the end-to-end bench sends them, fed to the messaging feature the way the connection delivers
// them (each frame parsed from its JSON text, so its strings are fresh as off the wire), with the
// documented `conversation` namespace listening and read once at the end. No network, no browser.
// BENCH_NOTIFICATIONS (default 10000), BENCH_SENDERS (default 100), BENCH_MESSAGE_IDS (`uuid`, the default:
// ids of a UUID's length, as the local platform issues them; `short`: `bench-<n>`, as the e2e bench sends).
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { NEVER, Subject } from 'rxjs'
import { conversationApi } from '../lib/api/conversation.js'
import { createConfig } from '../streams/config/feature.js'
import type { InboundNotification, PlatformLink } from '../streams/connection/link.js'
import { createEnvironment } from '../streams/environment.js'
import { createLogs } from '../streams/logs/feature.js'
import { createMessaging } from '../streams/messaging/feature.js'

const notifications = Number(process.env.BENCH_NOTIFICATIONS ?? 10000)
const senders = Number(process.env.BENCH_SENDERS ?? 100)
const idStyle = process.env.BENCH_MESSAGE_IDS === 'short' ? 'short' : 'uuid'
/** The platform's id of message `id`: UUID-shaped by default (36 characters), or short. */
const messageId = (id: number): string => (idStyle === 'short' ? `bench-${id}` : `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`)
const userId = 'kandy-rx-chat@bench.test'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const heapAfterGc = (): number => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

const base = 1_700_000_000_000
/** The e2e bench's notification `id`, as the connection hands it on (parsed from its frame). */
const frame = (id: number): InboundNotification => {
  const from = `sender${id % senders}@bench.test`
  const text = JSON.stringify({
    chatMessageNotification: {
      id: `n-${id}`,
      dateTime: base + id,
      chatMessage: { senderAddress: from, 'x-destinationAddress': userId, text: `Message ${id} from ${from}`, dateTime: base + id, 'x-type': 'inbound' },
      link: [{ rel: 'chatMessage', href: `/cpaas/chat/v1/${userId}/oneToOne/${from}/adhoc/messages/${messageId(id)}` }],
    },
  })
  const parsed = JSON.parse(text) as { chatMessageNotification: Record<string, unknown> }
  return { kind: 'chatMessageNotification', id: `n-${id}`, body: parsed.chatMessageNotification, frame: parsed }
}

const quiet = { ...console, debug: () => undefined, info: () => undefined, log: () => undefined, group: () => undefined, groupCollapsed: () => undefined, groupEnd: () => undefined }
const notifications$ = new Subject<InboundNotification>()
const link: PlatformLink = {
  user$: NEVER,
  user: () => ({ username: userId, identity: userId, domain: 'bench.test', accessToken: 'a', idToken: 'i' }),
  request: () => NEVER,
  notifications$,
}
const config = createConfig({})
const environment = createEnvironment({ console: quiet })
const messaging = createMessaging({ link, config, environment, logs: createLogs(config, environment) })
const conversation = conversationApi({ messaging, link, config }).api
let events = 0
const listening = conversationApi({ messaging }).events$.subscribe(() => events++)

// Fills V8's bounded cache of number-to-string conversions first: the frames' ids would grow it during the run.
for (let id = 0; id < 4 * notifications; id++) String(id)
const count = (): number => conversation.getAll().reduce((sum, held) => sum + held.getMessages().length, 0)
const before = heapAfterGc()
for (let id = 0; id < notifications; id++) notifications$.next(frame(id))
const held = count()
const growth = heapAfterGc() - before

console.log(`${notifications} messages from ${senders} senders (${idStyle} message ids): ${held} held, ${events} events`)
console.log(`heap growth after GC: +${(growth / 1e6).toFixed(2)} MB, ${Math.round(growth / notifications)} bytes per message`)
listening.unsubscribe()
messaging.dispose()
