import { expect } from 'chai'
import { busyBot } from '../../samples/node/bots/index.js'
import { tone } from '../../samples/node/media.js'
import { callState, recordStates, useBot } from './helpers.js'

describe('bots: busy', function () {
  this.timeout(30000)
  const { bot, caller } = useBot(busyBot())

  it('rejects every call: each ends without ever connecting, and the bot holds no call', async () => {
    const alice = await caller('alice@example.com', { audio: tone(1000) })
    for (const attempt of [1, 2]) {
      const callId = alice.client.call.make('busy@example.com', { audio: true })
      const states = recordStates(alice.client, callId)
      await callState(alice.client, callId, 'Ended')
      expect(states, `attempt ${attempt}`).to.include('Ended').and.not.include('Connected')
      expect(alice.client.call.getById(callId)?.endTime, `attempt ${attempt}`).to.be.a('number')
    }
    const botCalls = bot().agent.client.call.getAll()
    expect(botCalls).to.have.length(2)
    for (const call of botCalls) await callState(bot().agent.client, call.id, 'Ended')
    expect(bot().agent.client.call.getAll().map((call) => call.state)).to.deep.equal(['Ended', 'Ended'])
  })
})
