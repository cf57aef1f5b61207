// Runs every spec: builds dist/ (browser specs load dist/kandy-rx.js), then mocha over spec/**,
// inside a loopback-only network namespace when the machine allows it (as CI does), so that
// Chromium's WebRTC gathers only 127.0.0.1 candidates. Prints one closing line "N passed, N failed".
import { spawnSync } from 'node:child_process'

const args = process.argv.slice(2)
const specs = args.length > 0 ? args : ['spec/**/*.spec.ts']

const build = spawnSync(process.execPath, ['build.mjs'], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

const mocha = ['node_modules/.bin/mocha', ...specs.map((s) => `'${s}'`)].join(' ')
const canUnshare =
  process.env.KANDY_NO_NETNS !== '1' &&
  spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' }).status === 0
const command = canUnshare ? ['unshare', ['-n', 'sh', '-c', `ip link set lo up && ${mocha}`]] : ['sh', ['-c', mocha]]
if (!canUnshare) console.log('(no network namespace available: running specs on the host network)')

const run = spawnSync(command[0], command[1], { stdio: ['inherit', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
process.stdout.write(run.stdout ?? '')
const passed = Number(/(\d+) passing/.exec(run.stdout ?? '')?.[1] ?? 0)
const failed = Number(/(\d+) failing/.exec(run.stdout ?? '')?.[1] ?? 0)
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(run.status === 0 && passed > 0 ? 0 : 1)
