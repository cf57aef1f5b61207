import { expect } from 'chai'
import { WebSocket } from 'ws'
import { create } from '../../../lib/index.js'
import type { WebSocketConstructor } from '../../../streams/environment.js'
import { isBasicError, type BasicError } from '../../../streams/errors.js'
import { virtualClock } from '../../helpers/clock.js'
import { createTestClient, nextEvent, testConfig, useDisposedAfterEach, type TestClient } from '../../helpers/client.js'
import { usePlatformPerTest } from '../../helpers/platform.js'
import type { UserConfig } from '../../../streams/config/state.js'
import { manualClock } from '../../platform/clock.js'
import { noUnhandledErrors } from './unhandled.js'

// Failures the platform really produces (bad tokens, 401, 5xx, resets, refused upgrades, slow
// answers) and the documented events they give, with no unhandled rejection anywhere.

const codeOf = (payload: { error?: unknown }): unknown => (isBasicError(payload.error) ? payload.error.code : payload.error)

/** Subscribes and resolves with the final event: `subscription:change` (done) or `subscription:error`. */
const subscribe = (alice: TestClient, services: string[]): Promise<{ type: string; error?: BasicError }> => {
  const outcome = Promise.race([
    nextEvent(alice, 'subscription:change', () => !alice.services.getSubscriptions().isPending).then(() => ({ type: 'subscription:change' })),
    nextEvent<{ error: BasicError }>(alice, 'subscription:error').then(({ error }) => ({ type: 'subscription:error', error })),
  ])
  alice.services.subscribe(services)
  return outcome
}

