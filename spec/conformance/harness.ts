// The differential conformance harness: one scripted scenario runs twice in real Chromium, once on
// the original SDK (`@kandy-io/cpaas-sdk` 4.9.0's `dist/kandy.js`, the oracle, used as a black box)
// and once on `dist/kandy-rx.js`, each against a fresh local platform over TLS (the original opens
// its WebSocket with `wss` whatever the configuration says). Each run records a transcript: every
// step's return value and every event's name, order and arguments, per page, with ids, tokens,
// times and the port normalised. The two transcripts must be deeply equal, except at the paths a
// scenario lists as justified differences (each with its reason; an unused one fails too).
//
//   conformanceSuite('conformance: config', (scenario) => {
//     scenario('getConfig returns the configuration', {
//       name: 'getConfig',
//       run: async ({ open }) => {
//         const alice = await open('alice@example.com', { services: [] })
//         await alice.step('getConfig', (client) => client.getConfig().logs)
//       },
//     })
//   })
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { selfSignedCertificate } from '../../platform/index.js'
import { startPlatform, type TestPlatform } from '../../testing/platform.js'
import { chromiumFlags, mergeConfig } from '../browser/harness.js'
import { useRunning } from '../helpers/platform.js'
import type { Client } from '../../lib/index.js'
import { comparable, differences, normalise, type Difference } from './transcript.js'

/** Which SDK a run loads: the original (oracle) or ours. */
export type Sdk = 'oracle' | 'kandy-rx'

/** A difference the suite accepts: every difference at or under `path` (e.g. `alice.steps.get`), with why. */
export interface Justified {
  readonly path: string
  readonly reason: string
}

/** One scripted scenario: a Node function that opens user pages and runs documented-API steps in them. */
export interface Scenario {
  readonly name: string
  readonly run: (session: Session) => Promise<void>
  readonly justified?: readonly Justified[]
  /** Differences found and not fixed yet, each with what it is: accepted like `justified`, listed as open in the README table. */
  readonly open?: readonly Justified[]
  /**
   * Orders of independent causes that either SDK shows either way from run to run (e.g. an HTTP
   * response and a notification caused by the same request): accepted when they occur, not a
   * difference between the SDKs.
   */
  readonly racy?: readonly Justified[]
}

/** What a scenario's `run` gets: user pages on this run's platform. */
export interface Session {
  readonly sdk: Sdk
  readonly platform: TestPlatform
  /** A page (its own browser context) logged in as `userId`, its client subscribed to `services` (default none). */
  open(userId: string, options?: OpenOptions): Promise<ConformancePage>
}

export interface OpenOptions {
  readonly services?: readonly string[]
  /** Configuration merged over the harness's. */
  readonly config?: Record<string, unknown>
  /** Skip `setTokens` (for scenarios about authentication). */
  readonly login?: boolean
}

/** The documented client as a page script sees it (both SDKs expose the same API). */
export type PageClient = Client & Record<string, unknown>

/** A page under test, logged in as one user. */
export interface ConformancePage {
  readonly userId: string
  readonly page: Page
  /** The tokens this user got from the platform's token endpoint. */
  readonly tokens: { readonly accessToken: string; readonly idToken: string }
  /** Runs `fn` in the page and records its (JSON-safe) result under `label`; a throw is recorded as `{ thrown }`. */
  step<R, A = undefined>(label: string, fn: (client: PageClient, arg: A) => R | Promise<R>, arg?: A): Promise<unknown>
  /** Runs `fn` in the page without recording it. */
  run<R, A = undefined>(fn: (client: PageClient, arg: A) => R | Promise<R>, arg?: A): Promise<R>
  /** Waits until `count` events named `type` have been recorded in total (default 1). */
  waitFor(type: string, count?: number, timeout?: number): Promise<void>
  /** Waits until `fn` returns a truthy value in the page. */
  until<A = undefined>(fn: (client: PageClient, arg: A) => unknown, arg?: A, timeout?: number): Promise<void>
  /** How many events named `type` were recorded so far. */
  count(type: string): Promise<number>
  /** Waits `ms` (for "nothing more happens" checks only; never an assertion on time). */
  settle(ms?: number): Promise<void>
  /**
   * Waits until at least `more` new events arrived since the last step or `quiet` (default 1), then
   * until no event arrived for a while: the SDKs name some events differently, so scenarios wait for
   * activity, not for one SDK's event name.
   */
  quiet(more?: number, timeout?: number): Promise<void>
}

