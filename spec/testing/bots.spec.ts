import { expect } from 'chai'
import { createTestClient, nextEvent, nodeEnvironment, silence, startPlatform, type TestClient, type TestPlatform } from '../../testing/index.js'

/** The sockets a user has open on the platform. */
const socketsOf = async (platform: TestPlatform, userId: string): Promise<number> =>
  ((await platform.admin.state()).users[userId]?.channels ?? []).reduce((sum, channel) => sum + channel.sockets, 0)

describe('testing kit: bots', function () {
  this.timeout(30000)

  describe('bots: [kinds] on a platform with its own users', () => {
    let platform: TestPlatform
    let ann: TestClient | undefined
    let environment: ReturnType<typeof nodeEnvironment> | undefined
    before(async () => {
      platform = await startPlatform({ users: ['ann@example.com'], bots: ['busy', 'typing'] })
    })
    after(async () => {
      ann?.dispose()
      environment?.media.dispose()
      await platform.stop()
    })

    it('adds the bot accounts to the users and runs one bot each, logged in and subscribed', async () => {
      expect(platform.users.map((user) => user.userId)).to.deep.equal(['ann@example.com', 'busy@example.com', 'typing@example.com'])
      expect(platform.bots.running.map(({ userId, kind }) => ({ userId, kind }))).to.have.deep.members([
        { userId: 'busy@example.com', kind: 'busy' },
        { userId: 'typing@example.com', kind: 'typing' },
      ])
      expect(platform.bots.running.every((bot) => bot.description !== '')).to.equal(true)
      expect(await socketsOf(platform, 'busy@example.com')).to.equal(1)
    })

    it('the busy bot rejects a call from a test client, the typing bot answers its chat', async () => {
      environment = nodeEnvironment({ audio: silence })
      ann = await createTestClient(platform, 'ann@example.com', { services: ['call', 'chat'], environment })
      const callId = ann.call.make('busy@example.com', { audio: true })
      const states: string[] = []
      ann.on('call:stateChange', (payload) => {
        if ((payload as { callId?: string }).callId === callId) states.push(ann!.call.getById(callId)?.state ?? '')
      })
      await nextEvent(ann, 'call:stateChange', () => ann!.call.getById(callId)?.state === 'Ended')
      expect(states).not.to.include('Connected')

      const replied = nextEvent<{ destination: string[] }>(ann, 'messages:change', ({ destination }) => destination[0] === 'typing@example.com' && (ann!.conversation.get('typing@example.com')?.getMessages().length ?? 0) >= 2)
      ann.conversation.create('typing@example.com').createMessage({ type: 'text', text: 'are you there?' }).send()
      await replied
      const messages = ann.conversation.get('typing@example.com')!.getMessages()
      expect(messages.at(-1)?.sender).to.equal('typing@example.com')
    })
  })

  it('bots: true runs every kind on the seeded accounts; stop() logs them out', async () => {
    const platform = await startPlatform({ bots: true })
    try {
      expect(platform.bots.running.map((bot) => bot.kind)).to.have.members(['echo', 'auto-answer', 'busy', 'ivr', 'sms-loopback', 'typing', 'presence'])
      expect(await socketsOf(platform, 'echo@example.com')).to.equal(1)
      platform.bots.stop()
      for (let tries = 0; (await socketsOf(platform, 'echo@example.com')) > 0 && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 20))
      expect(await socketsOf(platform, 'echo@example.com')).to.equal(0)
    } finally {
      await platform.stop()
    }
  })

  it('refuses a bot kind that does not exist, naming the known ones', async () => {
    await startPlatform({ bots: ['echo', 'parrot' as never] }).then(
      (platform) => {
        void platform.stop()
        expect.fail('started with an unknown bot')
      },
      (error: Error) => expect(error.message).to.match(/unknown bot kind parrot \(known: echo, auto-answer/),
    )
  })
})
