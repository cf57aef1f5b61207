// The shared browser harness: real Chromium (TOOLING.md flags, fake camera and microphone)
// driving pages that load dist/kandy-rx.js from the local platform, each page one logged-in user.
//
//   describe('calls', function () {
//     const harness = useHarness()                       // platform + browser for the file
//     it('…', async () => {
//       const alice = await harness().open('alice@example.com')      // page, client, tokens, services
//       const bob = await harness().open('bob@example.com')
//       const callId = await alice.run((client, to) => client.call.make(to, { audio: true }), 'bob@example.com')
//       const { payload } = await bob.waitFor('call:receive')
//       await alice.until((client, id) => client.call.getById(id)?.state === 'Connected', callId)
//     })
//   })
//
// The platform runs in this process on 127.0.0.1 (port 0), so that under `unshare -n` (as `npm
// test` runs) the browser and the platform share the loopback-only namespace. Pages come from the
// platform for real: its static root is a temporary folder holding the harness page (as the
// browser sample's `index.html`) and a link to this checkout's `dist/`, so `/` is the harness
// page and `/kandy-rx.js` the build under test. (A page fulfilled by a route instead would count
// as "public" for Chromium's local network access checks, which then block its WebSocket.)
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from '../fixtures/chromium.js'
import type { Client } from '../../lib/index.js'
import type { PlatformOptions } from '../../platform/index.js'
import { startTestPlatform, useRunning, type LoginTokens, type TestPlatform } from '../helpers/platform.js'

/** Debian's Chromium with exactly the flags of TOOLING.md (`spec/fixtures/chromium.ts`). */
export { chromiumFlags, launchChromium as launchBrowser } from '../fixtures/chromium.js'

/** The path of the harness page on the platform's origin. */
export const harnessPath = '/'

const harnessHtml = `<!doctype html>
<html><head><meta charset="utf-8"><title>kandy-rx harness</title><link rel="icon" href="data:,"></head>
<body><div id="local"></div><div id="remote"></div>
<script>window.__name = (target) => target /* tsx keeps function names with __name(); functions sent from specs may use it */</script>
<script src="/kandy-rx.js"></script></body></html>`

/** What `until` resolves with: the polled value once it is truthy. */
export type Truthy<R> = Exclude<R, false | null | undefined | 0 | ''>

/** One event as a page recorded it, made JSON-safe (errors as `{ name, code, message }`, stats reports summarised). */
export interface RecordedEvent {
  readonly index: number
  readonly type: string
  readonly payload: Record<string, unknown>
}

/** What a user page's functions see: the client, and the peer connections the SDK created (newest last). */
export interface PageScope {
  readonly client: Client
  readonly peers: RTCPeerConnection[]
}

export interface OpenOptions {
  /** Services to subscribe (default `['call']`); `[]` subscribes none. */
  readonly services?: readonly string[]
  /** JSON configuration merged over the harness's (`call.iceServers: []`, `logs.logLevel: 'warn'`). */
  readonly config?: Record<string, unknown>
}

/** A page logged in as one user. */
export interface UserPage {
  readonly page: Page
  readonly tokens: LoginTokens
  readonly userId: string
  /** Uncaught page errors and console errors so far. */
  readonly errors: string[]
  /** Runs a function in the page with the client (and recorded peers); its result must be serialisable. */
  run<R, A = undefined>(fn: (client: Client, arg: A, scope: PageScope) => R | Promise<R>, arg?: A): Promise<R>
  /** Polls a page function until it returns a truthy value; returns that value. */
  until<R, A = undefined>(fn: (client: Client, arg: A, scope: PageScope) => R, arg?: A, timeout?: number): Promise<Truthy<R>>
  /** The first event of `type` after index `after` whose payload has the fields of `match` (nested objects match as subsets). */
  waitFor(type: string, match?: Record<string, unknown>, options?: { after?: number; timeout?: number }): Promise<RecordedEvent>
  /** Every recorded event (optionally of one type). */
  events(type?: string): Promise<RecordedEvent[]>
  /** A summary of `call.getStats(callId)`: the inbound and outbound RTP streams of the call. */
  rtp(callId: string): Promise<RtpSummary>
  /** Waits until every remote track of the call receives bytes, and the bytes keep rising. */
  expectMediaFlowing(callId: string, timeout?: number): Promise<RtpSummary>
}

