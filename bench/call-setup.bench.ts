// Call set-up time in Chromium through the local platform: the SDK (dist/kandy-rx.js, `call.make`
// → auto-answer) side by side with plain RTCPeerConnection pages doing the same offer / answer
// (complete offers, ringing reported, answer PUT) through the same platform's REST + WebSocket.
// Audio + video calls, interleaved SDK / plain, after a warm-up; medians of CALLS (default 20).
//
//   npm run bench -- call-setup            (or: node --import tsx bench/call-setup.bench.ts)
//   unshare -n sh -c 'ip link set lo up && node --import tsx bench/call-setup.bench.ts'
//
// Outside a loopback-only namespace Chromium also gathers the machine's external address; the
// figures then include that, for both sides alike.
import type { Page } from 'playwright-core'
import { startHarness, type UserPage } from '../spec/browser/harness.js'

const rounds = Number(process.env.CALLS ?? 20)
const warmUp = 2
const media = { audio: true, video: true }

/** Milestones of one call, in ms after the caller started it. */
interface Sample {
  readonly callerConnected: number
  readonly calleeConnected: number
  readonly callerMedia: number
  readonly calleeMedia: number
  readonly iceConnected: number
}

/** Times recorded in a page, absolute (performance.timeOrigin + performance.now()). */
interface Times {
  start?: number
  connected?: number
  firstMedia?: number
  iceConnected?: number
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Installs, in an SDK page, recording of each new peer connection's ICE connection and first remote packet. */
async function instrumentSdkPage(user: UserPage, role: 'caller' | 'callee'): Promise<void> {
  await user.run(
    (client, { who, constraints }) => {
      const now = (): number => performance.timeOrigin + performance.now()
      const scope = window as unknown as { __runs: Times[] }
      scope.__runs = []
      window.addEventListener('harness:peer', (event) => {
        const pc = (event as CustomEvent<RTCPeerConnection>).detail
        const run: Times = who === 'callee' ? {} : (scope.__runs.at(-1) ?? {})
        if (who === 'callee') scope.__runs.push(run)
        pc.addEventListener('connectionstatechange', () => {
          if (pc.connectionState === 'connected') run.iceConnected ??= now()
        })
        pc.addEventListener('track', ({ track }) => track.addEventListener('unmute', () => (run.firstMedia ??= now()), { once: true }))
      })
      client.on('call:stateChange', (payload) => {
        const { callId } = payload as { callId: string }
        if (client.call.getById(callId)?.state === 'Connected') {
          const run = scope.__runs.at(-1)
          if (run !== undefined) run.connected ??= now()
        }
      })
      if (who === 'callee') client.on('call:receive', (payload) => client.call.answer((payload as { callId: string }).callId, constraints))
    },
    { who: role, constraints: media },
  )
}

/** One SDK call: make → both Connected → media both ways → ended on both sides. */
async function sdkCall(caller: UserPage, callee: UserPage): Promise<Sample> {
  const runsBefore = await callee.run(() => (window as unknown as { __runs: Times[] }).__runs.length)
  const callId = await caller.run(
    (client, { to, constraints }) => {
      const scope = window as unknown as { __runs: Times[] }
      scope.__runs.push({ start: performance.timeOrigin + performance.now() })
      return client.call.make(to, constraints)
    },
    { to: callee.userId, constraints: media },
  )
  /** The page's run number `index` (the last one when undefined), once every milestone is in. */
  const done = (user: UserPage, index?: number) =>
    user.until((_client, at) => {
      const runs = (window as unknown as { __runs: Times[] }).__runs
      const run = at === null ? runs.at(-1) : runs[at]
      return run?.connected !== undefined && run.firstMedia !== undefined && run.iceConnected !== undefined ? run : false
    }, index ?? null)
  const [mine, theirs] = await Promise.all([done(caller), done(callee, runsBefore)])
  await caller.run((client, id) => client.call.end(id), callId)
  await callee.until(() => (window as unknown as { Kandy: unknown }) && true)
  await callee.until((client) => client.call.getAll().every((call) => call.state === 'Ended' || call.state === 'Cancelled'))
  return sample(mine, theirs)
}

/** Installs the plain callee: answers every invitation, closes its side when the caller ends. */
async function instrumentPlainCallee(page: Page, constraints: typeof media): Promise<void> {
  await page.evaluate((wanted) => {
    type Entry = { pc: RTCPeerConnection; sessionId: string; times: Times; stream?: MediaStream }
    const scope = window as unknown as {
      plainCpaas: { answerAll(c: unknown, m: unknown, calls: Entry[]): void; sessionOf(body: unknown): string }
      __plain: { on(kind: string, handler: (body: { eventType: string }) => void): void }
      __calls: Entry[]
    }
    scope.__calls = []
    scope.plainCpaas.answerAll(scope.__plain, wanted, scope.__calls)
    scope.__plain.on('wrtcsEventNotification', (body) => {
      if (body.eventType !== 'SessionEnded') return
      const entry = scope.__calls.find((call) => call.sessionId === scope.plainCpaas.sessionOf(body))
      entry?.stream?.getTracks().forEach((track) => track.stop())
      entry?.pc.close()
    })
  }, constraints)
}

/** One plain call: the same milestones, with plain RTCPeerConnection pages. */
async function plainCall(caller: Page, callee: Page, to: string): Promise<Sample> {
  const mine = await caller.evaluate(
    async ({ address, constraints }) => {
      const scope = window as unknown as {
        plainCpaas: {
          call(c: unknown, to: string, m: unknown): Promise<{ pc: RTCPeerConnection; times: Times; sessionId: string; stream: MediaStream }>
          hangUp(c: unknown, entry: unknown): Promise<void>
        }
        __plain: unknown
      }
      const entry = await scope.plainCpaas.call(scope.__plain, address, constraints)
      const started = Date.now()
      while ((entry.times.firstMedia === undefined || entry.times.iceConnected === undefined) && Date.now() - started < 15000) await new Promise((resolve) => setTimeout(resolve, 5))
      const times = { ...entry.times }
      ;(window as unknown as { __last: unknown }).__last = entry
      return times
    },
    { address: to, constraints: media },
  )
  const theirs = (await (
    await callee.waitForFunction(
      () => {
        const entry = (window as unknown as { __calls: Array<{ times: Times }> }).__calls.at(-1)
        return entry?.times.connected !== undefined && entry.times.firstMedia !== undefined && entry.times.iceConnected !== undefined ? entry.times : false
      },
      undefined,
      { polling: 5, timeout: 15000 },
    )
  ).jsonValue()) as Times
  await caller.evaluate(async () => {
    const scope = window as unknown as { plainCpaas: { hangUp(c: unknown, entry: unknown): Promise<void> }; __plain: unknown; __last: unknown }
    await scope.plainCpaas.hangUp(scope.__plain, scope.__last)
  })
  await callee.waitForFunction(() => (window as unknown as { __calls: Array<{ pc: RTCPeerConnection }> }).__calls.at(-1)?.pc.signalingState === 'closed', undefined, {
    polling: 10,
    timeout: 5000,
  })
  return sample(mine, theirs)
}

function sample(caller: Times, callee: Times): Sample {
  const start = caller.start ?? Number.NaN
  return {
    callerConnected: (caller.connected ?? Number.NaN) - start,
    calleeConnected: (callee.connected ?? Number.NaN) - start,
    callerMedia: (caller.firstMedia ?? Number.NaN) - start,
    calleeMedia: (callee.firstMedia ?? Number.NaN) - start,
    iceConnected: Math.max(caller.iceConnected ?? Number.NaN, callee.iceConnected ?? Number.NaN) - start,
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const metrics: ReadonlyArray<readonly [string, (sample: Sample) => number]> = [
  ['make → Connected, caller', (s) => s.callerConnected],
  ['make → Connected, callee', (s) => s.calleeConnected],
  ['make → Connected, both sides', (s) => Math.max(s.callerConnected, s.calleeConnected)],
  ['make → ICE/DTLS connected, both', (s) => s.iceConnected],
  ['make → first inbound packet, caller', (s) => s.callerMedia],
  ['make → first inbound packet, callee', (s) => s.calleeMedia],
  ['make → first inbound packet, both', (s) => Math.max(s.callerMedia, s.calleeMedia)],
]

async function main(): Promise<void> {
  const harness = await startHarness()
  try {
    const alice = await harness.open('alice@example.com')
    const bob = await harness.open('bob@example.com')
    await instrumentSdkPage(alice, 'caller')
    await instrumentSdkPage(bob, 'callee')
    const carol = await harness.openPlain('carol@example.com')
    const dave = await harness.openPlain('dave@example.com')
    await instrumentPlainCallee(dave.page, media)

    const sdk: Sample[] = []
    const plain: Sample[] = []
    for (let round = 0; round < warmUp + rounds; round += 1) {
      const a = await sdkCall(alice, bob)
      await wait(100)
      const b = await plainCall(carol.page, dave.page, 'sip:dave@example.com')
      await wait(100)
      if (round >= warmUp) {
        sdk.push(a)
        plain.push(b)
      }
    }

    const errors = [...alice.errors, ...bob.errors]
    const pad = (text: string, width: number) => text.padEnd(width)
    const ms = (value: number) => `${value.toFixed(0)} ms`.padStart(8)
    console.log(`call set-up in Chromium through the local platform: audio+video, median of ${rounds} calls each (after ${warmUp} warm-up), interleaved`)
    console.log(`${pad('', 38)}${'SDK'.padStart(8)}${'plain'.padStart(8)}   ratio   SDK min–max`)
    for (const [name, of] of metrics) {
      const a = median(sdk.map(of))
      const b = median(plain.map(of))
      const values = sdk.map(of)
      console.log(`${pad(name, 38)}${ms(a)}${ms(b)}   ${(a / b).toFixed(2)}×   ${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`)
    }
    const both = (s: Sample) => Math.max(s.callerConnected, s.calleeConnected)
    const firstMedia = (s: Sample) => Math.max(s.callerMedia, s.calleeMedia)
    console.log(
      `ratio SDK / plain: Connected on both sides ${(median(sdk.map(both)) / median(plain.map(both))).toFixed(2)}×, ` +
        `first inbound media packet ${(median(sdk.map(firstMedia)) / median(plain.map(firstMedia))).toFixed(2)}× (target ≤ 1.3×)`,
    )
    if (errors.length > 0) console.log(`page errors: ${JSON.stringify(errors)}`)
  } finally {
    await harness.stop()
  }
}

await main()
