// The end-to-end benchmark: kandy-rx (dist/kandy-rx.js) and the original SDK (the conformance
// suite's @kandy-io/cpaas-sdk, loaded as it ships, black box) side by side in one Chromium, one
// local platform (the testing kit, over TLS: the original SDK only speaks wss), the same page
// code through the documented API. Notifications are injected by the kit's admin `notify` (the
// platform's normal delivery path) while the page holds its thread, so they queue in the browser;
// a rate runs from the page's release to the last change event seen once `getAll()` reflects it
// (the SDK's own rate, not the platform's sending loop's). Heap is measured after a forced GC (CDP). Call set-up
// and platform sockets come from bench/call-setup.bench.ts and bench/platform-sockets.bench.ts,
// run as children. Prints one table, then where the bytes of dist/kandy-rx.js go.
//
//   npm run bench                        (builds, then runs this)
//   BENCH_NOTIFICATIONS=1000 BENCH_WATCHED=100,1000 BENCH_CALLS=4 BENCH_SOCKETS=500 node --import tsx bench/e2e.bench.ts
//   (BENCH_CALLS=0 / BENCH_SOCKETS=0 leave those rows out; BENCH_RUN_TIMEOUT seconds per run, default 180;
//   BENCH_PROFILE=dir writes each run's CPU profile (both SDKs) there and prints its hottest functions;
//   BENCH_WARMUP presence updates each page takes, untimed, before its timed run, default 2000;
//   BENCH_HEAP_SNAPSHOTS=dir writes each SDK's heap snapshot before and after its chat run there;
//   BENCH_REPEAT runs each chat and presence workload that many times, the SDKs taking turns, and prints medians, default 3)
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core'
import { chromiumFlags } from '../spec/fixtures/chromium.js'
import { startPlatform, type TestPlatform } from '../testing/index.js'
import { armChat, armPresence, doneAt, held, holdUntil, setUpPage, watch } from './e2e/page.js'
import { hottest, scriptMs, type CpuProfile } from './e2e/profile.js'
import { appGzipBytes, gzipBytes, minifiedGzipBytes, moduleBreakdown } from './size/measure.js'
import { readFileSync } from 'node:fs'

const notifications = Number(process.env.BENCH_NOTIFICATIONS ?? 10000)
const watchedCounts = (process.env.BENCH_WATCHED ?? '100,1000,10000').split(',').map(Number)
const senders = 100
const calls = process.env.BENCH_CALLS ?? '10'
const sockets = process.env.BENCH_SOCKETS ?? '5000'
const runTimeout = Number(process.env.BENCH_RUN_TIMEOUT ?? 180) * 1000
/**
 * Presence updates a page takes before its timed run, both SDKs alike, so that every watched-users
 * row times code the page has already run (compiled by the JIT): without it, a 100-user page would
 * be timed nearly cold while the 10,000-user one had warmed up on its 10,000 first notifications.
 */
const warmUp = Number(process.env.BENCH_WARMUP ?? 2000)
/**
 * Times each rate workload runs per SDK, the two SDKs taking turns; the table shows the median of
 * each figure. One run of a workload moves by a third from one run to the next on a shared machine.
 */
const repeats = Math.max(1, Math.floor(Number(process.env.BENCH_REPEAT ?? 3)) || 1)
const originalScript = 'node_modules/@kandy-io/cpaas-sdk/dist/kandy.js'
const profileDir = process.env.BENCH_PROFILE
const snapshotDir = process.env.BENCH_HEAP_SNAPSHOTS

// The kit logs in over HTTPS with the platform's self-signed certificate (this process only).
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'

const sdks = [
  { name: 'original', page: 'original.html', script: 'original.js' },
  { name: 'kandy-rx', page: 'rx.html', script: 'kandy-rx.js' },
] as const
type SdkName = (typeof sdks)[number]['name']

const pageHtml = (script: string) => `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>window.__name = (target) => target</script><script src="/${script}"></script></head><body></body></html>`

const now = (): number => performance.timeOrigin + performance.now()
const sender = (index: number) => `sender${index}@bench.test`
const watched = (index: number) => `watched${index}@bench.test`
const reader = (sdk: SdkName, what: string) => `${sdk}-${what}@bench.test`

