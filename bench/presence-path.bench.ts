// Microseconds per inbound presence notification along the SDK's path, in one process, with 100
// and 1,000 watched users, measured twice. From the socket: each frame arrives on an in-process
// WebSocket stand-in driven by rxjs-websockets (as the real one is) and is parsed, de-duplicated
// and routed by the connection. From the link: each notification, already parsed, is handed to
// the features' shared notification stream, so that only what follows is timed. Either way the
// presence feature reads and reduces it, the documented `presence` namespace makes it a
// `presence:change` and the client's event emitter delivers that to one listener.
// The notifications are handed over in one burst, as a browser that was busy hands over the ones
// that queued; the time runs until the listener has the last one. Every watched user is known to
// the state before the timed run (one notification each), as after `presence.subscribe`.
// BENCH_NOTIFICATIONS (default 10000), BENCH_WATCHED (default "100,1000"), BENCH_RUNS (default 15). On a shared
// machine the best run is the figure least disturbed by other processes; the median is printed too, of wall time and of
// the process's CPU time (`process.cpuUsage`: time spent waiting for a core left out, the GC's helper threads counted).
import { of, Subject } from 'rxjs'
import { presenceApi } from '../lib/api/presence.js'
import { createEmitter } from '../lib/events.js'
import type { InboundNotification, PlatformLink } from '../streams/connection/link.js'
import { createPresence } from '../streams/presence/feature.js'
import { connectedInProcess } from './in-process-socket.js'

const notifications = Number(process.env.BENCH_NOTIFICATIONS ?? 10000)
const watchedCounts = (process.env.BENCH_WATCHED ?? '100,1000').split(',').map(Number)
const runs = Number(process.env.BENCH_RUNS ?? 15)

const base = 1_700_000_000_000
let nextId = 0

/** A presence frame as the platform sends it (`notifications.md` §7), with a fresh id and a newer stamp. */
const frame = (userId: string, note: string): string => {
  const id = nextId++
  return JSON.stringify({
    presenceNotification: {
      id: `p-${id}`,
      presentityUserId: userId,
      presence: { person: { 'overriding-willingness': { overridingWillingnessValue: 'Open' }, activities: { activityValue: 'ActivitiesOther', other: note } } },
      dateTime: base + id,
    },
  })
}

/** Where the timed notifications enter: the socket (the connection parses them) or the link (parsed already). */
type Entry = 'socket' | 'link'

/** The same notification as the connection hands it to the features. */
const inbound = (text: string): InboundNotification => {
  const parsed = JSON.parse(text) as { presenceNotification: Record<string, unknown> }
  return { kind: 'presenceNotification', id: String(parsed.presenceNotification.id), body: parsed.presenceNotification, frame: parsed }
}

/** The µs per notification of one run, of wall time and of the process's CPU time. */
interface Figure {
  readonly wall: number
  readonly cpu: number
}

/** One client's path from `entry` to a `presence:change` listener, `watched` users known; the figures of each run. */
async function measure(watched: number, entry: Entry): Promise<Figure[]> {
  const { config, logs, auth, connection, socket } = await connectedInProcess('alice@bench.test')
  const notifications$ = new Subject<InboundNotification>()
  const link: PlatformLink = entry === 'socket' ? connection.link : { ...connection.link, notifications$ }
  const presence = createPresence({ config, logs, link, presenceListId$: of('list') })
  const namespace = presenceApi({ presence })
  const emitter = createEmitter(namespace.events$, logs.logger('events'))

  let seen = 0
  let done: () => void = () => undefined
  let awaited = Infinity
  emitter.on('presence:change', () => {
    if (++seen === awaited) done()
  })
  const users = Array.from({ length: watched }, (_, index) => `watched${index}@bench.test`)
  /** Hands `texts` to the socket in one burst; resolves once the listener has had every one. */
  const burst = (texts: readonly string[]): Promise<void> => {
    seen = 0
    awaited = texts.length
    const delivered = new Promise<void>((resolve) => (done = resolve))
    if (entry === 'socket') {
      for (const text of texts) socket.deliver(text)
    } else {
      const parsed = texts.map(inbound)
      started = process.hrtime.bigint()
      startedCpu = process.cpuUsage()
      for (const notification of parsed) notifications$.next(notification)
    }
    return delivered
  }
  let started = 0n
  let startedCpu = process.cpuUsage()

  await burst(users.map((userId) => frame(userId, 'watched')))
  if (namespace.api.getAll().length !== watched) throw new Error(`expected ${watched} users known, got ${namespace.api.getAll().length}`)

  const figures: Figure[] = []
  for (let run = 0; run < runs; run++) {
    const texts = Array.from({ length: notifications }, (_, index) => frame(users[index % watched]!, `note ${run}-${index}`))
    started = process.hrtime.bigint()
    startedCpu = process.cpuUsage()
    await burst(texts)
    const cpu = process.cpuUsage(startedCpu)
    figures.push({ wall: Number(process.hrtime.bigint() - started) / 1e3 / notifications, cpu: (cpu.user + cpu.system) / notifications })
    const last = namespace.api.get(users[(notifications - 1) % watched]!)[0]
    if (last?.note !== `note ${run}-${notifications - 1}`) throw new Error(`the last notification did not reach the state (${String(last?.note)})`)
  }
  emitter.dispose()
  presence.dispose()
  connection.dispose()
  auth.dispose()
  return figures
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

console.log(`presence path: ${notifications.toLocaleString('en')} notifications a run, ${runs} runs, socket → connection → presence → namespace → emitter`)
for (const entry of ['socket', 'link'] as const) {
  for (const watched of watchedCounts) {
    const figures = await measure(watched, entry)
    const wall = figures.map((figure) => figure.wall)
    const cpu = figures.map((figure) => figure.cpu)
    console.log(
      `from the ${entry}, ${watched.toLocaleString('en')} watched: best ${Math.min(...wall).toFixed(2)}, median ${median(wall).toFixed(2)} µs/notification; CPU best ${Math.min(...cpu).toFixed(2)}, median ${median(cpu).toFixed(2)}`,
    )
  }
}
