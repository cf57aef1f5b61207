import { expect } from 'chai'
import { firstValueFrom } from 'rxjs'
import { startAgent, type Agent } from '../../../samples/node/agent.js'
import { virtualClock } from '../../helpers/clock.js'
import { usePlatform } from '../../helpers/platform.js'
import { manualClock } from '../../platform/clock.js'

describe('samples/node/agent.ts: an agent keeps its tokens fresh', function () {
  this.timeout(30000)
  // The agent's timers and the platform's token clock move together, so a refreshed token differs from the last.
  const virtual = virtualClock()
  const platform = usePlatform({ clock: manualClock(Math.floor(Date.now() / 1000) * 1000, virtual), tokenLifetime: 60 })
  let agent: Agent | undefined
  afterEach(() => {
    agent?.stop()
    agent = undefined
  })

  it('refreshes its tokens at 80 % of their lifetime, again and again, and hands them to its client', async () => {
    const started = await startAgent({ server: platform().url, user: 'alice@example.com', password: 'password', services: [], scheduler: virtual.clock })
    agent = started
    const first = started.client.getUserInfo().accessToken
    await virtual.timerSet(48_000, 'the first refresh')
    const refreshed = firstValueFrom(started.events('auth:change'))
    virtual.advance(48_000)
    await refreshed
    const second = started.client.getUserInfo().accessToken
    expect(second).to.be.a('string').and.not.equal(first)

    await virtual.timerSet(48_000, 'the next refresh')
    const refreshedAgain = firstValueFrom(started.events('auth:change'))
    virtual.advance(48_000)
    await refreshedAgain
    expect(started.client.getUserInfo().accessToken).to.be.a('string').and.not.equal(second)
  })
})