/** A static root with one page per SDK, kandy-rx's build and the original SDK's file. */
function pagesRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'kandy-rx-e2e-'))
  const pages = join(root, 'samples', 'browser')
  mkdirSync(pages, { recursive: true })
  symlinkSync(resolve('dist'), join(root, 'dist'), 'dir')
  symlinkSync(resolve(originalScript), join(pages, 'original.js'))
  for (const sdk of sdks) writeFileSync(join(pages, sdk.page), pageHtml(sdk.script))
  writeFileSync(join(pages, 'index.html'), pageHtml('kandy-rx.js'))
  return root
}

/** Both SDKs' configuration for the platform: the same server, over TLS. */
const configFor = (platform: TestPlatform, userId: string) => ({
  authentication: { server: { base: platform.host, protocol: 'https', port: platform.port }, clientCorrelator: `bench-${userId}` },
  call: { iceServers: [] },
  logs: { logLevel: 'error' },
})

async function openPage(browser: Browser, platform: TestPlatform, sdk: (typeof sdks)[number], userId: string, services: string[]): Promise<Page> {
  const page = await browser.newPage({ ignoreHTTPSErrors: true })
  await page.goto(`${platform.url}/${sdk.page}`)
  const { accessToken, idToken } = await platform.tokens(userId)
  await page.evaluate(setUpPage, { tokens: { accessToken, idToken }, config: configFor(platform, userId), services })
  return page
}

/** The rate of the platform's injection loop alone, per run: the ceiling every page rate is under. */
const injectionRates: number[] = []

/** How long a page holds its thread while a run's frames are injected (doubled when too short). */
let holdMs = Number(process.env.BENCH_HOLD_MS ?? 2000 + notifications / 2)

/** What one run measured: wall-clock and main-thread rates (notifications per second), and rounds it took. */
interface Rates {
  /** From the page's release to the last change event, once `getAll()` shows the last notification. */
  readonly rate: number
  /** Per second of the page's main thread busy (CDP TaskDuration, the hold taken out): the SDK's own cost. */
  readonly cpuRate: number
  /**
   * Per second of JavaScript and GC on that thread (CPU profile, the hold and the page's event
   * listener taken out): the busy time without the browser's own per-frame work and the
   * benchmark's own code, which both SDKs pay alike.
   */
  readonly scriptRate: number
  readonly rounds: number
}

const busySeconds = async (cdp: CDPSession): Promise<number> =>
  (await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0

/**
 * Notifications per second the SDK takes through its documented API: the page holds its thread
 * while every frame is injected (they queue in the browser), then the clock runs from its release
 * to the last change event, once `getAll()` shows the last notification. The page's main-thread
 * busy time over the same run gives the rate per CPU second, which the transport (TLS from the
 * platform, the browser's network process) does not bound. A hold that ends before the injection
 * does is doubled and the run repeated with fresh notifications.
 */
async function timed(page: Page, arm: (round: number) => Promise<void>, inject: (round: number) => Promise<void>, profileAs: string): Promise<Rates> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  for (let round = 0; ; round++) {
    await arm(round)
    await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'))
    const busyBefore = await busySeconds(cdp)
    const started = now()
    await page.evaluate(holdUntil, started + holdMs)
    await inject(round)
    const injected = now()
    injectionRates.push(notifications / ((injected - started) / 1000))
    const handle = await page.waitForFunction(doneAt, undefined, { polling: 50, timeout: runTimeout }).catch(() => undefined)
    // A run that never shows the last change counts as 0/s (printed as "timed out").
    if (handle === undefined) return { rate: 0, cpuRate: 0, scriptRate: 0, rounds: round + 1 }
    const ended = (await handle.jsonValue()) as number
    const hold = (await page.evaluate(held)) as { heldAt: number; releasedAt: number } | false
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile }
    if (profileDir !== undefined) await writeProfile(profileAs, profile)
    if (hold !== false && hold.releasedAt > injected) {
      const busy = (await busySeconds(cdp)) - busyBefore - (hold.releasedAt - hold.heldAt) / 1000
      return { rate: notifications / ((ended - hold.releasedAt) / 1000), cpuRate: notifications / busy, scriptRate: notifications / (scriptMs(profile) / 1000), rounds: round + 1 }
    }
    holdMs *= 2
    console.error(`  the hold ended before the injection did; again with a hold of ${holdMs} ms`)
  }
}

