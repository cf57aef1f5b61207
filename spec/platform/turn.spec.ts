import { expect } from 'chai'
import { createHmac } from 'node:crypto'
import { parseArguments } from '../../platform/cli.js'
import { turnCredentials } from '../../platform/turn.js'
import { startTestPlatform, usePlatform, type LoginTokens, type TestPlatform } from '../helpers/platform.js'
import { startPlatform as startKitPlatform } from '../../testing/index.js'
import { startChild } from '../samples/node/child.js'
import { allocate } from './turn/allocate.js'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `check` every 50 ms until it holds; fails after `limit` ms with `what`. */
async function eventually(what: string, check: () => Promise<boolean>, limit = 15_000): Promise<void> {
  for (let waited = 0; waited < limit; waited += 50) {
    if (await check()) return
    await pause(50)
  }
  throw new Error(`not within ${limit} ms: ${what}`)
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

interface Granted {
  readonly username: string
  readonly password: string
  readonly urls: string[]
}

const granted = async (platform: TestPlatform, user: LoginTokens): Promise<Granted> => {
  const response = await platform.fetchAs(user, 'POST', `/cpaas/webrtcsignaling/v1/${user.userId}/turn`, { wrtcsTurnCredentials: { clientCorrelator: 'spec' } })
  expect(response.status).to.equal(200)
  return ((await response.json()) as { wrtcsTurnCredentials: Granted }).wrtcsTurnCredentials
}

/** host and port of `turn:127.0.0.1:3478?transport=udp`. */
const addressOf = (url: string): { host: string; port: number } => {
  const [, host, port] = /^turn:([^:]+):(\d+)/.exec(url) ?? []
  return { host: host!, port: Number(port) }
}

const allocateWith = (credentials: Granted, password = credentials.password, limit?: number) => {
  const { host, port } = addressOf(credentials.urls[0]!)
  return allocate(host, port, credentials.username, password, limit)
}

/** An Allocate that gets no answer within 2 s (every packet lost) says so. */
const unanswered = (credentials: Granted) => allocateWith(credentials, credentials.password, 2_000).then(() => 'answered', (error: Error) => error.message)

describe('platform: TURN credentials (TURN REST API)', () => {
  it('are `<expiry>:<userId>` and the base64 HMAC-SHA1 of it keyed with the shared secret', () => {
    const now = 1_765_000_000_123
    const credentials = turnCredentials('shared secret', 'alice@example.com', now)
    expect(credentials.username).to.equal('1765086400:alice@example.com')
    expect(credentials.password).to.equal(createHmac('sha1', 'shared secret').update('1765086400:alice@example.com').digest('base64'))
  })

  describe('without --turn', () => {
    const platform = usePlatform()
    it('still serves credentials (the reference SDK asks for them), with no URLs; state says no TURN server runs', async () => {
      const alice = await platform().login('alice@example.com')
      const credentials = await granted(platform(), alice)
      expect(credentials.username).to.match(/^\d+:alice@example\.com$/)
      expect(credentials.urls).to.deep.equal([])
      const state = await (await fetch(`${platform().url}/_admin/state`, { headers: { Authorization: `Bearer ${platform().adminSecret}` } })).json()
      expect(state.turn).to.include({ running: false }).and.to.deep.include({ urls: [] })
    })

    it('refuses media faults and relay restarts with 400', async () => {
      const post = (path: string, body?: unknown) =>
        fetch(`${platform().url}/_admin/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${platform().adminSecret}` }, body: JSON.stringify(body ?? {}) })
      expect((await post('media', { blackhole: true })).status).to.equal(400)
      expect((await post('relay/restart')).status).to.equal(400)
    })
  })
})

