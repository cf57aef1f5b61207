// The end-to-end benchmark's figures measured beside its pages: the bundles' sizes, and call set-up
// and platform sockets from their own benchmarks, run as children.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { appGzipBytes, gzipBytes, minifiedGzipBytes } from '../size/measure.js'
import { originalScript } from './pages.js'
import { kb, type Row } from './table.js'

/** Runs another benchmark as a child and picks one figure from its output. */
function childFigure(file: string, env: Record<string, string>, pattern: RegExp): string {
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const found = pattern.exec(run.stdout ?? '')
  if (!found) console.error(`${file}: no figure (exit ${run.status})\n${run.stdout}\n${run.stderr}`)
  return found?.[1] ?? 'n/a'
}

/** The bundle rows, and the call set-up and platform sockets rows from their own benchmarks (`'0'` leaves a row out). */
export async function besideRows(calls: string, sockets: string): Promise<Row[]> {
  const full = gzipBytes(readFileSync('dist/kandy-rx.js'))
  const original = await minifiedGzipBytes(originalScript)
  const app = await appGzipBytes('bench/size/chat-presence.ts')
  const rows: Row[] = [
    { figure: 'full browser bundle, min+gz', original: kb(original), rx: kb(full), ratio: `${(full / original).toFixed(2)}×` },
    { figure: 'chat + presence app, tree-shaken, min+gz', original: `${kb(original)} (all)`, rx: kb(app), ratio: `${(app / original).toFixed(2)}×` },
  ]
  if (calls !== '0') {
    const setup = childFigure('bench/call-setup.bench.ts', { CALLS: calls }, /Connected on both sides ([\d.]+)×/)
    rows.push({ figure: `call set-up / raw RTCPeerConnection (${calls} calls)`, original: '', rx: `${setup}×`, ratio: '' })
  }
  if (sockets !== '0') {
    const held = childFigure('bench/platform-sockets.bench.ts', { BENCH_SOCKETS: sockets }, /platform-sockets: (\d+ of \d+)/)
    rows.push({ figure: 'platform sockets held (keepAlive, 10 s)', original: '', rx: held, ratio: '' })
  }
  return rows
}