/** Keeps a run's CPU profile (open it in Chromium's DevTools) and prints where its time went. */
async function writeProfile(name: string, profile: CpuProfile): Promise<void> {
  mkdirSync(profileDir!, { recursive: true })
  writeFileSync(join(profileDir!, `${name}.cpuprofile`), JSON.stringify(profile))
  console.error(`${name}: hottest functions (self time, the page's hold left out)`)
  for (const { name: fn, where, ms, share } of hottest(profile, 25)) console.error(`  ${ms.toFixed(0).padStart(6)} ms ${share.padStart(6)}  ${fn}  ${where}`)
}

/** Writes the page's heap snapshot (open two in Chromium's DevTools, Memory, "Comparison") when asked for. */
async function writeHeapSnapshot(cdp: CDPSession, name: string): Promise<void> {
  if (snapshotDir === undefined) return
  const chunks: string[] = []
  const collect = ({ chunk }: { chunk: string }) => chunks.push(chunk)
  cdp.on('HeapProfiler.addHeapSnapshotChunk', collect)
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
  cdp.off('HeapProfiler.addHeapSnapshotChunk', collect)
  mkdirSync(snapshotDir, { recursive: true })
  writeFileSync(join(snapshotDir, `${name}.heapsnapshot`), chunks.join(''))
}

async function chatRun(browser: Browser, platform: TestPlatform, sdk: (typeof sdks)[number], run: number): Promise<Rates & { heap: number }> {
  const userId = reader(sdk.name, `chat${run}`)
  const page = await openPage(browser, platform, sdk, userId, ['chat'])
  const cdp = await page.context().newCDPSession(page)
  const heapAfterGc = async (): Promise<number> => {
    await cdp.send('HeapProfiler.collectGarbage')
    return (await cdp.send('Runtime.getHeapUsage')).usedSize
  }
  // Playwright injects its script (one ~0.3 MB string) at the first waitForFunction: do that before
  // measuring, so neither SDK's heap figure carries it.
  await page.waitForFunction(() => true)
  const before = await heapAfterGc()
  await writeHeapSnapshot(cdp, `${sdk.name}-chat${run}-before`)
  const base = Date.now()
  const rates = await timed(
    page,
    // Each round adds `notifications` messages; a repeated round counts them all.
    (round) => page.evaluate(armChat, notifications * (round + 1)),
    async (round) => {
      const sends: Array<Promise<unknown>> = []
      for (let index = 0; index < notifications; index++) {
        const from = sender(index % senders)
        const id = round * notifications + index
        sends.push(
          platform.admin.notify(userId, 'chat', {
            chatMessageNotification: {
              dateTime: base + id,
              chatMessage: { senderAddress: from, 'x-destinationAddress': userId, text: `Message ${id} from ${from}`, dateTime: base + id, 'x-type': 'inbound' },
              link: [{ rel: 'chatMessage', href: `/cpaas/chat/v1/${userId}/oneToOne/${from}/adhoc/messages/bench-${id}` }],
            },
          }),
        )
      }
      await Promise.all(sends)
    },
    `${sdk.name}-chat${run}`,
  )
  // Per `notifications` messages, however many rounds it took.
  const heap = ((await heapAfterGc()) - before) / rates.rounds
  await writeHeapSnapshot(cdp, `${sdk.name}-chat${run}-after`)
  await page.close()
  return { ...rates, heap }
}

async function presenceRun(browser: Browser, platform: TestPlatform, sdk: (typeof sdks)[number], count: number, run: number): Promise<Rates> {
  const userId = reader(sdk.name, `presence${count}-${run}`)
  const page = await openPage(browser, platform, sdk, userId, ['presence'])
  const users = Array.from({ length: count }, (_, index) => watched(index))
  await page.evaluate(watch, users)
  const base = Date.now()
  /** Injects `total` updates round-robin over the watched users, each newer than the one before. */
  const inject = async (total: number, first: number, note: (index: number) => string): Promise<void> => {
    const sends: Array<Promise<unknown>> = []
    for (let index = 0; index < total; index++) {
      sends.push(
        platform.admin.notify(userId, 'presence', {
          presenceNotification: {
            presentityUserId: users[index % count]!,
            presence: { person: { 'overriding-willingness': { overridingWillingnessValue: 'Open' }, activities: { activityValue: 'ActivitiesOther', other: note(index) } } },
            dateTime: base + first + index,
          },
        }),
      )
    }
    await Promise.all(sends)
  }
  if (warmUp > 0) {
    await page.evaluate(armPresence, { userId: users[(warmUp - 1) % count]!, note: `warm-up ${warmUp - 1}` })
    await inject(warmUp, 0, (index) => `warm-up ${index}`)
    await page.waitForFunction(doneAt, undefined, { polling: 50, timeout: runTimeout })
  }
  const last = notifications - 1
  const rates = await timed(
    page,
    (round) => page.evaluate(armPresence, { userId: users[last % count]!, note: `note ${round}-${last}` }),
    (round) => inject(notifications, warmUp + round * notifications, (index) => `note ${round}-${index}`),
    `${sdk.name}-presence-${count}-${run}`,
  )
  await page.close()
  return rates
}

