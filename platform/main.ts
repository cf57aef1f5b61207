// The platform's command line: `node dist/platform.js [--port N] [--host H] [--users FILE]
// [--data DIR] [--tls] [--cert F --key F] [--no-admin] [--admin-secret S] [--turn] [--verbose]` (bundled by build.mjs; also `npm start`).
import { adminLine, parseArguments, usage, userLines, type Cli } from './cli.js'
import { startPlatform } from './index.js'

async function main(): Promise<void> {
  let cli: Cli
  try {
    cli = parseArguments(process.argv.slice(2), process.env)
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`)
    process.exit(2)
  }
  if (cli.help) {
    console.log(usage)
    return
  }
  const platform = await startPlatform(cli.options)
  console.log(`kandy-rx platform listening on ${platform.url}`)
  console.log(`\n${userLines(platform.users, typeof cli.options.users === 'string' ? cli.options.users : undefined).join('\n')}`)
  console.log(`\n${adminLine(platform.adminSecret, cli.options.adminSecret !== undefined)}`)
  console.log(`\nOpen ${platform.url}/ in two browser tabs and log in as two different users, or get tokens with:`)
  console.log(
    `  curl -X POST ${platform.url}/cpaas/auth/v1/token -d grant_type=password -d client_id=kandy-rx -d scope=openid -d username=${platform.users[0]?.userId ?? 'alice@example.com'} --data-urlencode password=YOUR_PASSWORD`,
  )
  const { turn } = await platform.admin.state()
  if (turn.urls.length > 0) console.log(`TURN (coturn): call.iceServers = ${JSON.stringify(turn.urls.map((urls) => ({ urls })))} (credentials from the platform)`)
  console.log(`SDK configuration: authentication.server = { base: '${new URL(platform.url).hostname}', port: '${platform.port}', protocol: '${platform.url.startsWith('https') ? 'https' : 'http'}' }`)
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    platform.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(`kandy-rx platform failed to start: ${(error as Error)?.message ?? String(error)}`)
  process.exit(1)
})
