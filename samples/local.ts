// The local system that `npm start` runs (bundled to dist/local.js): the platform, then every
// bot, then a summary of where to go and who to call. Ctrl-C stops it all.
//
//   npm start                         # http://127.0.0.1:8080
//   PORT=9000 npm start
//   npm start -- --port 0 --data ./.local-data --tls --no-bots
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { adminLine, parseArguments, usage, userLines } from '../platform/cli.js'
import { coturnAvailable, coturnHint, selfSignedCertificate, startPlatform, type Account, type PlatformOptions } from '../platform/index.js'
import { repositoryRoot } from '../platform/static.js'
import { startBots, type RunningBots } from './node/bots/index.js'

const localUsage = `${usage.replace('node dist/platform.js', 'npm start --')}  --no-bots      start the platform without its bots
`

/** Splits off the launcher's own flags; the rest are the platform's (`platform/cli.ts`). */
function launcherFlags(argv: readonly string[]): { readonly bots: boolean; readonly platform: string[] } {
  return { bots: !argv.includes('--no-bots'), platform: argv.filter((flag) => flag !== '--no-bots') }
}

/** What the summary needs to know besides the URL. */
interface Started {
  readonly users: readonly Account[]
  /** The `--users` file, when one replaced the seeded users. */
  readonly usersFile: string | undefined
  readonly adminSecret: string | undefined
  /** True when the operator chose the admin secret (then it is not printed). */
  readonly chosenSecret: boolean
  /** The TURN URLs the samples use; empty when coturn is not running. */
  readonly turnUrls: readonly string[]
}

/** What to print once everything runs: the URLs, TURN, the people (never their passwords), the admin API, each bot and what it does. */
function summary(url: string, { users, usersFile, adminSecret, chosenSecret, turnUrls }: Started, bots: RunningBots | undefined): string {
  const root = repositoryRoot()
  const lines = [
    `kandy-rx local system on ${url}`,
    turnUrls.length > 0 ? `TURN server (coturn) at ${turnUrls.join(', ')} (the samples use it as their ICE server)` : coturnHint,
    '',
    `  Softphone and chat sample (event API):  ${url}/`,
    ...(existsSync(join(root, 'samples/angular/index.html')) ? [`  Angular sample (kandy-rx/streams):      ${url}/samples/angular/`] : []),
    `  SDK bundle (global Kandy):              ${url}/kandy-rx.js`,
    '',
    'Open the samples in two tabs and log in as two of these people.',
    ...userLines(users.filter((user) => user.bot === undefined), usersFile),
    '',
    adminLine(adminSecret, chosenSecret),
  ]
  if (bots !== undefined && bots.running.length > 0) {
    lines.push('', 'Bots: call them, chat with them, text them, watch their presence')
    const width = Math.max(...bots.running.map((bot) => bot.userId.length))
    for (const bot of bots.running) {
      const phone = users.find((user) => user.userId === bot.userId)?.phoneNumber ?? ''
      lines.push(`  ${bot.userId.padEnd(width)}  ${phone.padEnd(12)}  ${bot.description}`)
    }
  }
  lines.push('', 'Ctrl-C stops everything.')
  return lines.join('\n')
}

async function main(): Promise<void> {
  const flags = launcherFlags(process.argv.slice(2))
  let options: PlatformOptions
  try {
    const cli = parseArguments(flags.platform, process.env)
    if (cli.help) {
      console.log(localUsage)
      return
    }
    options = cli.options
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${localUsage}`)
    process.exit(2)
  }

  // A self-signed certificate made here, so the bots can trust it.
  const tls = options.tls === true ? await selfSignedCertificate(options.host ?? '127.0.0.1') : options.tls || undefined
  // The platform's log lines from before the summary (the bots connecting) only with --verbose.
  let started = false
  const log = (line: string): void => {
    if (started || options.logRequests === true) console.log(line)
  }
  // TURN whenever coturn is installed (the summary says how to get it when not).
  const platform = await startPlatform({ ...options, tls: tls ?? false, turn: options.turn === true || coturnAvailable(), log })
  let bots: RunningBots | undefined
  let stopping = false
  const stop = (code: number): void => {
    if (stopping) return
    stopping = true
    bots?.stop()
    platform.stop().then(
      // Exiting explicitly: wrtc's native threads can crash a natural exit after media ran.
      () => process.exit(code),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', () => stop(0))
  process.on('SIGTERM', () => stop(0))

  if (flags.bots) {
    try {
      bots = await startBots({ url: platform.url, accounts: platform.users, ca: tls?.cert, log: options.logRequests ? (line) => console.log(line) : undefined })
    } catch (error) {
      console.error(`kandy-rx: the bots could not start: ${(error as Error).message}`)
      return stop(1)
    }
  }
  const usersFile = typeof options.users === 'string' ? options.users : undefined
  const { turn } = await platform.admin.state()
  console.log(summary(platform.url, { users: platform.users, usersFile, adminSecret: platform.adminSecret, chosenSecret: options.adminSecret !== undefined, turnUrls: turn.urls }, bots))
  started = true
}

main().catch((error: unknown) => {
  console.error(`kandy-rx local system failed to start: ${(error as Error)?.message ?? String(error)}`)
  process.exit(1)
})
