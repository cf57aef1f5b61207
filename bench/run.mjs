// `npm run bench`: builds dist/ (without declarations) so sizes are current, then runs the
// end-to-end benchmark (bench/e2e.bench.ts: one table, both SDKs, with the call set-up, sockets
// and size figures). Pass names to run those benchmarks instead (`npm run bench -- messaging`),
// or `all` for every bench/*.bench.ts in turn, each printing its own figures.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'

const named = process.argv.slice(2)
const only = named.length === 0 ? ['e2e'] : named.includes('all') ? [] : named
const benches = readdirSync('bench')
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort()

const build = spawnSync(process.execPath, ['build.mjs'], { stdio: 'inherit', env: { ...process.env, BUILD_TYPES: '0' } })
if (build.status !== 0 || !existsSync('dist/kandy-rx.js')) process.exit(build.status || 1)

let failed = 0
for (const file of benches) {
  console.log(`\n── ${file}`)
  const run = spawnSync(process.execPath, ['--import', 'tsx', `bench/${file}`], { stdio: 'inherit' })
  if (run.status !== 0) {
    failed++
    console.error(`${file} failed (exit ${run.status})`)
  }
}
console.log(`\n${benches.length - failed} of ${benches.length} benchmarks ran`)
process.exit(failed === 0 ? 0 : 1)
