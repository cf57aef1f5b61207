// Time from `services.subscribe([...all four services])` to the final `subscription:change`
// (isPending false) against the local platform on 127.0.0.1, over real HTTP and WebSocket: channel
// creation, socket open and the four service subscriptions (presence: list lookup and creation,
// then its subscription). Each run is a new client logged in through the token endpoint, so each
// creates its own channel. BENCH_RUNS (default 30).
import { WebSocket } from 'ws'
import { create } from '../lib/index.js'
import { startPlatform } from '../platform/index.js'
import type { WebSocketConstructor } from '../streams/environment.js'

const runs = Number(process.env.BENCH_RUNS ?? 30)
const services = ['call', 'chat', 'smsinbound', 'presence']

const platform = await startPlatform({ port: 0, host: '127.0.0.1', log: () => undefined, staticRoot: false })
const users = platform.users.slice(0, Math.max(1, Math.min(platform.users.length, runs)))

async function once(index: number): Promise<number> {
  const account = users[index % users.length]!
  const tokens = await platform.tokens(account.userId)
  const client = create(
    {
      authentication: { server: { base: '127.0.0.1', protocol: 'http', port: platform.port }, clientCorrelator: `bench-${index}` },
      logs: { logLevel: 'silent' },
      call: { iceServers: [] },
    },
    { WebSocket: WebSocket as unknown as WebSocketConstructor },
  )
  client.setTokens({ accessToken: tokens.accessToken, idToken: tokens.idToken })
  try {
    const done = new Promise<number>((resolve, reject) => {
      client.on('subscription:change', () => {
        if (!client.services.getSubscriptions().isPending) resolve(performance.now())
      })
      client.on('subscription:error', (payload) => reject(new Error(`subscription:error ${JSON.stringify(payload)}`)))
    })
    const started = performance.now()
    client.services.subscribe(services)
    const ended = await done
    const { subscribed } = client.services.getSubscriptions()
    if (subscribed.length !== services.length) throw new Error(`only ${subscribed.join(', ')} subscribed`)
    return ended - started
  } finally {
    client.dispose()
  }
}

// Two warm-up runs (module loading, JIT), not counted.
await once(0)
await once(1)
const times: number[] = []
for (let index = 0; index < runs; index += 1) times.push(await once(index))
await platform.stop()

const sorted = [...times].sort((a, b) => a - b)
const at = (share: number): number => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!
console.log(`services.subscribe(${services.join(', ')}) → final subscription:change, ${runs} runs against the local platform`)
console.log(`median ${at(0.5).toFixed(1)} ms   p90 ${at(0.9).toFixed(1)} ms   min ${sorted[0]!.toFixed(1)} ms   max ${sorted[sorted.length - 1]!.toFixed(1)} ms`)
