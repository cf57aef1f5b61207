import { expect } from 'chai'
import type { UserPage } from '../harness.js'
import { useRelayHarness } from './relay-harness.js'
import { connect, hold, inboundRising } from './steps.js'

// Media restart in Chromium through coturn, relay only: what the relay does to a call (restart,
// blackhole) is done for real by the platform's relay in front of coturn, and the calls get their
// media back by themselves (config `call.automaticMediaRestart`, on by default) or when the app
// asks (`call.mediaRestart`). Without coturn the harness cannot start, and every test fails.

/** Waits until the call's media connection is connected (or completed). */
const mediaConnected = (user: UserPage, callId: string, timeout = 20_000) =>
  user.until((client, id) => ['connected', 'completed'].includes(client.call.getById(id)?.mediaConnectionState ?? ''), callId, timeout)

/** Waits (up to `timeout` ms) for a `call:mediaRestart` of the call after `after` that succeeded. */
async function restartedWell(user: UserPage, callId: string, after: number, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout
  for (;;) {
    const events = await user.events('call:mediaRestart')
    if (events.some((event) => event.index > after && event.payload.callId === callId && event.payload.error === undefined)) return
    if (Date.now() > deadline) throw new Error(`${user.userId}: no successful media restart of ${callId} within ${timeout} ms: ${JSON.stringify(events.map((event) => event.payload))}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The index of the page's newest recorded event, to wait for what comes after it. */
const lastIndex = async (user: UserPage): Promise<number> => (await user.events()).at(-1)?.index ?? -1

describe('media restart in Chromium through coturn (relay only)', function () {
  this.timeout(180_000)
  const { harness, config } = useRelayHarness()

  /** A connected relay-only audio call with media flowing both ways. */
  async function relayCall(media = { audio: true }) {
    const alice = await harness().open('alice@example.com', { config: config() })
    const bob = await harness().open('bob@example.com', { config: config() })
    const { callerCall, calleeCall } = await connect(alice, bob, media)
    await Promise.all([mediaConnected(alice, callerCall), mediaConnected(bob, calleeCall)])
    await Promise.all([alice.expectMediaFlowing(callerCall), bob.expectMediaFlowing(calleeCall)])
    return { alice, bob, callerCall, calleeCall }
  }

  it('call.mediaRestart: an ICE restart with fresh credentials, the far end follows, call:mediaRestart says so and media flows', async () => {
    const { alice, bob, callerCall, calleeCall } = await relayCall()
    const ufrag = () => alice.run((_client, _arg, { peers }) => /a=ice-ufrag:(\S+)/.exec(peers.at(-1)!.localDescription?.sdp ?? '')?.[1])
    const turn = () => alice.run((_client, _arg, { peers }) => peers.at(-1)!.getConfiguration().iceServers?.map((server) => server.username) ?? [])
    const before = await ufrag()
    const turnBefore = await turn()
    const after = await lastIndex(alice)
    await alice.run((client, id) => client.call.mediaRestart(id), callerCall)
    const restarted = await alice.waitFor('call:mediaRestart', { callId: callerCall }, { after })
    expect(restarted.payload.error).to.equal(undefined)
    expect(await ufrag(), 'new ICE credentials').to.not.equal(before)
    expect(turnBefore.length, 'the call had TURN servers').to.be.greaterThan(0)
    expect(await turn(), 'fresh TURN credentials').to.not.deep.equal(turnBefore)
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal({ audio: true })
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal({ audio: true })
    expect(await alice.run((client, id) => client.call.getById(id)?.state, callerCall)).to.equal('Connected')
  })

  it('call.mediaRestart of a held call keeps it held; of a call that is not answered it is refused with call:6', async () => {
    const { alice, callerCall } = await relayCall()
    await hold(alice, callerCall)
    const after = await lastIndex(alice)
    await alice.run((client, id) => client.call.mediaRestart(id), callerCall)
    const restarted = await alice.waitFor('call:mediaRestart', { callId: callerCall }, { after })
    expect(restarted.payload.error).to.equal(undefined)
    expect(await alice.run((client, id) => [client.call.getById(id)?.state, client.call.getById(id)?.localHold], callerCall)).to.deep.equal(['On Hold', true])

    await alice.run((client, id) => client.call.end(id), callerCall)
    const ended = await lastIndex(alice)
    await alice.run((client, id) => client.call.mediaRestart(id), callerCall)
    const refused = await alice.waitFor('call:mediaRestart', { callId: callerCall }, { after: ended })
    expect((refused.payload.error as { code: string }).code).to.equal('call:6')
  })

  it('the relay restarts mid-call (every allocation lost): both sides get their media back by themselves', async () => {
    const { alice, bob, callerCall, calleeCall } = await relayCall()
    const after = await lastIndex(alice)
    const cut = Date.now()
    await harness().platform.admin.restartRelay()
    // The bound of the issue: media back within 10 s, no app action.
    await restartedWell(alice, callerCall, after, 10_000)
    // The restart's answer can reach Alice before either side's ICE checks finish (on a loaded machine, over a second).
    await Promise.all([mediaConnected(alice, callerCall, 10_000), mediaConnected(bob, calleeCall, 10_000)])
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal({ audio: true })
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal({ audio: true })
    console.log(`      relay restart: media flowing both ways again ${Date.now() - cut} ms after the restart, no app action`)
  })

  it('a 40 s blackhole, then restored: media back within 10 s of the restore; hold, unhold and DTMF work after the restart', async () => {
    const { alice, bob, callerCall, calleeCall } = await relayCall()
    await harness().platform.admin.media({ blackhole: true })
    await alice.until((client, id) => ['disconnected', 'failed'].includes(client.call.getById(id)?.mediaConnectionState ?? ''), callerCall, 45_000)
    await new Promise((resolve) => setTimeout(resolve, 40_000))
    const after = await lastIndex(alice)
    const restored = Date.now()
    await harness().platform.admin.media({ blackhole: false })
    // The bound of the issue: media back within 10 s of the restore.
    await Promise.all([mediaConnected(alice, callerCall, 10_000), mediaConnected(bob, calleeCall, 10_000)])
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal({ audio: true })
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal({ audio: true })
    console.log(`      blackhole 40 s: media flowing both ways ${Date.now() - restored} ms after the restore`)
    expect(await alice.run((client, id) => client.call.getById(id)?.state, callerCall)).to.equal('Connected')
    const restarts = (await alice.events('call:mediaRestart')).filter((event) => event.index <= after)
    expect(restarts.length, 'restarts were tried during the blackhole').to.be.greaterThan(0)

    await hold(alice, callerCall)
    await bob.until((client, id) => client.call.getById(id)?.remoteHold === true, calleeCall)
    await alice.run((client, id) => client.call.unhold(id), callerCall)
    await alice.until((client, id) => client.call.getById(id)?.state === 'Connected', callerCall)
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal({ audio: true })

    // The DTMF sender of the restarted transport plays every tone (tonechange per tone, then '').
    const played = await alice.run(async (client, id, { peers }) => {
      const sender = peers.at(-1)!.getSenders().find((candidate) => candidate.track?.kind === 'audio')
      const tones: string[] = []
      const done = new Promise<void>((resolve) => sender?.dtmf?.addEventListener('tonechange', (event) => (event.tone === '' ? resolve() : void tones.push(event.tone))))
      client.call.sendDTMF(id, '12#', 100, 70)
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 5000))])
      return tones.join('')
    }, callerCall)
    expect(played).to.equal('12#')
  })
})