/** One run's record: per page, the steps in order and the events in order. */
export type Transcript = Record<string, { steps: Array<{ label: string; value: unknown }>; events: Array<{ type: string; args: unknown }> }>

/** The running harness of a spec file. */
export interface Conformance {
  /** Runs the scenario on both SDKs and fails with a readable diff on an unjustified difference. */
  check(scenario: Scenario): Promise<{ oracle: Transcript; ours: Transcript }>
  /** Runs the scenario on one SDK and returns its normalised transcript. */
  record(scenario: Scenario, sdk: Sdk): Promise<Transcript>
}

const dumps = join(tmpdir(), 'kandy-rx-conformance')

const pageHtml = (script: string): string => `<!doctype html>
<html><head><meta charset="utf-8"><title>conformance</title><link rel="icon" href="data:,"></head>
<body><div id="local"></div><div id="remote"></div>
<script>window.__name = (target) => target</script>
<script src="${script}"></script></body></html>`

/** Starts Chromium once for a spec file; each scenario run gets its own TLS platform and contexts. */
export async function startConformance(): Promise<Conformance & { stop(): Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'kandy-rx-conformance-'))
  const pages = join(root, 'samples', 'browser')
  mkdirSync(pages, { recursive: true })
  writeFileSync(join(pages, 'index.html'), pageHtml('/kandy-rx.js'))
  writeFileSync(join(pages, 'oracle.html'), pageHtml('/kandy.js'))
  symlinkSync(resolve('node_modules/@kandy-io/cpaas-sdk/dist/kandy.js'), join(pages, 'kandy.js'))
  symlinkSync(resolve('dist'), join(root, 'dist'), 'dir')
  const certificate = await selfSignedCertificate('127.0.0.1')
  const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...chromiumFlags, '--ignore-certificate-errors'] })

  const record = async (scenario: Scenario, sdk: Sdk): Promise<Transcript> => {
    const platform = await startPlatform({ tls: certificate, staticRoot: root, log: process.env.KANDY_PLATFORM_LOG === '1' })
    const contexts: BrowserContext[] = []
    const opened: Array<{ name: string; page: Page; tokens: ConformancePage['tokens'] }> = []
    const steps = new Map<string, Array<{ label: string; value: unknown }>>()
    const open = async (userId: string, options: OpenOptions = {}): Promise<ConformancePage> => {
      const context = await browser.newContext({ ignoreHTTPSErrors: true })
      contexts.push(context)
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(error.message))
      // CONFORMANCE_TRACE=1 prints each page's HTTP requests and WebSocket events (to see a flow the platform does not serve).
      if (process.env.CONFORMANCE_TRACE === '1') {
        page.on('response', (response) => process.stderr.write(`[${sdk} ${userId}] ${response.request().method()} ${response.url()} ${response.status()} ${response.request().postData() ?? ''}\n`))
        page.on('websocket', (socket) => {
          process.stderr.write(`[${sdk} ${userId}] ws open ${socket.url()}\n`)
          socket.on('framesent', (frame) => process.stderr.write(`[${sdk} ${userId}] ws sent ${String(frame.payload)}\n`))
          socket.on('close', () => process.stderr.write(`[${sdk} ${userId}] ws closed\n`))
        })
      }
      await page.goto(`${platform.url}/${sdk === 'oracle' ? 'oracle.html' : ''}`)
      const { hostname, port } = new URL(platform.url)
      const tokens = await page.evaluate(setUp, {
        userId,
        login: options.login ?? true,
        services: [...(options.services ?? [])],
        config: mergeConfig(
          {
            authentication: { server: { base: hostname, port }, clientCorrelator: `conformance-${userId}` },
            call: { iceServers: [] },
            logs: { logLevel: 'silent' },
          },
          options.config ?? {},
        ),
      })
      // Both SDKs list the devices once at start (devices:change); on a loaded machine that can come after a short scenario ended.
      await page.waitForFunction(() => window.__conformance.events.some((event) => event.type === 'devices:change'), undefined, { polling: 50, timeout: 10000 }).catch(() => undefined)
      const name = userId.split('@')[0]!
      if (steps.has(name)) throw new Error(`conformance: ${userId} opened twice`)
      const log: Array<{ label: string; value: unknown }> = []
      steps.set(name, log)
      opened.push({ name, page, tokens })
      const already = await page.evaluate(() => window.__conformance.events.length)
      return conformancePage(userId, page, tokens, log, already)
    }
    const collect = async (): Promise<Transcript> => {
      const transcript: Transcript = {}
      for (const { name, page } of opened) {
        const events = (await page.evaluate(() => window.__conformance.events.map((event) => ({ type: event.type, args: window.__conformance.plain(event.args) })))) as Transcript[string]['events']
        transcript[name] = { steps: steps.get(name) ?? [], events }
      }
      const normalised = normalise(transcript, { port: platform.port, secrets: opened.flatMap(({ tokens }) => [tokens.accessToken, tokens.idToken]) }) as Transcript
      // Kept for reading a failure: <tmp>/kandy-rx-conformance/<scenario>.<sdk>.json
      mkdirSync(dumps, { recursive: true })
      writeFileSync(join(dumps, `${scenario.name.replace(/[^\w.-]+/g, '_')}.${sdk}.json`), JSON.stringify(normalised, null, 1))
      return normalised
    }
    try {
      try {
        await scenario.run({ sdk, platform, open })
      } catch (error) {
        await collect().catch(() => undefined)
        throw new Error(`scenario "${scenario.name}" failed on ${sdk}: ${error instanceof Error ? error.message : String(error)}`)
      }
      await new Promise((done) => setTimeout(done, 300)) // events caused by the last step arrive asynchronously
      return await collect()
    } finally {
      for (const context of contexts) await context.close().catch(() => undefined)
      await platform.stop()
    }
  }

  const check = async (scenario: Scenario): Promise<{ oracle: Transcript; ours: Transcript }> => {
    const oracle = await record(scenario, 'oracle')
    const ours = await record(scenario, 'kandy-rx')
    const found = differences(comparable(oracle), comparable(ours))
    const justified = [...(scenario.justified ?? []), ...(scenario.open ?? []), ...(scenario.racy ?? [])]
    const unjustified = found.filter((difference) => ![...justified, ...everywhere].some((entry) => covers(entry.path, difference.path)))
    // A justified difference that no longer occurs fails (the list stays true); an open one may come and go with timing.
    const unused = (scenario.justified ?? []).filter((entry) => !found.some((difference) => covers(entry.path, difference.path)))
    if (unjustified.length > 0 || unused.length > 0) throw new Error(report(scenario.name, unjustified, unused))
    return { oracle, ours }
  }

  return {
    check,
    record,
    stop: async () => {
      await browser.close()
      rmSync(root, { recursive: true, force: true })
    },
  }
}

