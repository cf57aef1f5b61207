import { expect } from 'chai'
import { typingBot } from '../../samples/node/bots/index.js'
import { typingReply } from '../../samples/node/bots/typing.js'
import { receivedText, useBot } from './helpers.js'

describe('bots: typing', function () {
  this.timeout(30000)
  const { caller } = useBot(typingBot({ typingMs: 300 }))

  it('shows itself typing, then replies to a chat message', async () => {
    const alice = await caller('alice@example.com', { services: ['chat'] })
    const seen: string[] = []
    alice.client.subscribe((type, [payload]) => {
      const event = payload as { sender?: string; state?: string; destination?: string[] }
      if (type === 'isTypingList:change' && event.destination?.[0] === 'typing@example.com') seen.push(`typing ${event.state}`)
      if ((type === 'messages:change' || type === 'conversations:change') && event.destination?.[0] === 'typing@example.com') {
        const received = alice.client.conversation.get('typing@example.com')?.getMessages().filter((message) => message.sender === 'typing@example.com').length ?? 0
        if (received > 0 && !seen.includes('reply')) seen.push('reply')
      }
    })
    alice.client.conversation.create('typing@example.com').createMessage('Are you there?').send()
    expect(await receivedText(alice.client, 'typing@example.com', 'chat-oneToOne', () => true)).to.equal(typingReply('Are you there?'))
    expect(seen.indexOf('typing active'), `events: ${seen.join(', ')}`).to.be.at.least(0)
    expect(seen.indexOf('typing active')).to.be.below(seen.indexOf('reply'))
    expect(alice.client.conversation.get('typing@example.com')!.isTypingList).to.deep.equal([])
  })
})
