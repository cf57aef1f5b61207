// Where a page's CPU time went, from a Chromium CPU profile (CDP `Profiler.stop`): self time per
// function, the benchmark's own code in the page (its hold `benchHold` and its event listener
// `benchSeen`, bench/e2e/page.ts) left out, positions in the minified dist/kandy-rx.js mapped back
// to their source with its source map; and where a run's profiles and heap snapshots are kept.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { join } from 'node:path'
import type { CDPSession } from 'playwright-core'

/** The parts of a `.cpuprofile` read here (the Chrome DevTools Protocol's `Profiler.Profile`). */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number }
    readonly children?: readonly number[]
  }>
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

export interface Hot {
  readonly name: string
  readonly where: string
  readonly ms: number
  /** Of the profile's time outside the benchmark's own functions and idle. */
  readonly share: string
}

let bundleMap: SourceMap | undefined

/** `source:line` of a position in the minified bundle, or the url and line as they are. */
function whereOf(url: string, line: number, column: number): string {
  if (url.endsWith('/kandy-rx.js')) {
    bundleMap ??= new SourceMap(JSON.parse(readFileSync('dist/kandy-rx.js.map', 'utf8')))
    const entry = bundleMap.findEntry(line, column) as { originalSource?: string; originalLine?: number }
    if (entry.originalSource !== undefined) return `${entry.originalSource.replace(/^.*?\/(lib|streams|node_modules)\//, '$1/')}:${(entry.originalLine ?? 0) + 1}`
  }
  return url === '' ? '(page)' : `${url.replace(/^.*\//, '')}:${line + 1}`
}

/** The page's functions that are the benchmark's, not the SDK's: what they and their callees cost is left out. */
const benchFunctions = new Set(['benchHold', 'benchSeen'])

/** Each sample of the profile outside the benchmark's own functions and idle: its node's call frame and its time in ms. */
function samplesOf(profile: CpuProfile): Array<{ frame: CpuProfile['nodes'][number]['callFrame']; ms: number }> {
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const inBench = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (benchFunctions.has(byId.get(at)?.callFrame.functionName ?? '')) return true
    return false
  }
  return profile.samples.flatMap((id, index) => {
    const frame = byId.get(id)!.callFrame
    return frame.functionName === '(idle)' || inBench(id) ? [] : [{ frame, ms: (profile.timeDeltas[index] ?? 0) / 1000 }]
  })
}

/**
 * Milliseconds of the run spent in JavaScript and its garbage collection: the profile's time
 * without `(program)`, the browser's own work (receiving each WebSocket frame, dispatching its
 * event, running tasks), which costs both SDKs alike per frame whatever they do with it.
 */
export const scriptMs = (profile: CpuProfile): number =>
  samplesOf(profile).reduce((total, { frame, ms }) => (frame.functionName === '(program)' ? total : total + ms), 0)

/** The `count` functions with the most self time. */
export function hottest(profile: CpuProfile, count: number): Hot[] {
  const selfMs = new Map<string, { name: string; where: string; ms: number }>()
  let total = 0
  for (const { frame, ms } of samplesOf(profile)) {
    total += ms
    const where = whereOf(frame.url, frame.lineNumber, frame.columnNumber)
    const key = `${frame.functionName}@${where}`
    const entry = selfMs.get(key) ?? { name: frame.functionName === '' ? '(anonymous)' : frame.functionName, where, ms: 0 }
    entry.ms += ms
    selfMs.set(key, entry)
  }
  return [...selfMs.values()]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map((entry) => ({ ...entry, share: `${((entry.ms / total) * 100).toFixed(1)}%` }))
}

/** Keeps a run's CPU profile in `dir` (open it in Chromium's DevTools) and prints where its time went. */
export function writeProfile(dir: string, name: string, profile: CpuProfile): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile))
  console.error(`${name}: hottest functions (self time, the page's hold left out)`)
  for (const { name: fn, where, ms, share } of hottest(profile, 25)) console.error(`  ${ms.toFixed(0).padStart(6)} ms ${share.padStart(6)}  ${fn}  ${where}`)
}

/** Writes the page's heap snapshot in `dir` (open two in Chromium's DevTools, Memory, "Comparison"). */
export async function writeHeapSnapshot(cdp: CDPSession, dir: string, name: string): Promise<void> {
  const chunks: string[] = []
  const collect = ({ chunk }: { chunk: string }) => chunks.push(chunk)
  cdp.on('HeapProfiler.addHeapSnapshotChunk', collect)
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
  cdp.off('HeapProfiler.addHeapSnapshotChunk', collect)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, `${name}.heapsnapshot`), chunks.join(''))
}
