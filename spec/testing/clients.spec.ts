import { expect } from 'chai'
import { filter, firstValueFrom, map, timeout } from 'rxjs'
import type { EventName } from '../../lib/events.js'
import { createTestClient, createTestClock, createTestStreams, nextEvent, startPlatform, testConfig, type TestClient, type TestPlatform, type TestStreams } from '../../testing/index.js'

describe('testing kit: logged-in clients', function () {
  this.timeout(20000)
  let platform: TestPlatform
  const owned: Array<TestClient | TestStreams> = []
  const keep = <T extends TestClient | TestStreams>(made: T): T => {
    owned.push(made)
    return made
  }
  before(async () => {
    platform = await startPlatform({ users: ['ann@example.com', 'ben@example.com'] })
  })
  afterEach(() => {
    for (const made of owned.splice(0)) made.dispose()
  })
  after(async () => {
    await platform.stop()
  })

  it('testConfig points a client at the platform, with silent logs and no ICE servers, and merges overrides', () => {
    const config = testConfig(platform, 'ann@example.com', { logs: { logLevel: 'warn' }, connectivity: { pingInterval: 1000 } })
    expect(config.authentication?.server).to.deep.equal({ base: '127.0.0.1', protocol: 'http', port: platform.port })
    expect(config.call?.iceServers).to.deep.equal([])
    expect(config.logs?.logLevel).to.equal('warn')
    expect(config.connectivity?.pingInterval).to.equal(1000)
  })

  it('createTestClient gives a documented client logged in and subscribed to every service', async () => {
    const ann = keep(await createTestClient(platform, 'ann@example.com'))
    expect(ann.getUserInfo()).to.include({ username: 'ann@example.com' })
    expect(ann.services.getSubscriptions()).to.deep.include({ subscribed: ['call', 'chat', 'smsinbound', 'presence'], isPending: false })
    expect(ann.connection.getSocketState('cpaas')?.connected).to.equal(true)
    expect(ann.tokens.userId).to.equal('ann@example.com')
  })

  it('two test clients chat over the platform', async () => {
    const ann = keep(await createTestClient(platform, 'ann@example.com', { services: ['chat'] }))
    const ben = keep(await createTestClient(platform, 'ben@example.com', { services: ['chat'] }))
    // A first message makes a new conversation: `conversations:change` (protocol/events.md).
    const received = nextEvent<{ destination: string[] }>(ben, 'conversations:change', ({ destination }) => destination[0] === 'ann@example.com')
    ann.conversation.create('ben@example.com').createMessage({ type: 'text', text: 'hello from a test' }).send()
    await received
    const atBen = ben.conversation.get('ann@example.com')
    expect(atBen?.getMessages().map((message) => message.parts)).to.deep.equal([[{ type: 'text', text: 'hello from a test' }]])
  })

  it('createTestStreams gives the reactive core logged in and subscribed to the services asked for', async () => {
    const ben = keep(await createTestStreams(platform, 'ben@example.com', { services: ['presence', 'chat'] }))
    expect(ben.auth.user()?.username).to.equal('ben@example.com')
    expect(ben.subscription.subscriptions().subscribed).to.have.members(['presence', 'chat'])
    const ann = keep(await createTestStreams(platform, 'ann@example.com', { services: ['presence'] }))
    ann.presence.commands.subscribe('ben@example.com')
    ben.presence.commands.update('Open', 'Lunch')
    const activity = await firstValueFrom(
      ann.presence.presence$.pipe(
        map((users) => users['ben@example.com']?.activity),
        filter((value) => value === 'Lunch'),
        timeout(5000),
      ),
    )
    expect(activity).to.equal('Lunch')
  })

  it('services: [] logs in without subscribing', async () => {
    const ann = keep(await createTestClient(platform, 'ann@example.com', { services: [] }))
    expect(ann.getUserInfo()).to.include({ username: 'ann@example.com' })
    expect(ann.services.getSubscriptions().subscribed).to.deep.equal([])
    const ben = keep(await createTestStreams(platform, 'ben@example.com', { services: [] }))
    expect(ben.subscription.subscriptions().subscribed).to.deep.equal([])
  })

  it('rejects with the reason when the user cannot log in or subscribe', async () => {
    const reason = (promise: Promise<{ dispose(): void }>): Promise<string> =>
      promise.then(
        (made) => {
          made.dispose()
          return 'resolved'
        },
        (error: Error) => error.message,
      )
    expect(await reason(createTestClient(platform, 'ann@example.com', { password: 'wrong' }))).to.match(/401/)
    expect(await reason(createTestStreams(platform, 'nobody@example.com'))).to.match(/401/)
    expect(await reason(createTestClient(platform, 'ann@example.com', { services: ['fax'] }))).not.to.equal('resolved')
    expect(await reason(createTestStreams(platform, 'ann@example.com', { services: ['fax'] }))).not.to.equal('resolved')
  })

  it('rejects within its timeout when the platform holds the login, saying so', async () => {
    const clock = createTestClock()
    const holding = await startPlatform({ users: ['ann@example.com'], clock })
    try {
      await holding.faults.delay(1000, '/cpaas/auth/')
      await createTestClient(holding, 'ann@example.com', { timeout: 200 }).then(
        (made) => {
          made.dispose()
          expect.fail('resolved although the login was held')
        },
        (error: Error) => expect(error.message).to.equal('ann@example.com: no tokens within 200 ms'),
      )
    } finally {
      await holding.stop()
    }
  })

  it('nextEvent rejects when the event does not come in time', async () => {
    const ann = keep(await createTestClient(platform, 'ann@example.com', { services: [] }))
    await nextEvent(ann, 'call:receive', () => true, 50).then(
      () => expect.fail('resolved without an event'),
      (error: Error) => expect(error.message).to.equal('no call:receive event within 50 ms'),
    )
  })

  it('nextEvent of a name that is no event rejects at once and leaves no timer behind to throw later', async () => {
    const ann = keep(await createTestClient(platform, 'ann@example.com', { services: [] }))
    const timers = (): number => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length
    const before = timers()
    const waiting = nextEvent(ann, 'call:recieve' as EventName, () => true, 50)
    expect(timers()).to.equal(before)
    await waiting.then(
      () => expect.fail('resolved for an event that does not exist'),
      (error: Error) => expect(error.message).to.equal('Invalid event type: call:recieve'),
    )
  })

  it('refuses a timeout a timer cannot wait, rather than giving up after 1 ms', async () => {
    const ann = keep(await createTestClient(platform, 'ann@example.com', { services: [] }))
    const refusal = (promise: Promise<unknown>): Promise<string> => promise.then(() => 'waited', (error: Error) => error.message)
    expect(await refusal(nextEvent(ann, 'call:receive', () => true, Number.POSITIVE_INFINITY))).to.equal('timeout must be 0..2147483647 ms, not Infinity')
    expect(await refusal(createTestClient(platform, 'ann@example.com', { timeout: 2 ** 31 }))).to.equal('timeout must be 0..2147483647 ms, not 2147483648')
  })

  it('nextEvent rejects with the error its accept throws, not with a timeout', async () => {
    const ann = keep(await createTestClient(platform, 'ann@example.com', { services: ['chat'] }))
    const ben = keep(await createTestClient(platform, 'ben@example.com', { services: ['chat'] }))
    const accepted = nextEvent<{ destination: string[] }>(ben, 'conversations:change', () => {
      throw new Error('accept broke')
    })
    ann.conversation.create('ben@example.com').createMessage({ type: 'text', text: 'hello' }).send()
    await accepted.then(
      () => expect.fail('resolved although accept threw'),
      (error: Error) => expect(error.message).to.equal('accept broke'),
    )
  })
})
