import { expect } from 'chai'
import { accountOf, createTestClient, startPlatform, type TestPlatform } from '../../testing/index.js'

const claimsOf = (idToken: string): Record<string, unknown> => JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>

describe('testing kit: startPlatform', () => {
  const started: TestPlatform[] = []
  const start = async (...args: Parameters<typeof startPlatform>): Promise<TestPlatform> => {
    const platform = await startPlatform(...args)
    started.push(platform)
    return platform
  }
  afterEach(async () => {
    await Promise.all(started.splice(0).map((platform) => platform.stop()))
  })

  it('listens on a free loopback port with the seeded users, and answers over HTTP', async () => {
    const platform = await start()
    expect(platform.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(platform.port).to.be.greaterThan(0)
    expect(platform.wsUrl).to.equal(platform.url.replace('http', 'ws'))
    expect(platform.users.map((user) => user.userId)).to.include.members(['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com'])
    const other = await start()
    expect(other.port).not.to.equal(platform.port)
  })

  it('gives the admin secret its HTTP admin API needs; without it the API refuses', async () => {
    const platform = await start()
    expect((await fetch(`${platform.url}/_admin/state`)).status).to.equal(401)
    const state = await fetch(`${platform.url}/_admin/state`, { headers: { Authorization: `Bearer ${platform.adminSecret}` } })
    expect(state.status).to.equal(200)
    expect(((await state.json()) as { channels: number }).channels).to.equal((await platform.admin.state()).channels)
  })

  it('tokens(user) logs in through the token endpoint and gives tokens setTokens accepts', async () => {
    const platform = await start()
    const tokens = await platform.tokens('alice@example.com')
    expect(tokens).to.include({ userId: 'alice@example.com', identity: 'alice@example.com' })
    expect(claimsOf(tokens.idToken)).to.include({ preferred_username: 'alice@example.com', given_name: 'Alice' })
    const me = await fetch(`${platform.url}/cpaas/notificationchannel/v1/alice@example.com/channels`, { headers: { Authorization: `Bearer ${tokens.accessToken}` } })
    expect(me.status).to.equal(200)
    expect(tokens.refreshToken).to.be.a('string').and.not.equal('')
  })

  it('tokens(user) rejects a wrong password or an unknown user with the platform’s answer', async () => {
    const platform = await start()
    const failure = async (promise: Promise<unknown>): Promise<string> => promise.then(() => 'resolved', (error: Error) => error.message)
    expect(await failure(platform.tokens('alice@example.com', 'wrong'))).to.match(/tokens\(alice@example\.com\): the token endpoint answered 401 .*invalid_grant/)
    expect(await failure(platform.tokens('nobody@example.com'))).to.match(/answered 401/)
  })

  it('takes its own users: ids alone get the password "password", names from the id and distinct phone numbers', async () => {
    const platform = await start({ users: ['ann@example.com', { userId: 'ben@example.com', password: 's3cret', firstName: 'Benjamin' }] })
    expect(platform.users.map((user) => user.userId)).to.deep.equal(['ann@example.com', 'ben@example.com'])
    expect(claimsOf((await platform.tokens('ann@example.com')).idToken)).to.include({ given_name: 'Ann', email: 'ann@example.com' })
    expect(claimsOf((await platform.tokens('ben@example.com')).idToken)).to.include({ given_name: 'Benjamin' })
    expect(new Set(platform.users.map((user) => user.phoneNumber)).size).to.equal(2)
    await platform.tokens('alice@example.com').then(
      () => expect.fail('a seeded user logged in on a platform with other users'),
      (error: Error) => expect(error.message).to.match(/401/),
    )
  })

  it('finds the account of tokens(user) in any case, as the platform does, and refuses a user given twice', async () => {
    const platform = await start({ users: [{ userId: 'Ann@example.com', password: 's3cret' }] })
    expect((await platform.tokens('ann@example.com')).userId).to.equal('Ann@example.com')
    await startPlatform({ users: ['ann@example.com', { userId: 'ANN@example.com', password: 'other' }] }).then(
      (twice) => {
        void twice.stop()
        expect.fail('started with a user given twice')
      },
      (error: Error) => expect(error.message).to.equal('startPlatform: user ANN@example.com is given twice'),
    )
  })

  it('refuses a user without an id and a host that is not loopback', async () => {
    expect(() => accountOf({ userId: ' ' }, 0)).to.throw(/user #0 needs a userId/)
    for (const host of ['0.0.0.0', '127.example.com']) {
      await startPlatform({ host }).then(
        (platform) => {
          void platform.stop()
          expect.fail(`listened on ${host}`)
        },
        (error: Error) => expect(error.message).to.equal(`startPlatform: a test platform listens on loopback only, not ${host}`),
      )
    }
  })

  it('listens on the IPv6 loopback too, and a test client logs in and subscribes there', async () => {
    const platform = await start({ host: '::1', users: ['ann@example.com'] })
    expect(platform.url).to.match(/^http:\/\/\[::1\]:\d+$/)
    const ann = await createTestClient(platform, 'ann@example.com', { services: ['chat'] })
    try {
      expect(ann.connection.getSocketState('cpaas')?.connected).to.equal(true)
    } finally {
      ann.dispose()
    }
  })

  it('keeps its log lines and hands them to `log`', async () => {
    const received: string[] = []
    const platform = await start({ log: (line) => received.push(line) })
    await platform.faults.restart()
    expect(platform.logs.some((line) => line.includes('platform restarting'))).to.equal(true)
    expect(received).to.deep.equal(platform.logs)
  })

  it('serves no static files unless given a staticRoot', async () => {
    const platform = await start()
    expect((await fetch(`${platform.url}/kandy-rx.js`)).status).to.equal(404)
    const serving = await start({ staticRoot: process.cwd() })
    expect((await fetch(`${serving.url}/samples/angular/index.html`)).status).to.equal(200)
  })

  it('starts no bots unless asked', async () => {
    const platform = await start({ bots: false })
    expect(platform.bots.running).to.deep.equal([])
  })

  it('stop() closes the port and is safe to call twice; tokens(user) then says the platform does not answer', async () => {
    const platform = await startPlatform()
    const { url } = platform
    await platform.stop()
    await platform.stop()
    const refused = await fetch(`${url}/cpaas/auth/v1/token`, { method: 'POST' }).then(
      () => false,
      () => true,
    )
    expect(refused).to.equal(true)
    await platform.tokens('alice@example.com').then(
      () => expect.fail('logged in on a stopped platform'),
      (error: Error) => expect(error.message).to.equal(`tokens(alice@example.com): no answer from the platform at ${url} (fetch failed)`),
    )
  })
})
