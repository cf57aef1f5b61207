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
import { rmSync } from 'node:fs'
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core'
import { chromiumFlags } from '../spec/fixtures/chromium.js'
import { startPlatform, type TestPlatform } from '../testing/index.js'
import { besideRows } from './e2e/beside.js'
import { armChat, armPresence, doneAt, held, holdUntil, watch } from './e2e/page.js'
import { openPage, pagesRoot, sdks, type Sdk, type SdkName } from './e2e/pages.js'
import { scriptMs, writeHeapSnapshot, writeProfile, type CpuProfile } from './e2e/profile.js'
import { kb, mb, medianOf, perSecond, printTable, ratioOf, type Row } from './e2e/table.js'
import { moduleBreakdown } from './size/measure.js'

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
const profileDir = process.env.BENCH_PROFILE
const snapshotDir = process.env.BENCH_HEAP_SNAPSHOTS

// The kit logs in over HTTPS with the platform's self-signed certificate (this process only).
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'

const now = (): number => performance.timeOrigin + performance.now()
const sender = (index: number) => `sender${index}@bench.test`
const watched = (index: number) => `watched${index}@bench.test`
const reader = (sdk: SdkName, what: string) => `${sdk}-${what}@bench.test`

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
    if (profileDir !== undefined) writeProfile(profileDir, profileAs, profile)
    if (hold !== false && hold.releasedAt > injected) {
      const busy = (await busySeconds(cdp)) - busyBefore - (hold.releasedAt - hold.heldAt) / 1000
      return { rate: notifications / ((ended - hold.releasedAt) / 1000), cpuRate: notifications / busy, scriptRate: notifications / (scriptMs(profile) / 1000), rounds: round + 1 }
    }
    holdMs *= 2
    console.error(`  the hold ended before the injection did; again with a hold of ${holdMs} ms`)
  }
}

async function chatRun(browser: Browser, platform: TestPlatform, sdk: Sdk, run: number): Promise<Rates & { heap: number }> {
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
  if (snapshotDir !== undefined) await writeHeapSnapshot(cdp, snapshotDir, `${sdk.name}-chat${run}-before`)
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
  if (snapshotDir !== undefined) await writeHeapSnapshot(cdp, snapshotDir, `${sdk.name}-chat${run}-after`)
  await page.close()
  return { ...rates, heap }
}

async function presenceRun(browser: Browser, platform: TestPlatform, sdk: Sdk, count: number, run: number): Promise<Rates> {
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

/** Two rows per workload and figure: wall clock from the page's release, main-thread CPU, and JS. */
function rateRows(figure: string, rates: Record<SdkName, Rates>): Row[] {
  const row = (kind: string, of: (rates: Rates) => number): Row => ({
    figure: `${figure} (${kind})`,
    original: perSecond(of(rates.original)),
    rx: perSecond(of(rates['kandy-rx'])),
    ratio: ratioOf(of(rates['kandy-rx']), of(rates.original)),
  })
  return [row('wall', (rates) => rates.rate), row('CPU', (rates) => rates.cpuRate), row('JS', (rates) => rates.scriptRate)]
}

/** Runs `workload` `repeats` times per SDK, the SDKs taking turns, and gives each SDK's medians. */
async function medians<R extends Rates>(label: string, workload: (sdk: Sdk, run: number) => Promise<R>, describe: (rates: R) => string): Promise<Record<SdkName, R>> {
  const runs: Record<SdkName, R[]> = { original: [], 'kandy-rx': [] }
  for (let run = 0; run < repeats; run++) {
    for (const sdk of sdks) {
      const rates = await workload(sdk, run)
      runs[sdk.name].push(rates)
      console.error(`${label}, ${sdk.name}, run ${run + 1}: ${perSecond(rates.rate)} wall, ${perSecond(rates.cpuRate)} CPU, ${perSecond(rates.scriptRate)} JS${describe(rates)}`)
    }
  }
  return { original: medianOf(runs.original), 'kandy-rx': medianOf(runs['kandy-rx']) }
}

/** The chat, presence and heap rows, each SDK in pages of one Chromium against one platform. */
async function workloadRows(browser: Browser, platform: TestPlatform): Promise<Row[]> {
  const failed: Rates = { rate: 0, cpuRate: 0, scriptRate: 0, rounds: 1 }
  const chat = await medians('chat', (sdk, run) => chatRun(browser, platform, sdk, run), (rates) => `, heap ${mb(rates.heap)}`)
  const rows = rateRows(`chat: ${notifications} 1:1 msgs, ${senders} senders`, chat)
  const presence: Record<number, Record<SdkName, Rates>> = {}
  for (const count of watchedCounts) {
    const presenceOf = (sdk: Sdk, run: number) =>
      presenceRun(browser, platform, sdk, count, run).catch((error: unknown) => {
        console.error(`presence, ${count} watched, ${sdk.name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`)
        return failed
      })
    presence[count] = await medians(`presence, ${count} watched`, presenceOf, () => '')
    rows.push(...rateRows(`presence: ${notifications} updates, ${count} watched`, presence[count]))
  }
  const smallest = Math.min(...watchedCounts)
  const largest = Math.max(...watchedCounts)
  if (largest !== smallest) {
    const keep = (sdk: SdkName) => `${((presence[largest]![sdk].cpuRate / presence[smallest]![sdk].cpuRate) * 100).toFixed(0)}%`
    rows.push({ figure: `presence CPU rate at ${largest} watched / ${smallest}`, original: keep('original'), rx: keep('kandy-rx'), ratio: '' })
  }
  rows.push({ figure: `heap growth, ${notifications} chat messages, after GC`, original: mb(chat.original.heap), rx: mb(chat['kandy-rx'].heap), ratio: `${(chat['kandy-rx'].heap / chat.original.heap).toFixed(2)}×` })
  rows.push({ figure: 'platform injection loop alone (slowest run)', original: '', rx: perSecond(Math.min(...injectionRates)), ratio: '' })
  return rows
}

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
  try {
    rows.push(...(await workloadRows(browser, platform)))
  } finally {
    await browser.close()
    await platform.stop()
    rmSync(root, { recursive: true, force: true })
  }
  rows.push(...(await besideRows(calls, sockets)))

  console.log(`\nkandy-rx against the original SDK, same Chromium, same platform, same run (${new Date().toISOString()})\n`)
  printTable(rows)
  console.log(`\n(chat and presence rates and heap: the median of ${repeats} run${repeats === 1 ? '' : 's'} per SDK, the SDKs taking turns)`)
  if (warmUp > 0) console.log(`(each presence page took ${warmUp} updates, untimed, before its timed run)`)
  console.log('\nwhere the bytes of dist/kandy-rx.js go (minified, before gzip):')
  for (const { module, bytes } of (await moduleBreakdown()).slice(0, 14)) console.log(`  ${module.padEnd(28)} ${kb(bytes).padStart(9)}`)
}

await main()
