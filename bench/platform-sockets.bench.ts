// How many notification-channel WebSockets the platform holds at once with keepAlive, on loopback.
// The platform runs in a child process (so its memory is its own); this process creates the
// channels over REST, opens their sockets (bounded concurrency), sends a keepAlive ping on each,
// holds them, checks every one is still open, and prints the figures. Self-stopping: gives up
// after BENCH_DEADLINE seconds. BENCH_SOCKETS (default 10000), BENCH_HOLD seconds (default 10).
// Each side holds one descriptor per socket: `ulimit -n` must exceed BENCH_SOCKETS (checked first).
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { WebSocket } from 'ws'
import { httpClient, listeningUrl, pool } from './loopback.js'

const target = Number(process.env.BENCH_SOCKETS ?? 10000)
const holdSeconds = Number(process.env.BENCH_HOLD ?? 10)
const deadline = Number(process.env.BENCH_DEADLINE ?? 300)
const concurrency = 100
const users = ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com']

const http = httpClient(concurrency)
const call = http.call

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
// The child platform's admin API needs its secret: this run chooses it.
const adminSecret = randomBytes(32).toString('base64url')
const admin = { Authorization: `Bearer ${adminSecret}` }

/** The soft limit on open files of a process started from here (the child platform inherits it). */
function openFileLimit(): number {
  const limit = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim()
  return limit === 'unlimited' ? Infinity : Number(limit)
}

async function main(): Promise<void> {
  const files = openFileLimit()
  if (files < target + 200) throw new Error(`platform-sockets: ${target} sockets need \`ulimit -n\` above ${target + 200} (it is ${files})`)
  const child = spawn(process.execPath, ['--import', 'tsx', 'platform/main.ts', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, KANDY_ADMIN_SECRET: adminSecret },
  })
  const stop = setTimeout(() => {
    console.error(`platform-sockets: gave up after ${deadline} s`)
    child.kill('SIGKILL')
    process.exit(1)
  }, deadline * 1000)
  const sockets: WebSocket[] = []
  try {
    const url = await listeningUrl(child)
    const tokens = await Promise.all(
      users.map(async (user) => {
        const response = await call(`${url}/cpaas/auth/v1/token`, 'POST', `grant_type=password&client_id=bench&scope=openid&username=${user}&password=password`, {
          'Content-Type': 'application/x-www-form-urlencoded',
        })
        return { user, accessToken: (JSON.parse(response.body) as { access_token: string }).access_token }
      }),
    )
    const baseline = (JSON.parse((await call(`${url}/_admin/state`, 'GET', undefined, admin)).body) as { process: { rss: number } }).process.rss

    let started = Date.now()
    const channelURLs = await pool(target, concurrency, async (index) => {
      const { user, accessToken } = tokens[index % tokens.length]!
      const response = await call(`${url}/cpaas/notificationchannel/v1/${user}/channels`, 'POST', JSON.stringify({ notificationChannel: { channelType: 'Websockets', clientCorrelator: `bench-${index}` } }), {
        Authorization: `Bearer ${accessToken}`,
        'Content-Type': 'application/json',
      })
      if (response.status !== 201) throw new Error(`channel ${index}: ${response.status} ${response.body}`)
      return `${url.replace('http', 'ws')}${(JSON.parse(response.body) as { notificationChannel: { channelData: { channelURL: string } } }).notificationChannel.channelData.channelURL}?access_token=${accessToken}`
    })
    const channelsMs = Date.now() - started

    started = Date.now()
    let failures = 0
    await pool(target, concurrency, (index) =>
      new Promise<void>((resolve) => {
        const ws = new WebSocket(channelURLs[index]!, { perMessageDeflate: false })
        ws.once('open', () => {
          ws.send('{"message_type":"ping"}')
          sockets.push(ws)
          resolve()
        })
        ws.once('error', () => {
          failures += 1
          resolve()
        })
      }),
    )
    const openMs = Date.now() - started

    await new Promise((resolve) => setTimeout(resolve, holdSeconds * 1000))
    for (const ws of sockets) ws.send('{"message_type":"ping"}')
    const state = JSON.parse((await call(`${url}/_admin/state`, 'GET', undefined, admin)).body) as { sockets: number; channels: number; process: { rss: number; heapUsed: number } }
    const open = sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length

    console.log(`platform-sockets: ${open} of ${target} channel WebSockets held open with keepAlive for ${holdSeconds} s (server counts ${state.sockets} sockets on ${state.channels} channels, ${failures} failed to open)`)
    console.log(`  create ${target} channels over REST: ${channelsMs} ms (${Math.round((target / channelsMs) * 1000)}/s)`)
    console.log(`  open ${target} sockets, ${concurrency} at a time: ${openMs} ms (${Math.round((target / openMs) * 1000)}/s)`)
    console.log(`  server memory: rss ${mb(state.process.rss)} (${mb(baseline)} before, ~${((state.process.rss - baseline) / 1024 / Math.max(state.sockets, 1)).toFixed(1)} KB per socket+channel), heap ${mb(state.process.heapUsed)}`)
  } finally {
    for (const ws of sockets) ws.terminate()
    http.close()
    clearTimeout(stop)
    child.kill('SIGTERM')
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