/** One RTP stream of a stats report. */
export interface RtpStream {
  readonly kind: string
  readonly bytes: number
  readonly packets: number
  /** Inbound streams: the id of the remote track they feed. */
  readonly trackIdentifier: string | undefined
  /** Inbound audio: `totalAudioEnergy` (measured where the audio is played). */
  readonly audioEnergy: number | undefined
}

export interface RtpSummary {
  readonly inbound: readonly RtpStream[]
  readonly outbound: readonly RtpStream[]
}

/** The running harness of one spec file. */
export interface Harness {
  readonly platform: TestPlatform
  readonly browser: Browser
  /** A new page (in this test's browser context) logged in as `userId`, with a client subscribed to `services`. */
  open(userId: string, options?: OpenOptions): Promise<UserPage>
  /** A blank page on the platform's origin (for plain RTCPeerConnection code), in this test's context. */
  blank(): Promise<Page>
  /**
   * A page logged in as `userId` without the SDK: `window.plainCpaas` (spec/browser/pages/plain-cpaas.js)
   * loaded, and `window.__plain` its open connection (a channel with a `call` subscription).
   */
  openPlain(userId: string): Promise<{ readonly page: Page; readonly tokens: LoginTokens }>
  /** Closes this test's pages (the harness does it after each test). */
  closePages(): Promise<void>
}

/** Starts the platform and the browser once for a spec file; gives each test fresh pages. */
export async function startHarness(platformOptions: PlatformOptions = {}): Promise<Harness & { stop(): Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'kandy-rx-harness-'))
  mkdirSync(join(root, 'samples', 'browser'), { recursive: true })
  writeFileSync(join(root, 'samples', 'browser', 'index.html'), harnessHtml)
  symlinkSync(resolve('dist'), join(root, 'dist'), 'dir')
  const platform = await startTestPlatform({ staticRoot: root, ...platformOptions })
  const browser = await launchChromium()
  let context: BrowserContext | undefined
  const contextNow = async (): Promise<BrowserContext> => {
    context ??= await browser.newContext()
    return context
  }

  const blank = async (): Promise<Page> => {
    const page = await (await contextNow()).newPage()
    await page.goto(`${platform.url}${harnessPath}`)
    return page
  }

  const open = async (userId: string, options: OpenOptions = {}): Promise<UserPage> => {
    const tokens = await platform.login(userId)
    const page = await blank()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    const { hostname, port } = new URL(platform.url)
    await page.evaluate(setUpClient, {
      tokens: { accessToken: tokens.accessToken, idToken: tokens.idToken },
      services: [...(options.services ?? ['call'])],
      config: mergeConfig(
        {
          authentication: { server: { base: hostname, protocol: 'http', port: Number(port) }, clientCorrelator: `harness-${userId}` },
          call: { iceServers: [] },
          logs: { logLevel: 'warn' },
        },
        options.config ?? {},
      ),
    })
    return userPage(page, tokens, userId, errors)
  }

  const openPlain = async (userId: string): Promise<{ readonly page: Page; readonly tokens: LoginTokens }> => {
    const tokens = await platform.login(userId)
    const page = await blank()
    await page.addScriptTag({ path: resolve('spec/browser/pages/plain-cpaas.js') })
    await page.evaluate(async (login) => {
      const scope = window as unknown as { plainCpaas: { open(login: unknown): Promise<unknown> }; __plain: unknown }
      scope.__plain = await scope.plainCpaas.open(login)
    }, { accessToken: tokens.accessToken, userId: tokens.userId })
    return { page, tokens }
  }

  return {
    platform,
    browser,
    open,
    blank,
    openPlain,
    closePages: async () => {
      const closing = context
      context = undefined
      await closing?.close()
    },
    stop: async () => {
      await context?.close().catch(() => undefined)
      await browser.close()
      await platform.stop()
      rmSync(root, { recursive: true, force: true })
    },
  }
}

/** Mocha hooks for a spec file: the harness before its tests, fresh pages per test, everything stopped after. */
export function useHarness(platformOptions: PlatformOptions = {}): () => Harness {
  return useRunning('useHarness', () => startHarness(platformOptions), { timeout: 60000, afterEach: (harness) => harness.closePages() })
}

/** `over` merged into a client configuration `base`: objects merge key by key, any other value (an array too) replaces. */
export function mergeConfig(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(over)) {
    const current = out[key]
    out[key] =
      typeof value === 'object' && value !== null && !Array.isArray(value) && typeof current === 'object' && current !== null && !Array.isArray(current)
        ? mergeConfig(current as Record<string, unknown>, value as Record<string, unknown>)
        : value
  }
  return out
}