describe('integration: authentication and subscription errors', () => {
  noUnhandledErrors()
  const clients = useDisposedAfterEach<{ dispose(): void }>()
  const platform = usePlatformPerTest()
  const client = async (userId: string, config: UserConfig = {}, services: string[] = []): Promise<TestClient> => {
    const made = await createTestClient(platform(), userId, { services, config })
    clients.push(made)
    return made
  }
  it('reports tokens it cannot use as auth:error and keeps the current user', async () => {
    const alice = await client('alice@example.com')
    const before = alice.getUserInfo()
    for (const params of [{ accessToken: 'x', idToken: 'not-a-jwt' }, { accessToken: 7, idToken: alice.tokens.idToken }, 'tokens']) {
      const failed = nextEvent<{ error: unknown }>(alice, 'auth:error')
      alice.setTokens(params as never)
      const { error } = await failed
      expect(isBasicError(error)).to.equal(true)
      expect((error as BasicError).message).to.match(/^setTokens: /)
    }
    expect(alice.getUserInfo()).to.deep.equal(before)
  })

  it('reports a subscribe before any token as subscription:error', async () => {
    const anonymous = create(testConfig(platform(), 'nobody'), { WebSocket: WebSocket as unknown as WebSocketConstructor })
    clients.push(anonymous)
    const failed = nextEvent<{ error: unknown }>(anonymous, 'subscription:error')
    anonymous.services.subscribe(['chat'])
    expect(codeOf(await failed)).to.equal('authentication:1')
    expect((await platform().admin.state()).channels).to.equal(0)
  })

  it('reports a 401 on channel refresh as auth:resub with isFailure, and recovers once valid tokens are set', async () => {
    // A 4 s channel: refreshed at 2 s (fails), retried at half of the 2 s left.
    const alice = await client('alice@example.com', { subscription: { channelLifetime: 4 } }, ['chat'])
    const expired = await platform().tokens('alice@example.com', { lifetime: -60 })
    alice.setTokens({ accessToken: expired.accessToken, idToken: expired.idToken })
    const failure = await nextEvent<{ attemptNum: number; isFailure: boolean; error?: BasicError }>(alice, 'auth:resub', undefined, 5000)
    expect(failure).to.deep.include({ attemptNum: 1, isFailure: true })
    expect(failure.error?.code).to.equal('subscription:4')
    expect(failure.error?.message).to.match(/^Refresh notification channel request failed: /)

    alice.setTokens({ accessToken: alice.tokens.accessToken, idToken: alice.tokens.idToken })
    const success = await nextEvent<{ attemptNum: number; isFailure: boolean; error?: unknown }>(alice, 'auth:resub', undefined, 5000)
    expect(success).to.deep.equal({ attemptNum: 2, isFailure: false })
    // The socket kept the token it was opened with all along.
    expect(alice.connection.getSocketState('cpaas')?.connected).to.equal(true)
  })

  it('reports a 5xx on channel creation as subscription:error subscription:2', async () => {
    const alice = await client('alice@example.com')
    await platform().admin.fail({ prefix: '/cpaas/notificationchannel/', status: 503 })
    const outcome = await subscribe(alice, ['chat'])
    expect(outcome.type).to.equal('subscription:error')
    expect(outcome.error?.code).to.equal('subscription:2')
    expect(outcome.error?.message).to.contain('(SVC0001)')
    expect(alice.services.getSubscriptions()).to.deep.equal({ subscribed: [], available: ['call', 'chat', 'smsinbound', 'presence'], isPending: false })
  })

  it('leaves out a service whose subscription fails (5xx or connection reset) and still ends with subscription:change', async () => {
    const alice = await client('alice@example.com')
    await platform().admin.fail({ prefix: '/cpaas/chat/', status: 500 })
    await platform().admin.fail({ prefix: '/cpaas/presence/', reset: true })
    const outcome = await subscribe(alice, ['call', 'chat', 'presence', 'smsinbound'])
    expect(outcome.type).to.equal('subscription:change')
    expect(alice.services.getSubscriptions().subscribed).to.have.members(['call', 'smsinbound'])
    expect((await platform().admin.state()).subscriptions).to.equal(2)

    const again = await subscribe(alice, ['chat', 'presence'])
    expect(again.type).to.equal('subscription:change')
    expect(alice.services.getSubscriptions().subscribed).to.have.members(['call', 'smsinbound', 'chat', 'presence'])
  })

  it('reports a WebSocket the platform refuses as subscription:error subscription:1 and deletes the channel', async () => {
    // One attempt only: the refused upgrade is the only request under this prefix before the channel is deleted.
    const alice = await client('alice@example.com', { connectivity: { reconnectLimit: 1 } })
    await platform().admin.fail({ prefix: '/cpaas/notificationchannel/v1/alice@example.com/channels/', count: 1, status: 503 })
    const outcome = await subscribe(alice, ['chat'])
    expect(outcome.type).to.equal('subscription:error')
    expect(outcome.error?.code).to.equal('subscription:1')
    expect(alice.services.getSubscriptions().subscribed).to.deep.equal([])
    expect(alice.connection.getSocketState('cpaas')?.connected).to.equal(false)
    for (let tries = 0; (await platform().admin.state()).channels !== 0 && tries < 50; tries += 1) await new Promise((resolve) => setTimeout(resolve, 20))
    expect((await platform().admin.state()).channels).to.equal(0)
  })

  it('tries a refused first WebSocket again with autoReconnect off, as the original SDK: the subscription succeeds', async () => {
    const alice = await client('alice@example.com', { connectivity: { autoReconnect: false, reconnectDelay: 20, reconnectLimit: 3 } })
    await platform().admin.fail({ prefix: '/cpaas/notificationchannel/v1/alice@example.com/channels/', count: 1, status: 503 })
    const outcome = await subscribe(alice, ['chat'])
    expect(outcome.type).to.equal('subscription:change')
    expect(alice.services.getSubscriptions().subscribed).to.deep.equal(['chat'])
    expect(alice.connection.getSocketState('cpaas')?.connected).to.equal(true)
  })
})

describe('integration: a service that does not answer within subscription.timeout (SDK and platform on one virtual clock)', () => {
  noUnhandledErrors()
  const clients = useDisposedAfterEach<{ dispose(): void }>()
  // The SDK's deadline and the platform's delay fault wait on the same clock: the request is held until the spec moves it.
  const virtual = virtualClock()
  const platform = usePlatformPerTest({ clock: manualClock(Math.floor(Date.now() / 1000) * 1000, virtual) })

  it('leaves out a service that does not answer within subscription.timeout', async () => {
    const alice = await createTestClient(platform(), 'alice@example.com', { services: ['chat'], config: { subscription: { timeout: 1 } }, environment: { scheduler: virtual.clock } })
    clients.push(alice)
    await platform().admin.delay(3000, '/cpaas/smsmessaging/')
    const outcome = subscribe(alice, ['smsinbound'])
    await virtual.timerSet(3000, 'the smsinbound subscription held on the platform')
    // The 1 s bound ends the request the platform holds for 3 s: the outcome is without smsinbound, chat kept.
    virtual.advance(1000)
    expect((await outcome).type).to.equal('subscription:change')
    expect(alice.services.getSubscriptions().subscribed).to.deep.equal(['chat'])
  })
})
