// Runs every bench/*.bench.ts in turn (through tsx), each printing its own figures.
// Builds dist/ first (without declarations) so sizes are current; pass names to run only those.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'

const only = process.argv.slice(2)
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
