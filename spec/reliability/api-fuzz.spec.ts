// Property-based fuzzing of the whole public API against a client logged in to the local
// platform: random sequences of calls with hostile arguments (fixed seed; fast-check prints the
// shrunk counterexample and the seed on failure). No call may throw anything but a BasicError
// (or the event API's documented Error), nothing may escape as an uncaught error or unhandled
// rejection, and the client must still work afterwards.
import { expect } from 'chai'
import fc from 'fast-check'
import type { Config } from '../../lib/index.js'
import { createTestClient, nextEvent, type TestClient } from '../../testing/clients.js'
import { startPlatform, type TestPlatform } from '../../testing/platform.js'
import { apiCall, invoke, watchUncaught, type Verdict } from './api-calls.js'

/** Lets due timers run: RxJS re-throws a subscriber's error in one. */
const settled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1))

/** Resolves once `done()` holds (polled every 20 ms); rejects after 10 s. */
const until = (done: () => boolean, what: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const started = Date.now()
    const check = (): void => {
      if (done()) resolve()
      else if (Date.now() - started > 10_000) reject(new Error(`${what}: not within 10 s`))
      else setTimeout(check, 20)
    }
    check()
  })

const sections = ['logs', 'authentication', 'call', 'connectivity', 'notifications', 'subscription', 'messaging'] as const
const knownConfig = (config: Config) => Object.fromEntries(sections.map((section) => [section, config[section]]))

describe('public API fuzz', function () {
  this.timeout(120_000)
  let platform: TestPlatform
  let alice: TestClient
  let bob: TestClient

  before(async () => {
    platform = await startPlatform({ users: ['alice@example.com', 'bob@example.com'] })
    alice = await createTestClient(platform, 'alice@example.com')
    bob = await createTestClient(platform, 'bob@example.com')
  })

  after(async () => {
    alice?.dispose()
    bob?.dispose()
    await platform?.stop()
  })

  it('answers 1,500 random calls with hostile arguments by a BasicError or a result, never a crash, and keeps working', async () => {
    const configBefore = knownConfig(alice.getConfig())
    const uncaught = watchUncaught()
    let calls = 0
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(apiCall, { minLength: 5, maxLength: 15 }), async (plan) => {
          const failures: Verdict[] = []
          for (const call of plan) {
            calls += 1
            const verdict = invoke(alice, call)
            if (!verdict.ok) failures.push(verdict)
          }
          await settled()
          expect(failures, 'calls that threw something other than a BasicError').to.deep.equal([])
          expect(uncaught.seen.map(String), 'uncaught errors and unhandled rejections').to.deep.equal([])
        }),
        { seed: 16_2026, numRuns: 150, endOnFailure: false },
      )
    } finally {
      uncaught.stop()
    }
    expect(calls).to.be.at.least(1000)

    // Still fully working: configuration untouched, a chat round trip, a presence update, getters.
    expect(knownConfig(alice.getConfig())).to.deep.equal(configBefore)
    expect(alice.services.getSubscriptions().subscribed).to.include.members(['call', 'chat', 'smsinbound', 'presence'])
    expect(alice.connection.getSocketState('cpaas')?.connected).to.equal(true)
    const textsFromAlice = (): string[] =>
      (bob.conversation.get('alice@example.com')?.getMessages() ?? []).flatMap((message) => message.parts.map((part) => (part.type === 'text' ? part.text : '')))
    alice.conversation.create('bob@example.com').createMessage({ type: 'text', text: 'still here' }).send()
    await until(() => textsFromAlice().includes('still here'), 'bob receives the message')
    const selfChanged = nextEvent(alice, 'presence:selfChange')
    alice.presence.update(alice.presence.statuses.OPEN, alice.presence.activities.VACATION)
    await selfChanged
    expect(alice.presence.getSelf()).to.include({ status: alice.presence.statuses.OPEN, activity: alice.presence.activities.VACATION })
  })
})