// ── In the page ──────────────────────────────────────────────────────────────────────────────

interface PageHarness {
  readonly client: Client
  readonly events: Array<{ type: string; payload: unknown }>
  readonly peers: RTCPeerConnection[]
  readonly plain: (value: unknown) => unknown
}

declare global {
  interface Window {
    __harness: PageHarness
    Kandy: typeof import('../../lib/index.js')
  }
}

/** Runs in the page: creates the client (recording its peer connections), logs in, subscribes. */
async function setUpClient(setup: { tokens: { accessToken: string; idToken: string }; services: string[]; config: Record<string, unknown> }): Promise<void> {
  const peers: RTCPeerConnection[] = []
  // The environment is the SDK's injection point: the same RTCPeerConnection, recorded for inspection.
  class RecordedPeerConnection extends RTCPeerConnection {
    constructor(configuration?: RTCConfiguration) {
      super(configuration)
      peers.push(this)
      window.dispatchEvent(new CustomEvent('harness:peer', { detail: this }))
    }
  }
  const client = window.Kandy.create(setup.config, { RTCPeerConnection: RecordedPeerConnection })
  const plain = (value: unknown, depth = 0): unknown => {
    if (value === null || typeof value !== 'object') return value
    if (depth > 6) return '[deep]'
    if ((value as { name?: unknown }).name === 'BasicError') {
      const error = value as { name: string; code: unknown; message: string }
      return { name: error.name, code: error.code, message: error.message }
    }
    if (typeof RTCStatsReport !== 'undefined' && value instanceof RTCStatsReport) return { statsReport: value.size }
    if (Array.isArray(value)) return value.map((item) => plain(item, depth + 1))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item, depth + 1)]))
  }
  const events: Array<{ type: string; payload: unknown }> = []
  client.subscribe((type, [payload]) => events.push({ type, payload }))
  window.__harness = { client, events, peers, plain }
  client.setTokens(setup.tokens)
  if (setup.services.length === 0) return
  const wanted = setup.services
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`services ${wanted.join(',')} not subscribed: ${JSON.stringify(client.services.getSubscriptions())}`)), 15000)
    const check = (): void => {
      const { subscribed, isPending } = client.services.getSubscriptions()
      if (!isPending && wanted.every((service) => subscribed.includes(service))) {
        clearTimeout(timer)
        client.off('subscription:change', check)
        resolve()
      }
    }
    client.on('subscription:change', check)
    client.on('subscription:error', (payload) => {
      clearTimeout(timer)
      reject(new Error(`subscription:error ${JSON.stringify(plain(payload))}`))
    })
    client.services.subscribe(wanted, 'websocket')
  })
}