describe('platform --turn: coturn as a child process', function () {
  it('is asked for with --turn on the command line (off by default)', () => {
    expect(parseArguments(['--turn'], {}).options.turn).to.equal(true)
    expect(parseArguments([], {}).options.turn).to.equal(false)
  })

  this.timeout(60_000)
  const platform = usePlatform({ turn: true })
  let alice: LoginTokens
  before(async () => {
    alice = await platform().login('alice@example.com')
  })
  afterEach(async () => {
    await platform().admin.media({ blackhole: false, lossPercent: 0, delayMs: 0 })
  })
  const post = (path: string, body?: unknown) =>
    fetch(`${platform().url}/_admin/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${platform().adminSecret}` }, body: body === undefined ? undefined : JSON.stringify(body) })

  it('grants credentials that coturn accepts, valid for a day, with the TURN URL; coturn refuses a wrong password', async () => {
    const before = Math.floor(Date.now() / 1000)
    const credentials = await granted(platform(), alice)
    const [expiry, userId] = credentials.username.split(':')
    expect(userId).to.equal('alice@example.com')
    expect(Number(expiry)).to.be.within(before + 86_400, before + 86_400 + 60)
    expect(credentials.urls).to.have.length(1)
    expect(credentials.urls[0]).to.match(/^turn:127\.0\.0\.1:\d+\?transport=udp$/)
    expect(await allocateWith(credentials)).to.deep.equal({ ok: true })
    expect(await allocateWith(credentials, `${credentials.password}x`)).to.deep.equal({ ok: false, code: 401 })
  })

  it('reports the TURN URLs and that coturn runs in GET /_admin/state', async () => {
    const state = await (await fetch(`${platform().url}/_admin/state`, { headers: { Authorization: `Bearer ${platform().adminSecret}` } })).json()
    expect(state.turn.running).to.equal(true)
    expect(state.turn.urls).to.deep.equal((await granted(platform(), alice)).urls)
    expect(state.turn.pid).to.be.a('number')
    expect(isAlive(state.turn.pid)).to.equal(true)
    expect(state.turn.media).to.deep.equal({ blackhole: false, lossPercent: 0, delayMs: 0 })
  })

  it('blackholes relayed packets and restores them (POST /_admin/media)', async () => {
    const credentials = await granted(platform(), alice)
    const response = await post('media', { blackhole: true })
    expect(response.status).to.equal(200)
    expect(await response.json()).to.deep.equal({ blackhole: true, lossPercent: 0, delayMs: 0 })
    expect(await unanswered(credentials)).to.contain('no TURN answer')
    await post('media', { blackhole: false })
    expect(await allocateWith(credentials)).to.deep.equal({ ok: true })
  })

  it('impairs relayed media with loss and delay, 0 removing them; refuses out-of-range values with 400', async () => {
    expect(await (await post('media', { lossPercent: 25, delayMs: 80 })).json()).to.deep.equal({ blackhole: false, lossPercent: 25, delayMs: 80 })
    expect((await (await fetch(`${platform().url}/_admin/state`, { headers: { Authorization: `Bearer ${platform().adminSecret}` } })).json()).turn.media).to.deep.equal({ blackhole: false, lossPercent: 25, delayMs: 80 })
    expect(await (await post('media', { lossPercent: 0, delayMs: 0 })).json()).to.deep.equal({ blackhole: false, lossPercent: 0, delayMs: 0 })
    expect((await post('media', { lossPercent: 101 })).status).to.equal(400)
    expect((await post('media', { delayMs: -1 })).status).to.equal(400)
    expect((await post('media', { blackhole: 'yes' })).status).to.equal(400)
  })

  it('loses every relayed packet at 100% loss', async () => {
    const credentials = await granted(platform(), alice)
    await platform().admin.media({ lossPercent: 100 })
    expect(await unanswered(credentials)).to.contain('no TURN answer')
  })

  it('restarts the TURN server on POST /_admin/relay/restart: a new coturn process, credentials still accepted', async () => {
    const { pid } = (await platform().admin.state()).turn
    expect((await post('relay/restart')).status).to.equal(204)
    const after = (await platform().admin.state()).turn
    expect(after.running).to.equal(true)
    expect(after.pid).to.be.a('number').and.not.equal(pid)
    expect(isAlive(pid!)).to.equal(false)
    expect(await allocateWith(await granted(platform(), alice))).to.deep.equal({ ok: true })
  })

  it('reports a coturn that dies and starts it again', async () => {
    const { pid, restarts } = (await platform().admin.state()).turn
    process.kill(pid!, 'SIGKILL')
    await eventually('coturn running again under a new pid', async () => {
      const turn = (await platform().admin.state()).turn
      return turn.running && turn.pid !== pid
    })
    expect((await platform().admin.state()).turn.restarts).to.equal(restarts + 1)
    expect(platform().logs.some((line) => /turn server died \(SIGKILL\)/.test(line))).to.equal(true)
    expect(await allocateWith(await granted(platform(), alice))).to.deep.equal({ ok: true })
  })

  it('stops coturn when the platform stops', async () => {
    const other = await startTestPlatform({ turn: true })
    const { pid } = (await other.admin.state()).turn
    expect(isAlive(pid!)).to.equal(true)
    await other.stop()
    expect(isAlive(pid!)).to.equal(false)
  })
})

