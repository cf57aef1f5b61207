// One presence change fanned out to 1,000 watchers, on loopback. The platform runs in a child
// process with 1,001 generated accounts; this process gives each watcher what the SDK sets up
// (a channel, its WebSocket, a presence list, a list subscription, the publisher on the list),
// then the publisher publishes ROUNDS times and each round is timed until every socket has the
// new presence. Self-stopping: gives up after BENCH_DEADLINE seconds.
// BENCH_WATCHERS (default 1000), BENCH_ROUNDS (default 5).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { httpClient, listeningUrl, pool } from './loopback.js'

const watcherCount = Number(process.env.BENCH_WATCHERS ?? 1000)
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const deadline = Number(process.env.BENCH_DEADLINE ?? 180)
const concurrency = 50
const activities = ['Busy', 'Available', 'Lunch', 'OnThePhone', 'Vacation']

const http = httpClient(concurrency)
const call = http.call

/** A watcher's socket and the activity of the last presence notification it received. */
interface Watcher {
  readonly ws: WebSocket
  last: string | undefined
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

/** The round in progress: the activity published, how many watchers have it, and what to call when all do. */
interface Round {
  activity: string
  count: number
  done: () => void
}

/** Logs in and calls the platform's REST API as one user, checking each answer's status. */
function restClient(url: string) {
  const login = async (userId: string): Promise<Record<string, string>> => {
    const response = await call(`${url}/cpaas/auth/v1/token`, 'POST', `grant_type=password&client_id=bench&scope=openid&username=${userId}&password=password`, {
      'Content-Type': 'application/x-www-form-urlencoded',
    })
    if (response.status !== 200) throw new Error(`login ${userId}: ${response.status} ${response.body}`)
    const token = (JSON.parse(response.body) as { access_token: string }).access_token
    return { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' }
  }
  const json = async (userId: string, headers: Record<string, string>, method: string, path: string, body: unknown, status: number) => {
    const response = await call(`${url}/cpaas/${path.replace('<user>', userId)}`, method, JSON.stringify(body), headers)
    if (response.status !== status) throw new Error(`${method} ${path} for ${userId}: ${response.status} ${response.body}`)
    return JSON.parse(response.body) as Record<string, Record<string, unknown>>
  }
  return { login, json }
}
type RestClient = ReturnType<typeof restClient>

/** What the SDK sets up for one watcher: a channel and its socket, a presence list, its subscription, the publisher on it. */
async function setUpWatcher(url: string, { login, json }: RestClient, userId: string, publisher: string, awaited: Round): Promise<Watcher> {
  const headers = await login(userId)
  const channel = (await json(userId, headers, 'POST', 'notificationchannel/v1/<user>/channels', { notificationChannel: { channelType: 'Websockets', clientCorrelator: 'bench' } }, 201))
    .notificationChannel as { callbackURL: string; channelData: { channelURL: string } }
  const watcher: Watcher = { ws: new WebSocket(`${url.replace('http', 'ws')}${channel.channelData.channelURL}?access_token=${headers.Authorization!.slice(7)}`, { perMessageDeflate: false }), last: undefined }
  await new Promise<void>((resolve, reject) => {
    watcher.ws.once('open', () => resolve())
    watcher.ws.once('error', reject)
  })
  watcher.ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { presenceNotification?: { presence: { person: { activities: { activityValue: string } } } } }
    if (frame.presenceNotification === undefined) return
    const activity = frame.presenceNotification.presence.person.activities.activityValue
    if (activity === awaited.activity && watcher.last !== activity && ++awaited.count === watcherCount) awaited.done()
    watcher.last = activity
  })
  const list = (await json(userId, headers, 'POST', 'presence/v1/<user>/presenceLists', { presenceList: { 'x-listName': 'myList', presenceContact: [] } }, 201)).presenceList as { resourceURL: string }
  const listId = list.resourceURL.split('/').pop()!
  await json(userId, headers, 'POST', `presence/v1/<user>/subscriptions/presenceListSubscriptions/${listId}`, { presenceListSubscription: { callbackReference: { notifyURL: channel.callbackURL }, duration: 86400 } }, 201)
  await json(userId, headers, 'PUT', `presence/v1/<user>/presenceLists/${listId}/presenceContacts/${publisher}`, { presenceContact: { presentityUserId: publisher } }, 201)
  return watcher
}

/** Publishes `rounds` changes one after the other, each timed until every watcher has it. */
async function timeRounds({ login, json }: RestClient, publisher: string, awaited: Round): Promise<void> {
  const publisherHeaders = await login(publisher)
  const delivered: number[] = []
  for (let round = 0; round < rounds; round++) {
    const activity = activities[round % activities.length]!
    const allReceived = new Promise<void>((resolve) => Object.assign(awaited, { activity, count: 0, done: resolve }))
    const started = performance.now()
    await json(publisher, publisherHeaders, 'POST', 'presence/v1/<user>/presenceSources', {
      presenceSource: { clientCorrelator: 'bench', presence: { person: { 'overriding-willingness': { overridingWillingnessValue: 'Open' }, activities: { activityValue: activity } } } },
    }, 201)
    const answeredMs = performance.now() - started
    await allReceived
    const ms = performance.now() - started
    delivered.push(ms)
    console.log(`  round ${round + 1}: publish answered in ${answeredMs.toFixed(1)} ms; all ${watcherCount} watchers had it after ${ms.toFixed(1)} ms (${Math.round((watcherCount / ms) * 1000)} notifications/s)`)
  }
  const typical = median(delivered)
  console.log(`presence-fanout: one change to ${watcherCount} subscribers: median ${typical.toFixed(1)} ms until all received (${Math.round((watcherCount / typical) * 1000)} notifications/s), best ${Math.min(...delivered).toFixed(1)} ms, worst ${Math.max(...delivered).toFixed(1)} ms`)
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kandy-fanout-'))
  const account = (name: string) => ({ userId: `${name}@bench.test`, identity: `${name}@bench.test`, password: 'password', firstName: name, lastName: 'Bench', email: `${name}@bench.test`, phoneNumber: '+15550000000' })
  const accounts = [account('publisher'), ...Array.from({ length: watcherCount }, (_, index) => account(`watcher${index}`))]
  writeFileSync(join(dir, 'users.json'), JSON.stringify(accounts))

  const child = spawn(process.execPath, ['--import', 'tsx', 'platform/main.ts', '--port', '0', '--users', join(dir, 'users.json')], { stdio: ['ignore', 'pipe', 'inherit'] })
  const watchers: Watcher[] = []
  const stop = setTimeout(() => {
    console.error(`presence-fanout: gave up after ${deadline} s`)
    for (const watcher of watchers) watcher.ws.terminate()
    child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
    process.exit(1)
  }, deadline * 1000)
  try {
    const url = await listeningUrl(child)
    const rest = restClient(url)
    const awaited: Round = { activity: '', count: 0, done: () => {} }
    const publisher = accounts[0]!.userId
    const started = Date.now()
    await pool(watcherCount, concurrency, async (index) => {
      watchers.push(await setUpWatcher(url, rest, accounts[index + 1]!.userId, publisher, awaited))
    })
    console.log(`presence-fanout: ${watcherCount} watchers set up (login, channel, socket, list, subscription, watch) in ${Date.now() - started} ms`)
    await timeRounds(rest, publisher, awaited)
  } finally {
    for (const watcher of watchers) watcher.ws.terminate()
    http.close()
    clearTimeout(stop)
    child.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
