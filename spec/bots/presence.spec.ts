import { expect } from 'chai'
import { VirtualTimeScheduler } from 'rxjs'
import { presenceBot } from '../../samples/node/bots/index.js'
import { presenceCycle } from '../../samples/node/bots/presence.js'
import { nextEvent, useBot } from './helpers.js'

type Change = { userId: string; status: string; activity: string; note?: string }

describe('bots: presence', function () {
  this.timeout(30000)
  // The bot's schedule runs in virtual time: each `advance` is one period, at once.
  const clock = new VirtualTimeScheduler()
  const advance = (ms: number): void => {
    clock.maxFrames = clock.now() + ms
    clock.flush()
  }
  const period = 60_000
  const { caller } = useBot(presenceBot({ periodMs: period }), { scheduler: clock })

  it('changes its presence once per period, through its cycle, and watchers see each change', async () => {
    const alice = await caller('alice@example.com', { services: ['presence'] })
    // Watching gives the current presence at once: the first of the cycle, set when the bot started.
    const watched = nextEvent<Change>(alice.client, 'presence:change', (change) => change.userId === 'presence@example.com')
    alice.client.presence.subscribe('presence@example.com')
    expect(await watched).to.include({ status: presenceCycle[0]!.status, activity: presenceCycle[0]!.activity })

    for (const step of [1, 2, 3, 4, 5, 6]) {
      const changed = nextEvent<Change>(alice.client, 'presence:change', (change) => change.userId === 'presence@example.com')
      advance(period)
      const expected = presenceCycle[step % presenceCycle.length]!
      const change = await changed
      expect(change, `step ${step}`).to.include({ status: expected.status, activity: expected.activity })
      if (expected.note !== undefined) expect(change.note).to.equal(expected.note)
    }
  })
})
