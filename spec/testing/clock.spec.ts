import { expect } from 'chai'
import { createTestClient, createTestClock, nextEvent, startPlatform, type TestClient, type TestClock, type TestPlatform } from '../../testing/index.js'

describe('testing kit: createTestClock', () => {
  describe('the clock', () => {
    it('fires a timer exactly when advance reaches its due time, with now() at that time', () => {
      const clock = createTestClock({ start: 1_000 })
      const fired: number[] = []
      clock.later(500, () => fired.push(clock.now()))
      clock.advance(499)
      expect(fired).to.deep.equal([])
      clock.advance(1)
      expect(fired).to.deep.equal([1_500])
      expect(clock.pending()).to.equal(0)
    })

    it('fires due timers in due order, then in the order they were set, including timers set meanwhile', () => {
      const clock = createTestClock({ start: 0 })
      const fired: string[] = []
      clock.later(30, () => fired.push('c'))
      clock.later(10, () => {
        fired.push('a')
        clock.later(5, () => fired.push(`a+5 at ${clock.now()}`))
      })
      clock.later(10, () => fired.push('b'))
      clock.advance(100)
      expect(fired).to.deep.equal(['a', 'b', 'a+5 at 15', 'c'])
      expect(clock.now()).to.equal(100)
    })

    it('never fires a cancelled timer', () => {
      const clock = createTestClock({ start: 0 })
      let fired = false
      clock.later(10, () => (fired = true)).cancel()
      clock.advance(20)
      expect(fired).to.equal(false)
    })

    it('starts at the wall clock to the whole second, and its scheduler is its time', () => {
      const before = Date.now()
      const clock = createTestClock()
      expect(clock.now() % 1000).to.equal(0)
      expect(clock.now()).to.be.within(before - 1000, Date.now())
      const ran: number[] = []
      clock.scheduler.schedule(() => ran.push(clock.now()), 250)
      clock.advance(250)
      expect(ran).to.deep.equal([clock.now()])
    })
    it("reads the same time through its scheduler, the SDK's clock", () => {
      const clock = createTestClock({ start: 1_000_000 })
      expect(clock.scheduler.now()).to.equal(1_000_000)
      clock.advance(250)
      expect(clock.scheduler.now()).to.equal(1_000_250)
    })

    it('refuses to move time back or by what is not a number of ms, and keeps its time', () => {
      const clock = createTestClock({ start: 0 })
      for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => clock.advance(ms), String(ms)).to.throw(RangeError, `advance(${ms})`)
      expect(clock.now()).to.equal(0)
    })
  })

  describe('the platform and the SDK on it', function () {
    this.timeout(20000)
    let platform: TestPlatform | undefined
    const clients: TestClient[] = []
    const client = async (clock: TestClock, userId: string, config = {}): Promise<TestClient> => {
      const made = await createTestClient(platform!, userId, { services: ['chat'], config, environment: { scheduler: clock.scheduler } })
      clients.push(made)
      return made
    }
    afterEach(async () => {
      for (const made of clients.splice(0)) made.dispose()
      await platform?.stop()
      platform = undefined
    })

    it("ends a typing indicator when the test moves the platform's clock past its refresh, not a minute later", async () => {
      const clock = createTestClock()
      platform = await startPlatform({ users: ['ann@example.com', 'ben@example.com'], clock })
      const ann = await client(clock, 'ann@example.com')
      const ben = await client(clock, 'ben@example.com')
      ben.conversation.create(['ann@example.com'], { type: ben.conversation.chatTypes.ONETOONE })
      const active = nextEvent<{ state: string }>(ben, 'isTypingList:change', (payload) => payload.state === 'active')
      ann.conversation.create(['ben@example.com'], { type: ann.conversation.chatTypes.ONETOONE }).setIsTyping(true)
      await active
      expect(ben.conversation.get('ann@example.com')!.isTypingList).to.deep.equal(['ann@example.com'])
      const idle = nextEvent<{ state: string }>(ben, 'isTypingList:change', (payload) => payload.state === 'idle')
      // The platform turns an indicator idle after its refresh, 60 s: on the wall clock this test would time out first.
      clock.advance(60_000)
      await idle
      expect(ben.conversation.get('ann@example.com')!.isTypingList).to.deep.equal([])
    })

    it("stamps what the SDK sends with the clock's time, as the platform stamps what it delivers", async () => {
      const clock = createTestClock()
      platform = await startPlatform({ users: ['ann@example.com', 'ben@example.com'], clock })
      const ann = await client(clock, 'ann@example.com')
      const ben = await client(clock, 'ben@example.com')
      clock.advance(5_000)
      const received = nextEvent(ben, 'conversations:change')
      ann.conversation.create('ben@example.com').createMessage({ type: 'text', text: 'when?' }).send()
      await received
      const [sent] = ann.conversation.get('ben@example.com')!.getMessages()
      expect(sent?.timestamp).to.equal(clock.now() / 1000)
    })

    it("runs the SDK's timers on it too: unanswered pings are noticed when the test moves time past pingInterval × maxMissedPings", async () => {
      const clock = createTestClock()
      platform = await startPlatform({ users: ['ann@example.com'], clock })
      const connectivity = { checkConnectivity: true, method: 'pingPong', pingInterval: 30_000, maxMissedPings: 2, reconnectDelay: 5_000 }
      const ann = await client(clock, 'ann@example.com', { connectivity })
      const socket = () => ann.connection.getSocketState('cpaas')
      await platform.faults.stopAnsweringPings('ann@example.com')
      clock.advance(30_000)
      expect(socket()).to.deep.include({ connected: true, reconnecting: false })
      clock.advance(30_000)
      expect(socket()).to.deep.include({ connected: false, reconnecting: true })
      // Answered again, the client reconnects once the clock reaches its reconnect wait.
      await platform.faults.resumeAnsweringPings('ann@example.com')
      const back = nextEvent(ann, 'ws:change', () => socket()?.connected === true)
      clock.advance(5_000)
      await back
    })
  })
})
