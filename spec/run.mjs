// Runs the specs: builds dist/ (browser specs load dist/kandy-rx.js, packaging specs pack it),
// then mocha, inside a loopback-only network namespace when the machine allows it (as CI does),
// so that Chromium's WebRTC gathers only 127.0.0.1 candidates. Mocha's lines stream as they
// happen; the last line is always "N passed, N failed" (CI reads it).
import { spawn, spawnSync } from 'node:child_process'
import { ensureInstalled } from '../check-install.mjs'

const usage = `Usage: npm test -- [options] [spec files or globs…]
       node spec/run.mjs [options] [spec files or globs…]

Runs mocha over the given spec files (default: 'spec/**/*.spec.ts'), after building dist/.

Options:
  -g, --grep PATTERN  run only the tests whose full title matches PATTERN (a regular expression)
  --no-build          skip the build: reuse dist/ as it is (unit specs need no build)
  -h, --help          print this help and exit

Examples:
  npm test
  npm test -- 'spec/streams/**/*.spec.ts' --no-build
  npm test -- --grep 'call:stateChange'
  node spec/run.mjs spec/lib/events.spec.ts -g 'listener'`

/** The command line as options and spec paths; exits with the usage on a mistake. */
function parse(args) {
  const options = { build: true, grep: undefined, specs: [] }
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]
    if (arg === '-h' || arg === '--help') {
      console.log(usage)
      process.exit(0)
    } else if (arg === '--no-build') options.build = false
    else if (arg === '-g' || arg === '--grep') {
      options.grep = args[++index]
      if (options.grep === undefined) fail(`${arg} needs a pattern`)
    } else if (arg.startsWith('--grep=')) options.grep = arg.slice('--grep='.length)
    else if (arg.startsWith('-')) fail(`unknown option ${arg}`)
    else options.specs.push(arg)
  }
  return options
}

function fail(message) {
  console.error(`spec/run.mjs: ${message}\n\n${usage}`)
  process.exit(2)
}

const options = parse(process.argv.slice(2))
ensureInstalled()

if (options.build) {
  const build = spawnSync(process.execPath, ['build.mjs'], { stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const mocha = ['node_modules/.bin/mocha', ...(options.grep === undefined ? [] : ['--grep', options.grep]), ...(options.specs.length > 0 ? options.specs : ['spec/**/*.spec.ts'])]
const canUnshare =
  process.env.KANDY_NO_NETNS !== '1' &&
  spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' }).status === 0
if (!canUnshare) console.log('(no network namespace available: running specs on the host network)')
// The arguments reach mocha as "$@", never through the shell's parser.
const [command, args] = canUnshare ? ['unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...mocha]] : [mocha[0], mocha.slice(1)]

let tail = '' // the end of mocha's output, where its "N passing" / "N failing" lines are
const run = spawn(command, args, { stdio: ['inherit', 'pipe', 'inherit'] })
run.stdout.on('data', (chunk) => {
  process.stdout.write(chunk)
  tail = (tail + chunk).slice(-65536)
})
run.on('error', (error) => {
  console.error(`spec/run.mjs: could not start mocha: ${error.message}`)
  console.log('\n0 passed, 0 failed')
  process.exit(1)
})
run.on('close', (status) => {
  const passed = Number(/(\d+) passing/.exec(tail)?.[1] ?? 0)
  const failed = Number(/(\d+) failing/.exec(tail)?.[1] ?? 0)
  console.log(`\n${passed} passed, ${failed} failed`)
  process.exit(status === 0 && passed > 0 ? 0 : 1)
})
