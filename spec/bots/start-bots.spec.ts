import { expect } from 'chai'
import { defaultBots, startBots } from '../../samples/node/bots/index.js'
import { createTestClient, nextEvent } from '../helpers/client.js'
import { usePlatform } from '../helpers/platform.js'
import { socketsClosed } from './helpers.js'

describe('bots: startBots', function () {
  this.timeout(30000)
  const platform = usePlatform()

  it('starts one bot per seeded bot account, each logged in and subscribed to its services, and stops them', async () => {
    const bots = await startBots({ url: platform().url, accounts: platform().users })
    try {
      const byKind = Object.fromEntries(bots.running.map((bot) => [bot.kind, bot.userId]))
      expect(byKind).to.deep.equal({
        echo: 'echo@example.com',
        'auto-answer': 'autoanswer@example.com',
        busy: 'busy@example.com',
        ivr: 'ivr@example.com',
        'sms-loopback': 'sms@example.com',
        typing: 'typing@example.com',
        presence: 'presence@example.com',
      })
      for (const bot of bots.running) {
        const definition = defaultBots().find((candidate) => candidate.kind === bot.kind)!
        expect(bot.agent.client.services.getSubscriptions().subscribed, bot.kind).to.have.members([...definition.services])
        expect(bot.description, bot.kind).to.equal(definition.description)
      }
      const state = await platform().admin.state()
      expect(Object.keys(state.users)).to.include.members(bots.running.map((bot) => bot.userId))
    } finally {
      bots.stop()
    }
    await socketsClosed(platform())
  })

  it('shows every bot as Open / Available while it runs (the presence bot publishes its own cycle)', async () => {
    const bots = await startBots({ url: platform().url, accounts: platform().users, bots: defaultBots().filter((bot) => bot.kind !== 'presence') })
    const alice = await createTestClient(platform(), 'alice@example.com', { services: ['presence'] })
    try {
      const userIds = bots.running.map((bot) => bot.userId)
      const presences = () => userIds.map((userId) => alice.presence.get(userId)[0])
      const allAvailable = () => presences().every((entry) => entry?.status === 'Open' && entry.activity === 'Available')
      const seen = nextEvent(alice, 'presence:change', allAvailable)
      alice.presence.subscribe(userIds)
      await seen
      expect(userIds).to.have.length(6)
      expect(presences().map((entry) => `${entry?.status}/${entry?.activity}`)).to.deep.equal(userIds.map(() => 'Open/Available'))
    } finally {
      alice.dispose()
      bots.stop()
    }
    expect(defaultBots().filter((bot) => bot.publishesPresence === true).map((bot) => bot.kind)).to.deep.equal(['presence'])
    await socketsClosed(platform())
  })

  it('leaves people and unknown kinds alone, and fails (stopping the others) when a bot cannot log in', async () => {
    const accounts = [
      { userId: 'alice@example.com', password: 'password' },
      { userId: 'echo@example.com', password: 'password', bot: 'echo' },
      { userId: 'bob@example.com', password: 'password', bot: 'no-such-kind' },
    ]
    const bots = await startBots({ url: platform().url, accounts })
    expect(bots.running.map((bot) => bot.userId)).to.deep.equal(['echo@example.com'])
    bots.stop()

    let failure: unknown
    await startBots({ url: platform().url, accounts: [...accounts, { userId: 'busy@example.com', password: 'wrong', bot: 'busy' }] }).catch((error: unknown) => (failure = error))
    expect((failure as Error)?.message).to.match(/busy@example.com: .*refused/)
    await socketsClosed(platform())
  })
})