/** Mocha hooks: Chromium before the file's tests, closed after them. */
export function useConformance(): () => Conformance {
  return useRunning('useConformance', startConformance, { timeout: 60000 })
}

/** Adds one scenario to a suite: an `it` named for the behaviour, checking the scenario on both SDKs. */
export type AddScenario = (behaviour: string, scenario: Scenario) => void

/** A spec file's suite: Chromium for the file (useConformance), and one `it` per scenario that `define` adds. */
export function conformanceSuite(title: string, define: (scenario: AddScenario) => void, timeout = 120000): void {
  describe(title, function () {
    this.timeout(timeout)
    const conformance = useConformance()
    define((behaviour, scenario) => it(behaviour, () => conformance().check(scenario)))
  })
}

/** The same reason for differences at each of `paths`. */
export const justify = (paths: readonly string[], reason: string): Justified[] => paths.map((path) => ({ path, reason }))

/**
 * Differences every scenario accepts (`*` stands for any page). Kept short: anything narrower
 * belongs to the scenario that shows it.
 */
export const everywhere: readonly Justified[] = [
  {
    path: '*.events.auth',
    reason: 'Recommendation (protocol/events.md §2): kandy-rx emits auth:change after setTokens and auth:error for unusable tokens; the original emits neither',
  },
  // Timing, not behaviour: kandy-rx lists the devices once at start and says so with devices:change; on a loaded
  // machine that can land after the page starts recording (seen once in getConfig's scenario).
  { path: '*.events.devices', reason: 'the first device listing at start, recorded or not depending on load' },
  // What later versions of the original SDK added (issue 15), kandy-rx has and 4.9 lacks.
  { path: '*.events.call.call:mediaConnectionChange', reason: 'later original versions: the media connection state event (issue 15)' },
  { path: '**.mediaConnectionState', reason: 'later original versions: CallObject.mediaConnectionState (issue 15)' },
  { path: '**.call.defaultPeerConfig', reason: 'later original versions: config call.defaultPeerConfig (issue 15)' },
  { path: '**.call.automaticMediaRestart', reason: 'beyond the original: automatic media restart (issue 15)' },
  { path: '**.call.mediaRestart', reason: 'later original versions: call.mediaRestart (issue 15)' },
  { path: '*.events.call.call:mediaRestart', reason: 'later original versions: the call:mediaRestart event (issue 15)' },
  // Beyond the original (issue 15): call quality from one-second stats samples.
  { path: '*.events.call.call:qualityWarning', reason: 'beyond the original: call quality warnings (issue 15)' },
  { path: '**.quality', reason: 'beyond the original: CallObject.quality (issue 15)' },
  { path: '**.call.qualityThresholds', reason: 'beyond the original: config call.qualityThresholds (issue 15)' },
]