describe('kandy-rx/testing: startPlatform({ turn: true })', function () {
  this.timeout(30_000)

  it('gives the TURN URLs, impairs relayed media and restarts the relay through faults, and stops coturn with the platform', async () => {
    const platform = await startKitPlatform({ turn: true })
    try {
      expect(platform.turnUrls).to.have.length(1)
      const { turn } = await platform.admin.state()
      expect(turn.urls).to.deep.equal(platform.turnUrls)
      expect(await platform.faults.impairMedia({ blackhole: true })).to.deep.equal({ blackhole: true, lossPercent: 0, delayMs: 0 })
      expect(await platform.faults.impairMedia({ blackhole: false, lossPercent: 10 })).to.deep.equal({ blackhole: false, lossPercent: 10, delayMs: 0 })
      await platform.faults.restartRelay()
      expect((await platform.admin.state()).turn.pid).to.not.equal(turn.pid)
    } finally {
      const { pid } = (await platform.admin.state()).turn
      await platform.stop()
      expect(isAlive(pid!)).to.equal(false)
    }
  })

  it('has no TURN URLs without turn, and its media faults reject', async () => {
    const platform = await startKitPlatform()
    try {
      expect(platform.turnUrls).to.deep.equal([])
      expect(await platform.faults.impairMedia({ blackhole: true }).then(() => 'applied', (error: Error) => error.message)).to.contain('--turn')
    } finally {
      await platform.stop()
    }
  })
})

describe('npm start (samples/local.ts) with and without coturn', function () {
  this.timeout(60_000)
  const adminSecret = 'turn-spec-secret'

  it('runs coturn when turnserver is on the PATH, says where, and stops it on SIGTERM', async () => {
    const system = startChild(['--import', 'tsx', 'samples/local.ts', '--port', '0', '--no-bots'], { KANDY_ADMIN_SECRET: adminSecret })
    try {
      const [, url] = await system.waitFor(/kandy-rx local system on (http:\/\/127\.0\.0\.1:\d+)/)
      const [, turnUrl] = await system.waitFor(/TURN server \(coturn\) at (turn:127\.0\.0\.1:\d+\?transport=udp)/)
      const { turn } = await (await fetch(`${url}/_admin/state`, { headers: { Authorization: `Bearer ${adminSecret}` } })).json()
      expect(turn).to.include({ running: true }).and.to.deep.include({ urls: [turnUrl] })
      expect(await system.stop()).to.equal(0)
      expect(isAlive(turn.pid)).to.equal(false)
    } finally {
      if (system.process.exitCode === null) await system.stop()
    }
  })

  it('says in one line how to get coturn when turnserver is not on the PATH, and runs without it', async () => {
    const system = startChild(['--import', 'tsx', 'samples/local.ts', '--port', '0', '--no-bots'], { PATH: '/nonexistent', KANDY_ADMIN_SECRET: adminSecret })
    try {
      const [, url] = await system.waitFor(/kandy-rx local system on (http:\/\/127\.0\.0\.1:\d+)/)
      await system.waitFor(/Ctrl-C stops everything/)
      expect(system.output()).to.include('apt-get install -y coturn')
      expect((await (await fetch(`${url}/_admin/state`, { headers: { Authorization: `Bearer ${adminSecret}` } })).json()).turn).to.include({ running: false })
    } finally {
      await system.stop()
    }
  })
})
