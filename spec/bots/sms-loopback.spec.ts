import { expect } from 'chai'
import { smsLoopbackBot } from '../../samples/node/bots/index.js'
import { receivedText, useBot } from './helpers.js'

describe('bots: sms loopback', function () {
  this.timeout(30000)
  const { platform, caller } = useBot(smsLoopbackBot())

  it('answers every SMS to its number with "Echo: <text>"', async () => {
    const alice = await caller('alice@example.com', { services: ['smsinbound'] })
    const number = platform().users.find((user) => user.bot === 'sms-loopback')!.phoneNumber
    const conversation = alice.client.conversation.create(number, { type: 'sms' })
    conversation.createMessage('Hello loopback').send()
    expect(await receivedText(alice.client, number, 'sms', (text) => text.startsWith('Echo:'))).to.equal('Echo: Hello loopback')
    conversation.createMessage('Second one').send()
    expect(await receivedText(alice.client, number, 'sms', (text) => text === 'Echo: Second one')).to.equal('Echo: Second one')
    const received = alice.client.conversation.get(number, { type: 'sms' })!.getMessages().filter((message) => message.sender === number)
    expect(received.map((message) => message.sender)).to.deep.equal([number, number])
  })
})