/** Runs another benchmark as a child and picks one figure from its output. */
function childFigure(file: string, env: Record<string, string>, pattern: RegExp): string {
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const found = pattern.exec(run.stdout ?? '')
  if (!found) console.error(`${file}: no figure (exit ${run.status})\n${run.stdout}\n${run.stderr}`)
  return found?.[1] ?? 'n/a'
}

interface Row {
  readonly figure: string
  readonly original: string
  readonly rx: string
  readonly ratio: string
}

function printTable(rows: readonly Row[]): void {
  const widths = [46, 14, 14, 10]
  const line = (cells: readonly string[]) => `| ${cells.map((cell, index) => cell.padEnd(widths[index]!)).join(' | ')} |`
  console.log(line(['Figure', 'original', 'kandy-rx', 'ratio']))
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`)
  for (const row of rows) console.log(line([row.figure, row.original, row.rx, row.ratio]))
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Each figure's median over a workload's runs (each figure on its own: the runs need not agree on which was best). */
function medianOf<R extends Rates>(runs: readonly R[]): R {
  const figures = Object.keys(runs[0]!) as Array<keyof R & string>
  return Object.fromEntries(figures.map((figure) => [figure, median(runs.map((run) => run[figure] as number))])) as unknown as R
}

const perSecond = (rate: number) => (rate === 0 ? 'timed out' : `${(rate / 1000).toFixed(1)}k/s`)
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const mb = (bytes: number) => `${bytes >= 0 ? '+' : ''}${(bytes / 1024 / 1024).toFixed(2)} MB`

async function main(): Promise<void> {
  const root = pagesRoot()
  const users = [
    ...sdks.flatMap((sdk) =>
      Array.from({ length: repeats }, (_, run) => [reader(sdk.name, `chat${run}`), ...watchedCounts.map((count) => reader(sdk.name, `presence${count}-${run}`))]).flat(),
    ),
    ...Array.from({ length: senders }, (_, index) => sender(index)),
    ...Array.from({ length: Math.max(...watchedCounts) }, (_, index) => watched(index)),
  ]
  const platform = await startPlatform({ users, staticRoot: root, tls: true })
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...chromiumFlags, '--ignore-certificate-errors', '--js-flags=--expose-gc'] })
  const rows: Row[] = []
  const ratioOf = (rx: number, original: number) => (rx === 0 || original === 0 ? '' : `${(rx / original).toFixed(1)}×`)
  try {
    const failed: Rates = { rate: 0, cpuRate: 0, scriptRate: 0, rounds: 1 }
    /** Two rows per workload: wall clock from the page's release, and per second of main-thread CPU. */
    const rateRows = (figure: string, rates: Record<SdkName, Rates>): void => {
      rows.push({ figure: `${figure} (wall)`, original: perSecond(rates.original.rate), rx: perSecond(rates['kandy-rx'].rate), ratio: ratioOf(rates['kandy-rx'].rate, rates.original.rate) })
      rows.push({ figure: `${figure} (CPU)`, original: perSecond(rates.original.cpuRate), rx: perSecond(rates['kandy-rx'].cpuRate), ratio: ratioOf(rates['kandy-rx'].cpuRate, rates.original.cpuRate) })
      rows.push({ figure: `${figure} (JS)`, original: perSecond(rates.original.scriptRate), rx: perSecond(rates['kandy-rx'].scriptRate), ratio: ratioOf(rates['kandy-rx'].scriptRate, rates.original.scriptRate) })
    }
    const chatRuns: Record<SdkName, Array<Rates & { heap: number }>> = { original: [], 'kandy-rx': [] }
    for (let run = 0; run < repeats; run++) {
      for (const sdk of sdks) {
        const rates = await chatRun(browser, platform, sdk, run)
        chatRuns[sdk.name].push(rates)
        console.error(`chat, ${sdk.name}, run ${run + 1}: ${perSecond(rates.rate)} wall, ${perSecond(rates.cpuRate)} CPU, ${perSecond(rates.scriptRate)} JS, heap ${mb(rates.heap)}`)
      }
    }
    const chat = { original: medianOf(chatRuns.original), 'kandy-rx': medianOf(chatRuns['kandy-rx']) }
    rateRows(`chat: ${notifications} 1:1 msgs, ${senders} senders`, chat)
    const presence: Record<number, Record<SdkName, Rates>> = {}
    for (const count of watchedCounts) {
      const runs: Record<SdkName, Rates[]> = { original: [], 'kandy-rx': [] }
      for (let run = 0; run < repeats; run++) {
        for (const sdk of sdks) {
          const rates = await presenceRun(browser, platform, sdk, count, run).catch((error: unknown) => {
            console.error(`presence, ${count} watched, ${sdk.name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`)
            return failed
          })
          runs[sdk.name].push(rates)
          console.error(`presence, ${count} watched, ${sdk.name}, run ${run + 1}: ${perSecond(rates.rate)} wall, ${perSecond(rates.cpuRate)} CPU, ${perSecond(rates.scriptRate)} JS`)
        }
      }
      presence[count] = { original: medianOf(runs.original), 'kandy-rx': medianOf(runs['kandy-rx']) }
      rateRows(`presence: ${notifications} updates, ${count} watched`, presence[count])
    }
    const smallest = Math.min(...watchedCounts)
    const largest = Math.max(...watchedCounts)
    if (largest !== smallest) {
      const keep = (sdk: SdkName) => `${((presence[largest]![sdk].cpuRate / presence[smallest]![sdk].cpuRate) * 100).toFixed(0)}%`
      rows.push({ figure: `presence CPU rate at ${largest} watched / ${smallest}`, original: keep('original'), rx: keep('kandy-rx'), ratio: '' })
    }
    rows.push({ figure: `heap growth, ${notifications} chat messages, after GC`, original: mb(chat.original.heap), rx: mb(chat['kandy-rx'].heap), ratio: `${(chat['kandy-rx'].heap / chat.original.heap).toFixed(2)}×` })
    rows.push({ figure: 'platform injection loop alone (slowest run)', original: '', rx: perSecond(Math.min(...injectionRates)), ratio: '' })
  } finally {
    await browser.close()
    await platform.stop()
    rmSync(root, { recursive: true, force: true })
  }

  const full = gzipBytes(readFileSync('dist/kandy-rx.js'))
  const original = await minifiedGzipBytes(originalScript)
  rows.push({ figure: 'full browser bundle, min+gz', original: kb(original), rx: kb(full), ratio: `${(full / original).toFixed(2)}×` })
  const app = await appGzipBytes('bench/size/chat-presence.ts')
  rows.push({ figure: 'chat + presence app, tree-shaken, min+gz', original: `${kb(original)} (all)`, rx: kb(app), ratio: `${(app / original).toFixed(2)}×` })
  if (calls !== '0') {
    const setup = childFigure('bench/call-setup.bench.ts', { CALLS: calls }, /Connected on both sides ([\d.]+)×/)
    rows.push({ figure: `call set-up / raw RTCPeerConnection (${calls} calls)`, original: '', rx: `${setup}×`, ratio: '' })
  }
  if (sockets !== '0') {
    const held = childFigure('bench/platform-sockets.bench.ts', { BENCH_SOCKETS: sockets }, /platform-sockets: (\d+ of \d+)/)
    rows.push({ figure: 'platform sockets held (keepAlive, 10 s)', original: '', rx: held, ratio: '' })
  }

  console.log(`\nkandy-rx against the original SDK, same Chromium, same platform, same run (${new Date().toISOString()})\n`)
  printTable(rows)
  console.log(`\n(chat and presence rates and heap: the median of ${repeats} run${repeats === 1 ? '' : 's'} per SDK, the SDKs taking turns)`)
  if (warmUp > 0) console.log(`(each presence page took ${warmUp} updates, untimed, before its timed run)`)
  console.log('\nwhere the bytes of dist/kandy-rx.js go (minified, before gzip):')
  for (const { module, bytes } of (await moduleBreakdown()).slice(0, 14)) console.log(`  ${module.padEnd(28)} ${kb(bytes).padStart(9)}`)
}

await main()
