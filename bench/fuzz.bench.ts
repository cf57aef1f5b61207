// Public-API fuzz at bench size: random calls with hostile arguments (the generator of
// spec/reliability/api-fuzz.spec.ts) against a client logged in to the local platform on
// 127.0.0.1, in batches. Prints calls per second and the failures: calls that threw anything but
// a BasicError, uncaught errors and unhandled rejections, and whether the client still answers
// (socket, services, and a chat message to a second client, behind the I/O the calls queued). BENCH_FUZZ_CALLS or the first argument sets
// the number of calls (default 10,000; `node --import tsx bench/fuzz.bench.ts 100000`).
import fc from 'fast-check'
import { createTestClient } from '../testing/clients.js'
import { startPlatform } from '../testing/platform.js'
import { apiCall, invoke, watchUncaught } from '../spec/reliability/api-calls.js'

const total = Number(process.argv[2] ?? process.env.BENCH_FUZZ_CALLS ?? 10_000)
const batch = 500
const seed = 16_2026

const platform = await startPlatform({ users: ['alice@example.com', 'bob@example.com'] })
const alice = await createTestClient(platform, 'alice@example.com')
const bob = await createTestClient(platform, 'bob@example.com', { services: ['chat'] })
const uncaught = watchUncaught()
const failures = new Map<string, number>()

let done = 0
let busy = 0
const started = performance.now()
for (let index = 0; done < total; index += 1) {
  const calls = fc.sample(apiCall, { seed: seed + index, numRuns: Math.min(batch, total - done) })
  const before = performance.now()
  for (const call of calls) {
    const verdict = invoke(alice, call)
    if (!verdict.ok) failures.set(`${verdict.path}: ${verdict.thrown}`, (failures.get(`${verdict.path}: ${verdict.thrown}`) ?? 0) + 1)
  }
  busy += performance.now() - before
  done += calls.length
  // Lets the I/O the calls started run between batches, as an app's event loop would.
  await new Promise((resolve) => setTimeout(resolve, 20))
}
const elapsed = performance.now() - started

// Still working: a chat message reaches bob.
const text = `after ${done} calls`
alice.conversation.create('bob@example.com').createMessage({ type: 'text', text }).send()
const sent = Date.now()
const deadline = sent + 120_000
const received = (): boolean =>
  (bob.conversation.get('alice@example.com')?.getMessages() ?? []).some((message) => message.parts.some((part) => part.type === 'text' && part.text === text))
while (!received() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
const delivered = received()
const deliveryMs = Date.now() - sent
const socket = alice.connection.getSocketState('cpaas')
const working = delivered && socket?.connected === true

console.log(`fuzz: ${done} public-API calls (seed ${seed}) in ${(elapsed / 1000).toFixed(1)} s`)
console.log(`  ${Math.round(done / (busy / 1000))} calls/s in the calls themselves, ${Math.round(done / (elapsed / 1000))} calls/s with I/O between batches`)
console.log(`  failures: ${[...failures.values()].reduce((a, b) => a + b, 0)} non-BasicError throws, ${uncaught.seen.length} uncaught errors or unhandled rejections`)
for (const [what, count] of failures) console.log(`    ${count} × ${what}`)
for (const error of uncaught.seen.slice(0, 5)) console.log(`    uncaught: ${String(error)}`)
console.log(
  `  client afterwards: ${working ? 'working' : 'NOT working'} (socket ${socket?.connected ? 'open' : 'closed'}, services [${alice.services.getSubscriptions().subscribed.join(', ')}], chat message ${delivered ? `delivered after ${deliveryMs} ms` : 'not delivered within 120 s'})`,
)

uncaught.stop()
alice.dispose()
bob.dispose()
await platform.stop()
process.exit(failures.size === 0 && uncaught.seen.length === 0 && working ? 0 : 1)