function userPage(page: Page, tokens: LoginTokens, userId: string, errors: string[]): UserPage {
  const run = <R, A>(fn: (client: Client, arg: A, scope: PageScope) => R | Promise<R>, arg?: A): Promise<R> =>
    page.evaluate(
      async ({ source, value }) => {
        const { client, peers } = window.__harness
        const call = new Function(`return (${source})`)() as (client: Client, arg: unknown, scope: PageScope) => unknown
        return call(client, value, { client, peers })
      },
      { source: fn.toString(), value: arg as unknown },
    ) as Promise<R>

  const until = async <R, A>(fn: (client: Client, arg: A, scope: PageScope) => R, arg?: A, timeout = 15000): Promise<Truthy<R>> => {
    const handle = await page.waitForFunction(
      ({ source, value }) => {
        const { client, peers } = window.__harness
        const call = new Function(`return (${source})`)() as (client: Client, arg: unknown, scope: PageScope) => unknown
        return call(client, value, { client, peers })
      },
      { source: fn.toString(), value: arg as unknown },
      { polling: 50, timeout },
    )
    const value = (await handle.jsonValue()) as Truthy<R>
    await handle.dispose()
    return value
  }

  const events = (type?: string): Promise<RecordedEvent[]> =>
    page.evaluate((wanted) => {
      const { events: all, plain } = window.__harness
      return all.flatMap((event, index) =>
        wanted === undefined || event.type === wanted ? [{ index, type: event.type, payload: plain(event.payload) as Record<string, unknown> }] : [],
      )
    }, type)

  const waitFor = async (type: string, match: Record<string, unknown> = {}, options: { after?: number; timeout?: number } = {}): Promise<RecordedEvent> => {
    const index = await until(
      (_client, { wanted, fields, after }) => {
        const { events: all, plain } = window.__harness
        // Objects in `fields` match as subsets (`{ error: { code: 'call:6' } }`), anything else by JSON equality.
        const same = (actual: unknown, expected: unknown): boolean =>
          typeof expected === 'object' && expected !== null && !Array.isArray(expected)
            ? typeof actual === 'object' && actual !== null && Object.entries(expected).every(([key, value]) => same((actual as Record<string, unknown>)[key], value))
            : JSON.stringify(actual) === JSON.stringify(expected)
        const found = all.findIndex((event, i) => {
          if (i <= after || event.type !== wanted) return false
          const payload = plain(event.payload) as Record<string, unknown>
          return Object.entries(fields).every(([key, value]) => same(payload[key], value))
        })
        return found < 0 ? false : found + 1
      },
      { wanted: type, fields: match, after: options.after ?? -1 },
      options.timeout,
    ).catch((error: unknown) => {
      throw new Error(`${userId}: no ${type} ${JSON.stringify(match)} (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); page errors: ${JSON.stringify(errors)}`)
    })
    const all = await events()
    const found = all[(index as number) - 1]
    if (found === undefined) throw new Error(`${userId}: event ${type} vanished`)
    return found
  }

  const rtp = (callId: string): Promise<RtpSummary> =>
    page.evaluate(async (id) => {
      const { client, events: all } = window.__harness
      const from = all.length
      client.call.getStats(id)
      const report = await new Promise<RTCStatsReport>((resolve, reject) => {
        const started = Date.now()
        const poll = (): void => {
          const found = all.slice(from).find((event) => event.type === 'call:statsReceived' && (event.payload as { callId?: string }).callId === id)
          if (found !== undefined) {
            const { result, error } = found.payload as { result?: RTCStatsReport; error?: { message: string } }
            if (result === undefined) reject(new Error(`getStats failed: ${error?.message ?? 'no report'}`))
            else resolve(result)
          } else if (Date.now() - started > 5000) reject(new Error('no call:statsReceived within 5 s'))
          else setTimeout(poll, 20)
        }
        poll()
      })
      const inbound: RtpStream[] = []
      const outbound: RtpStream[] = []
      report.forEach((stat: Record<string, unknown>) => {
        if (stat.type === 'inbound-rtp')
          inbound.push({
            kind: String(stat.kind),
            bytes: Number(stat.bytesReceived ?? 0),
            packets: Number(stat.packetsReceived ?? 0),
            trackIdentifier: stat.trackIdentifier as string | undefined,
            audioEnergy: stat.totalAudioEnergy as number | undefined,
          })
        if (stat.type === 'outbound-rtp')
          outbound.push({ kind: String(stat.kind), bytes: Number(stat.bytesSent ?? 0), packets: Number(stat.packetsSent ?? 0), trackIdentifier: undefined, audioEnergy: undefined })
      })
      return { inbound, outbound }
    }, callId)

  const expectMediaFlowing = async (callId: string, timeout = 15000): Promise<RtpSummary> => {
    const remoteTracks = await run((client, id) => client.call.getById(id)?.remoteTracks ?? [], callId)
    if (remoteTracks.length === 0) throw new Error(`${userId}: call ${callId} has no remote tracks`)
    const deadline = Date.now() + timeout
    let first: RtpSummary | undefined
    for (;;) {
      const summary = await rtp(callId)
      const bytesOf = (stats: RtpSummary, trackId: string): number => stats.inbound.find((stream) => stream.trackIdentifier === trackId)?.bytes ?? 0
      if (first === undefined && remoteTracks.every((trackId) => bytesOf(summary, trackId) > 0)) first = summary
      else if (first !== undefined && remoteTracks.every((trackId) => bytesOf(summary, trackId) > bytesOf(first as RtpSummary, trackId))) return summary
      if (Date.now() > deadline) throw new Error(`${userId}: media of call ${callId} not flowing for every remote track: ${JSON.stringify(summary)}`)
      await new Promise((resolve) => setTimeout(resolve, 150))
    }
  }

  return { page, tokens, userId, errors, run, until, waitFor, events, rtp, expectMediaFlowing }
}