const covers = (prefix: string, path: string): boolean => {
  // `**.key`: that key (and what is under it) wherever it is.
  if (prefix.startsWith('**.')) return [`.${prefix.slice(3)}`].some((key) => path.endsWith(key) || path.includes(`${key}.`) || path.includes(`${key}[`))
  const [page, ...rest] = prefix.split('.')
  if (page === '*') return rest.length === 0 || covers(rest.join('.'), path.slice(path.indexOf('.') + 1))
  return matches(prefix, path)
}

const matches = (prefix: string, path: string): boolean => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`)

function report(name: string, unjustified: readonly Difference[], unused: readonly Justified[]): string {
  const lines = [`scenario "${name}": the SDKs differ`]
  for (const { path, oracle, ours } of unjustified) lines.push(`  at ${path}\n    oracle:   ${show(oracle)}\n    kandy-rx: ${show(ours)}`)
  for (const { path, reason } of unused) lines.push(`  justified difference at ${path} no longer occurs (${reason}): remove it`)
  return lines.join('\n')
}

const show = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value))

function conformancePage(userId: string, page: Page, tokens: ConformancePage['tokens'], log: Array<{ label: string; value: unknown }>, already: number): ConformancePage {
  const run = <R, A>(fn: (client: PageClient, arg: A) => R | Promise<R>, arg?: A): Promise<R> =>
    page.evaluate(
      async ({ source, value }) => {
        const call = new Function(`return (${source})`)() as (client: unknown, arg: unknown) => unknown
        return call(window.__conformance.client, value)
      },
      { source: fn.toString(), value: arg as unknown },
    ) as Promise<R>
  const step = async <R, A>(label: string, fn: (client: PageClient, arg: A) => R | Promise<R>, arg?: A): Promise<unknown> => {
    if (log.some((entry) => entry.label === label)) throw new Error(`conformance: step "${label}" recorded twice for ${userId}`)
    const value = await page.evaluate(
      async ({ source, value }) => {
        const { client, plain } = window.__conformance
        const call = new Function(`return (${source})`)() as (client: unknown, arg: unknown) => unknown
        try {
          return plain(await call(client, value))
        } catch (error) {
          return { thrown: plain(error) }
        }
      },
      { source: fn.toString(), value: arg as unknown },
    )
    log.push({ label, value })
    return value
  }
  const until = async <A>(fn: (client: PageClient, arg: A) => unknown, arg?: A, timeout = 15000): Promise<void> => {
    const handle = await page.waitForFunction(
      ({ source, value }) => {
        const call = new Function(`return (${source})`)() as (client: unknown, arg: unknown) => unknown
        return call(window.__conformance.client, value)
      },
      { source: fn.toString(), value: arg as unknown },
      { polling: 50, timeout },
    )
    await handle.dispose()
  }
  const count = (type: string): Promise<number> => page.evaluate((wanted) => window.__conformance.events.filter((event) => event.type === wanted).length, type)
  const waitFor = async (type: string, wanted = 1, timeout = 15000): Promise<void> => {
    try {
      await page.waitForFunction(({ type, wanted }) => window.__conformance.events.filter((event) => event.type === type).length >= wanted, { type, wanted }, { polling: 50, timeout })
    } catch {
      const seen = await page.evaluate(() => window.__conformance.events.map((event) => event.type))
      throw new Error(`${userId}: ${wanted} × ${type} not seen within ${timeout} ms; events: ${seen.join(', ')}`)
    }
  }
  const settle = (ms = 300): Promise<void> => new Promise((done) => setTimeout(done, ms))
  let seen = already
  const total = (): Promise<number> => page.evaluate(() => window.__conformance.events.length)
  const quiet = async (more = 1, timeout = 15000): Promise<void> => {
    const deadline = Date.now() + timeout
    let last = await total()
    while (last < seen + more && Date.now() < deadline) {
      await settle(50)
      last = await total()
    }
    for (;;) {
      await settle(400)
      const now = await total()
      if (now === last || Date.now() > deadline) break
      last = now
    }
    seen = last
  }
  const mark = async <T>(result: Promise<T>): Promise<T> => {
    const value = await result
    seen = await total()
    return value
  }
  return { userId, page, tokens, step: (label, fn, arg) => mark(step(label, fn, arg)), run: (fn, arg) => mark(run(fn, arg)), waitFor, until, count, settle, quiet }
}

// ── In the page ──────────────────────────────────────────────────────────────────────────────

interface PageConformance {
  readonly client: unknown
  readonly events: Array<{ type: string; args: unknown[] }>
  readonly plain: (value: unknown) => unknown
}

declare global {
  interface Window {
    __conformance: PageConformance
  }
}

/** Runs in the page: logs in through the token endpoint, creates the client with `config` (recording every event), subscribes. */
async function setUp(setup: { userId: string; login: boolean; services: string[]; config: Record<string, unknown> }): Promise<{ accessToken: string; idToken: string }> {
  const plain = (value: unknown, seen: unknown[] = []): unknown => {
    if (typeof value === 'function') return '[function]'
    if (value === undefined) return '[undefined]'
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
    if (value === null || typeof value !== 'object') return value
    if (seen.includes(value) || seen.length > 8) return '[circular]'
    // Browser objects such as MediaDeviceInfo have no own keys: read them as JSON does.
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function' && !(value instanceof Date)) return plain((value as { toJSON(): unknown }).toJSON(), [...seen, value])
    if (value instanceof Error) {
      // As the original's BasicError (a plain object) reads: name, code, message.
      const { code, name } = value as Error & { code?: unknown }
      return code === undefined ? { name, message: value.message } : { name, code, message: value.message }
    }
    if (typeof MediaStreamTrack !== 'undefined' && value instanceof MediaStreamTrack) return { track: value.kind }
    if (typeof MediaStream !== 'undefined' && value instanceof MediaStream) return { stream: value.getTracks().length }
    if (typeof RTCStatsReport !== 'undefined' && value instanceof RTCStatsReport) return { statsReport: true }
    if (typeof Element !== 'undefined' && value instanceof Element) return { element: value.tagName }
    if (Array.isArray(value)) return value.map((item) => plain(item, [...seen, value]))
    const out: Record<string, unknown> = {}
    // JSON semantics: a property holding undefined reads the same as an absent one. Methods are left
    // out: the original keeps them on prototypes, kandy-rx on the object (the surface scenario compares them).
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key]
      if (item !== undefined && typeof item !== 'function') out[key] = plain(item, [...seen, value])
    }
    return out
  }
  const response = await fetch('/cpaas/auth/v1/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'conformance', username: setup.userId, password: 'password', scope: 'openid' }).toString(),
  })
  const grant = (await response.json()) as { access_token: string; id_token: string }
  const tokens = { accessToken: grant.access_token, idToken: grant.id_token }
  const Kandy = (window as unknown as { Kandy: { create(config: unknown): Record<string, unknown> } }).Kandy
  const client = Kandy.create(setup.config) as {
    subscribe(listener: (type: string, args: unknown[]) => void): void
    setTokens(tokens: unknown): void
    services: { subscribe(services: string[]): void; getSubscriptions(): { subscribed: string[] } }
  }
  const events: Array<{ type: string; args: unknown[] }> = []
  client.subscribe((type, args) => events.push({ type, args: Array.isArray(args) ? args : [args] }))
  window.__conformance = { client, events, plain }
  if (!setup.login) return tokens
  client.setTokens(tokens)
  if (setup.services.length === 0) return tokens
  client.services.subscribe(setup.services)
  const started = Date.now()
  while (!setup.services.every((service) => client.services.getSubscriptions().subscribed.includes(service))) {
    if (Date.now() - started > 15000) throw new Error(`${setup.userId}: services ${setup.services.join(',')} not subscribed: ${JSON.stringify(client.services.getSubscriptions())}`)
    await new Promise((done) => setTimeout(done, 50))
  }
  return tokens
}
