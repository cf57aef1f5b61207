import { expect } from 'chai'
import type { Client } from '../../../lib/index.js'
import type { PageScope, UserPage } from '../harness.js'
import { useRelayHarness } from './relay-harness.js'
import { connect, inboundRising, ring } from './steps.js'

// Relay-only calls through the platform's coturn (`turn: true`): both pages allow relay
// candidates only (`call.defaultPeerConfig`), with the platform's TURN URLs and the credentials
// the SDK fetches at subscription. Without coturn the harness cannot start, and every test fails.

/** Waits until the call's media connection is in one of `states`; returns the state. */
const mediaStateIn = (user: UserPage, callId: string, states: readonly string[], timeout = 20_000) =>
  user.until(
    (client, { id, wanted }) => {
      const state = client.call.getById(id)?.mediaConnectionState
      return state !== undefined && wanted.includes(state) ? state : false
    },
    { id: callId, wanted: [...states] },
    timeout,
  )

/** Runs an async page function every 100 ms until it returns something other than false (the harness's `until` takes synchronous ones). */
async function poll<R>(user: UserPage, fn: (client: Client, arg: undefined, scope: PageScope) => Promise<R | false>, what: string, limit = 30_000): Promise<R> {
  const deadline = Date.now() + limit
  for (;;) {
    const value = await user.run(fn)
    if (value !== false) return value
    if (Date.now() > deadline) throw new Error(`${user.userId}: not within ${limit} ms: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

interface SelectedPair {
  readonly local: string
  readonly remote: string
  readonly relayProtocol: unknown
}

/** The selected candidate pair of the page's newest peer connection: both candidates' types (polled until one is selected). */
const selectedPair = (user: UserPage): Promise<SelectedPair> =>
  poll(user, async (_client, _arg, { peers }) => {
    const report = await peers.at(-1)!.getStats()
    const stats = [...report.values()] as Array<Record<string, unknown>>
    const transport = stats.find((entry) => entry.type === 'transport' && typeof entry.selectedCandidatePairId === 'string')
    const pair = stats.find((entry) => entry.id === transport?.selectedCandidatePairId)
    const local = stats.find((entry) => entry.id === pair?.localCandidateId)
    const remote = stats.find((entry) => entry.id === pair?.remoteCandidateId)
    return local === undefined || remote === undefined ? false : { local: String(local.candidateType), remote: String(remote.candidateType), relayProtocol: local.relayProtocol }
  }, 'a selected candidate pair')

const connectedStates = ['connected', 'completed']

describe('calls in Chromium through coturn (relay only)', function () {
  this.timeout(120_000)
  // These specs watch the media connection alone: automatic media restarts (media-restart.spec.ts) are off.
  const { harness, config } = useRelayHarness({ automaticMediaRestart: { enabled: false } })

  it('connects a relay-only call through coturn: media flows both ways over a relay candidate pair, the media connection state and its events follow', async () => {
    const alice = await harness().open('alice@example.com', { config: config() })
    const bob = await harness().open('bob@example.com', { config: config() })
    const started = Date.now()
    const { callerCall, calleeCall } = await ring(alice, bob, { audio: true, video: true })
    const ringing = Date.now() - started
    const answered = Date.now()
    await bob.run((client, id) => client.call.answer(id, { audio: true, video: true }), calleeCall)
    await Promise.all([mediaStateIn(alice, callerCall, connectedStates), mediaStateIn(bob, calleeCall, connectedStates)])
    const setUp = Date.now() - answered
    await Promise.all([alice.expectMediaFlowing(callerCall), bob.expectMediaFlowing(calleeCall)])
    console.log(`      relay call: ringing ${ringing} ms after make; media connected on both sides ${setUp} ms after answer, flowing both ways ${Date.now() - answered} ms after answer`)
    expect(await alice.run((client, id) => client.call.getById(id)?.state, callerCall)).to.equal('Connected')

    for (const user of [alice, bob]) {
      expect(await user.run((_client, _arg, { peers }) => peers.at(-1)!.getConfiguration().iceTransportPolicy)).to.equal('relay')
      const pair = await selectedPair(user)
      expect(pair.local, `${user.userId}'s selected local candidate`).to.equal('relay')
      expect(pair.relayProtocol).to.equal('udp')
      expect(pair.remote, `${user.userId}'s selected remote candidate`).to.be.oneOf(['relay', 'prflx'])
    }
    const changes = await alice.events('call:mediaConnectionChange')
    expect(changes.map((event) => (event.payload.previous as { state: string }).state).slice(0, 2)).to.deep.equal(['new', 'checking'])
    expect(changes.every((event) => event.payload.callId === callerCall)).to.equal(true)
  })

  it('blackholed relay: the media connection goes disconnected, call:mediaConnectionChange says so; restored: connected again and media flows', async () => {
    const alice = await harness().open('alice@example.com', { config: config() })
    const bob = await harness().open('bob@example.com', { config: config() })
    const { callerCall, calleeCall } = await connect(alice, bob, { audio: true })
    await Promise.all([mediaStateIn(alice, callerCall, connectedStates), mediaStateIn(bob, calleeCall, connectedStates)])
    await alice.expectMediaFlowing(callerCall)
    const after = (await alice.events()).at(-1)?.index ?? -1

    const cut = Date.now()
    await harness().platform.admin.media({ blackhole: true })
    const [aliceState, bobState] = await Promise.all([
      mediaStateIn(alice, callerCall, ['disconnected', 'failed'], 45_000),
      mediaStateIn(bob, calleeCall, ['disconnected', 'failed'], 45_000),
    ])
    console.log(`      blackhole: media connection ${aliceState} / ${bobState} ${Date.now() - cut} ms after the cut`)
    const change = await alice.waitFor('call:mediaConnectionChange', { callId: callerCall }, { after })
    expect(connectedStates).to.include((change.payload.previous as { state: string }).state)
    expect(await inboundRising(alice, callerCall, false)).to.deep.equal({ audio: false })
    // The call itself is still up: only its media is gone.
    expect(await alice.run((client, id) => client.call.getById(id)?.state, callerCall)).to.equal('Connected')

    // Chromium says disconnected within seconds and failed only after about 30 s: restored in time, ICE recovers by itself.
    expect([aliceState, bobState]).to.deep.equal(['disconnected', 'disconnected'])

    const restored = Date.now()
    await harness().platform.admin.media({ blackhole: false })
    await Promise.all([mediaStateIn(alice, callerCall, connectedStates), mediaStateIn(bob, calleeCall, connectedStates)])
    console.log(`      restore: media connection connected again ${Date.now() - restored} ms after the restore`)
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal({ audio: true })
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal({ audio: true })
    const back = await alice.waitFor('call:mediaConnectionChange', { callId: callerCall, previous: { state: 'disconnected' } }, { after: change.index })
    expect(back.payload.callId).to.equal(callerCall)
  })

  it('blackholed relay held: the media connection fails, the call stays up (automatic restarts off)', async () => {
    const alice = await harness().open('alice@example.com', { config: config() })
    const bob = await harness().open('bob@example.com', { config: config() })
    const { callerCall } = await connect(alice, bob, { audio: true })
    await mediaStateIn(alice, callerCall, connectedStates)
    const cut = Date.now()
    await harness().platform.admin.media({ blackhole: true })
    await mediaStateIn(alice, callerCall, ['failed'], 60_000)
    console.log(`      blackhole held: media connection failed ${Date.now() - cut} ms after the cut`)
    const states = (await alice.events('call:mediaConnectionChange')).map((event) => (event.payload.previous as { state: string }).state)
    expect(states.at(-1), 'failed after disconnected').to.equal('disconnected')
    expect(connectedStates).to.include(states.at(-2))
    expect(await alice.run((client, id) => client.call.getById(id)?.state, callerCall)).to.equal('Connected')
  })

  it('impaired relay: lost packets and a longer round trip show in the call stats; removed, the loss stops', async () => {
    const alice = await harness().open('alice@example.com', { config: config() })
    const bob = await harness().open('bob@example.com', { config: config() })
    const { callerCall } = await connect(alice, bob, { audio: true })
    await alice.expectMediaFlowing(callerCall)
    /** Inbound audio packets lost so far, and the selected pair's round trip in ms, from the page's peer connection. */
    const quality = () =>
      alice.run(async (_client, _arg, { peers }) => {
        const stats = [...(await peers.at(-1)!.getStats()).values()] as Array<Record<string, unknown>>
        const inbound = stats.find((entry) => entry.type === 'inbound-rtp' && entry.kind === 'audio')
        const transport = stats.find((entry) => entry.type === 'transport')
        const pair = stats.find((entry) => entry.id === transport?.selectedCandidatePairId)
        return { lost: Number(inbound?.packetsLost ?? 0), rttMs: Number(pair?.currentRoundTripTime ?? 0) * 1000 }
      })
    const before = await quality()
    await harness().platform.admin.media({ lossPercent: 25, delayMs: 100 })
    // Each client's leg to the relay is delayed both ways: a round trip crosses the relay four times.
    const impaired = await poll(
      alice,
      async (_client, _arg, { peers }) => {
        const stats = [...(await peers.at(-1)!.getStats()).values()] as Array<Record<string, unknown>>
        const inbound = stats.find((entry) => entry.type === 'inbound-rtp' && entry.kind === 'audio')
        const transport = stats.find((entry) => entry.type === 'transport')
        const pair = stats.find((entry) => entry.id === transport?.selectedCandidatePairId)
        const rttMs = Number(pair?.currentRoundTripTime ?? 0) * 1000
        return rttMs >= 300 ? { lost: Number(inbound?.packetsLost ?? 0), rttMs } : false
      },
      'a round trip of 300 ms or more',
    )
    expect(impaired.lost).to.be.greaterThan(before.lost)
    console.log(`      impaired relay (25% loss, 100 ms delay): round trip ${Math.round(impaired.rttMs)} ms (was ${Math.round(before.rttMs)} ms), ${impaired.lost - before.lost} packets lost`)

    await harness().platform.admin.media({ lossPercent: 0, delayMs: 0 })
    await poll(
      alice,
      async (_client, _arg, { peers }) => {
        const stats = [...(await peers.at(-1)!.getStats()).values()] as Array<Record<string, unknown>>
        const transport = stats.find((entry) => entry.type === 'transport')
        const pair = stats.find((entry) => entry.id === transport?.selectedCandidatePairId)
        return Number(pair?.currentRoundTripTime ?? 1) * 1000 < 100 || false
      },
      'a round trip under 100 ms again',
    )
    const settled = await quality()
    await new Promise((resolve) => setTimeout(resolve, 2000))
    expect((await quality()).lost).to.equal(settled.lost)
  })

  it('closes the media connection when the call ends', async () => {
    const alice = await harness().open('alice@example.com', { config: config() })
    const bob = await harness().open('bob@example.com', { config: config() })
    const { callerCall } = await connect(alice, bob, { audio: true })
    await mediaStateIn(alice, callerCall, connectedStates)
    await alice.run((client, id) => client.call.end(id), callerCall)
    expect(await mediaStateIn(alice, callerCall, ['closed'])).to.equal('closed')
    const last = (await alice.events('call:mediaConnectionChange')).at(-1)
    expect(connectedStates).to.include((last?.payload.previous as { state: string }).state)
  })
})
