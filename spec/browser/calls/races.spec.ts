import { expect } from 'chai'
import { until } from '../../helpers/client.js'
import { manualClock } from '../../platform/clock.js'
import { useHarness, type UserPage } from '../harness.js'
import { connect, connectedPair, inboundRising, rtpRising, updatePath } from './steps.js'

// Renegotiation races (protocol/calls.md §7, §8): operations issued back to back on one call run
// one after the other; both sides re-offering at once (glare: the platform answers 409 to the
// second offer) ends in the same state on both sides; a failed operation leaves the call as it was.
// A held call lists no remote track (as the original); unhold lists them again.

const viewOf = (user: UserPage, callId: string) =>
  user.run((client, id) => {
    const call = client.call.getById(id)
    const kinds = (ids: readonly string[]) => ids.map((trackId) => client.media.getTrackById(trackId)?.kind).sort()
    return { state: call?.state, localHold: call?.localHold, remoteHold: call?.remoteHold, local: kinds(call?.localTracks ?? []), remote: kinds(call?.remoteTracks ?? []) }
  }, callId)

/** Nothing rises on any inbound stream of the call. */
const stopped = async (user: UserPage, callId: string): Promise<boolean> => !Object.values(await inboundRising(user, callId, false)).includes(true)

/** The page's newest peer connection: its signalling state and the direction of each transceiver. */
const peerOf = (user: UserPage) =>
  user.run((_client, _arg, { peers }) => {
    const peer = peers.at(-1)
    return { signalling: peer?.signalingState, directions: peer?.getTransceivers().filter((transceiver) => transceiver.direction !== 'stopped').map((transceiver) => transceiver.direction) }
  })

describe('calls in Chromium: renegotiation races and failures', function () {
  this.timeout(90000)
  // The platform's clock moves only when a spec says (a delayed request is held until then); the pages run on real time.
  const clock = manualClock(Math.floor(Date.now() / 1000) * 1000)
  const harness = useHarness({ clock })
  afterEach(async () => {
    await harness().platform.admin.clearFaults()
  })

  it('hold then addMedia back to back: the hold completes, then addMedia is refused (call:6, the call is held); both sides agree', async () => {
    const { alice, bob, callerCall, calleeCall } = await connectedPair(harness(), { audio: true })
    await alice.run((client, id) => {
      client.call.hold(id)
      client.call.addMedia(id, { video: true })
    }, callerCall)
    const refused = await alice.waitFor('call:newMedia', { callId: callerCall })
    expect(refused.payload.error).to.deep.include({ code: 'call:6' })
    const held = await alice.waitFor('call:stateChange', { callId: callerCall, previous: { state: 'Connected' } })
    expect(held.index).to.be.lessThan(refused.index)
    await bob.until((client, id) => client.call.getById(id)?.remoteHold === true, calleeCall)
    expect(await viewOf(alice, callerCall)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false, local: ['audio'], remote: [] })
    expect(await viewOf(bob, calleeCall)).to.deep.equal({ state: 'On Hold', localHold: false, remoteHold: true, local: ['audio'], remote: [] })
    expect((await alice.events('call:newTrack')).filter((event) => event.payload.local === true)).to.have.length(1)
    expect(await stopped(bob, calleeCall)).to.equal(true)

    await alice.run((client, id) => client.call.unhold(id), callerCall)
    await bob.until((client, id) => client.call.getById(id)?.state === 'Connected', calleeCall)
    // Bob is Connected once he answered the re-offer; Alice once that answer reached her.
    await alice.until((client, id) => client.call.getById(id)?.state === 'Connected', callerCall)
    expect(await viewOf(alice, callerCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false, local: ['audio'], remote: ['audio'] })
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal({ audio: true })
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal({ audio: true })
  })

  it('addMedia then hold back to back: video is added, then the call is held; unhold brings both kinds back', async () => {
    const { alice, bob, callerCall, calleeCall } = await connectedPair(harness(), { audio: true })
    await alice.run((client, id) => {
      client.call.addMedia(id, { video: true })
      client.call.hold(id)
    }, callerCall)
    const added = await alice.waitFor('call:newMedia', { callId: callerCall })
    expect(added.payload.error).to.equal(undefined)
    const held = await alice.waitFor('call:stateChange', { callId: callerCall, previous: { state: 'Connected' } })
    expect(held.payload.error).to.equal(undefined)
    expect(added.index).to.be.lessThan(held.index)
    await bob.until((client, id) => client.call.getById(id)?.remoteHold === true, calleeCall)
    expect(await viewOf(alice, callerCall)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false, local: ['audio', 'video'], remote: [] })
    expect(await viewOf(bob, calleeCall)).to.deep.equal({ state: 'On Hold', localHold: false, remoteHold: true, local: ['audio'], remote: [] })
    expect(await stopped(bob, calleeCall)).to.equal(true)

    await alice.run((client, id) => client.call.unhold(id), callerCall)
    await bob.until((client, id) => client.call.getById(id)?.state === 'Connected', calleeCall)
    expect(await viewOf(bob, calleeCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false, local: ['audio'], remote: ['audio', 'video'] })
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal({ audio: true, video: true })
  })

  it('both sides hold at once (glare): one offer gets 409, is rolled back and retried after the other; both end in dual hold', async () => {
    const alice = await harness().open('alice@example.com', { config: { logs: { logLevel: 'info' } } })
    const bob = await harness().open('bob@example.com', { config: { logs: { logLevel: 'info' } } })
    const glares: string[] = []
    for (const user of [alice, bob]) user.page.on('console', (message) => message.text().includes('glare') && glares.push(user.userId))
    const { callerCall, calleeCall } = await connect(alice, bob, { audio: true, video: true })
    // Both offers are held on the platform until both are in, then go on together: the second to be served meets the first.
    for (const [user, callId] of [[alice, callerCall], [bob, calleeCall]] as const) await harness().platform.admin.delay(400, await updatePath(user, callId))
    const timers = clock.pending()
    await Promise.all([alice.run((client, id) => client.call.hold(id), callerCall), bob.run((client, id) => client.call.hold(id), calleeCall)])
    await until(() => clock.pending() >= timers + 2, 'both offers held on the platform')
    clock.advance(400)
    // Cleared before the losing side can retry its offer: the retry goes through at once.
    await harness().platform.admin.clearFaults()
    for (const [user, callId] of [[alice, callerCall], [bob, calleeCall]] as const)
      await user.until((client, id) => client.call.getById(id)?.localHold === true && client.call.getById(id)?.remoteHold === true, callId, 20000)
    expect(glares, 'exactly one side met glare').to.have.length(1)
    for (const [user, callId] of [[alice, callerCall], [bob, calleeCall]] as const) {
      expect(await viewOf(user, callId), user.userId).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: true, local: ['audio', 'video'], remote: [] })
      expect(await peerOf(user), user.userId).to.deep.equal({ signalling: 'stable', directions: ['inactive', 'inactive'] })
      const errors = (await user.events('call:stateChange')).filter((event) => event.payload.error !== undefined)
      expect(errors, user.userId).to.deep.equal([])
      expect(await stopped(user, callId), user.userId).to.equal(true)
    }

    await Promise.all([alice.run((client, id) => client.call.unhold(id), callerCall), bob.run((client, id) => client.call.unhold(id), calleeCall)])
    for (const [user, callId] of [[alice, callerCall], [bob, calleeCall]] as const)
      await user.until((client, id) => client.call.getById(id)?.state === 'Connected', callId, 20000)
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal({ audio: true, video: true })
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal({ audio: true, video: true })
  })

  for (const side of ['caller', 'callee'] as const)
    it(`a failed hold by the ${side} of an audio and video call leaves both kinds flowing both ways (the rolled-back inactive offer stops nothing)`, async () => {
      const pair = await connectedPair(harness(), { audio: true, video: true })
      const [holder, holderCall, other, otherCall] =
        side === 'caller' ? [pair.alice, pair.callerCall, pair.bob, pair.calleeCall] : [pair.bob, pair.calleeCall, pair.alice, pair.callerCall]
      expect(await inboundRising(other, otherCall, true)).to.deep.equal({ audio: true, video: true })

      await harness().platform.admin.fail({ prefix: await updatePath(holder, holderCall), count: 1, status: 503 })
      await holder.run((client, id) => client.call.hold(id), holderCall)
      await holder.waitFor('call:stateChange', { callId: holderCall, error: { name: 'BasicError' } })
      expect(await peerOf(holder)).to.deep.equal({ signalling: 'stable', directions: ['sendrecv', 'sendrecv'] })
      expect(await inboundRising(other, otherCall, true), 'what the holder sends').to.deep.equal({ audio: true, video: true })
      expect(await inboundRising(holder, holderCall, true), 'what the holder receives').to.deep.equal({ audio: true, video: true })
    })

  it('a far end whose answer to a hold the platform refuses: it sends as before (its answer is undone); once the hold fails, media flows both ways', async () => {
    const { alice, bob, callerCall, calleeCall } = await connectedPair(harness(), { audio: true, video: true })
    const answerPath = (await updatePath(bob, calleeCall)).replace(/\/update$/, '/answer')
    await harness().platform.admin.fail({ prefix: answerPath, count: 1, status: 503 })
    await alice.run((client, id) => client.call.hold(id), callerCall)
    await bob.waitFor('call:stateChange', { callId: calleeCall, error: { name: 'BasicError' } })
    expect(await viewOf(bob, calleeCall)).to.deep.include({ state: 'Connected', localHold: false, remoteHold: false })
    expect(await peerOf(bob)).to.deep.equal({ signalling: 'stable', directions: ['sendrecv', 'sendrecv'] })
    // Measured where Bob sends: Alice, her inactive offer set, may stop receiving before it fails.
    expect(await rtpRising(bob, calleeCall, 'outbound', true), 'what bob sends').to.deep.equal({ audio: true, video: true })
    // Alice's hold waits for an answer that will not come; once it fails she is back where Bob is.
    await alice.waitFor('call:stateChange', { callId: callerCall, error: { name: 'BasicError' } }, { timeout: 30000 })
    expect(await viewOf(alice, callerCall)).to.deep.include({ state: 'Connected', localHold: false, remoteHold: false })
    expect(await inboundRising(alice, callerCall, true), 'what alice receives').to.deep.equal({ audio: true, video: true })
    expect(await inboundRising(bob, calleeCall, true), 'what bob receives').to.deep.equal({ audio: true, video: true })
  })

  it('a failed hold or addMedia (the platform refuses the update) leaves the call as it was, with a BasicError; the next try works', async () => {
    const { alice, bob, callerCall, calleeCall } = await connectedPair(harness(), { audio: true })
    const path = await updatePath(alice, callerCall)
    const bobEvents = (await bob.events()).length - 1

    await harness().platform.admin.fail({ prefix: path, count: 1, status: 503 })
    await alice.run((client, id) => client.call.hold(id), callerCall)
    const failedHold = await alice.waitFor('call:stateChange', { callId: callerCall, error: { name: 'BasicError' } })
    expect(failedHold.payload.previous).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    expect(await viewOf(alice, callerCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false, local: ['audio'], remote: ['audio'] })
    expect(await peerOf(alice)).to.deep.equal({ signalling: 'stable', directions: ['sendrecv'] })

    await harness().platform.admin.fail({ prefix: path, count: 1, status: 503 })
    await alice.run((client, id) => client.call.addMedia(id, { video: true }), callerCall)
    const failedAdd = await alice.waitFor('call:newMedia', { callId: callerCall, error: { name: 'BasicError' } })
    expect(failedAdd.payload.tracks).to.deep.equal([])
    const added = (await alice.events('call:newTrack')).filter((event) => event.payload.local === true).at(-1)
    await alice.waitFor('call:trackEnded', { callId: callerCall, local: true, trackId: added?.payload.trackId })
    expect(await viewOf(alice, callerCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false, local: ['audio'], remote: ['audio'] })
    // The failed video transceiver stays as an inactive spare without track, for the next video to reuse.
    expect(await peerOf(alice)).to.deep.equal({ signalling: 'stable', directions: ['sendrecv', 'inactive'] })
    expect(await alice.run((_client, _arg, { peers }) => peers.at(-1)?.getTransceivers()[1]?.sender.track ?? null)).to.equal(null)

    await alice.run((client, id) => client.call.addMedia(id, { video: true, videoOptions: { deviceId: { exact: 'no-such-camera' } } }), callerCall)
    const noCamera = await alice.waitFor('call:newMedia', { callId: callerCall, error: { code: 'call:4' } })
    expect(noCamera.index).to.be.greaterThan(failedAdd.index)
    expect((await bob.events()).slice(bobEvents + 1).filter((event) => event.type.startsWith('call:') && event.type !== 'call:statsReceived')).to.deep.equal([])
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal({ audio: true })
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal({ audio: true })

    await alice.run((client, id) => client.call.addMedia(id, { video: true }), callerCall)
    expect((await alice.waitFor('call:newMedia', { callId: callerCall, error: undefined })).payload.tracks).to.have.length(1)
    expect(await inboundRising(bob, calleeCall, true), 'the new video reaches the far end').to.deep.equal({ audio: true, video: true })
    await alice.run((client, id) => client.call.hold(id), callerCall)
    await bob.until((client, id) => client.call.getById(id)?.remoteHold === true, calleeCall)
    expect(await viewOf(bob, calleeCall)).to.deep.equal({ state: 'On Hold', localHold: false, remoteHold: true, local: ['audio'], remote: [] })
    expect(await peerOf(alice)).to.deep.equal({ signalling: 'stable', directions: ['inactive', 'inactive'] })
    expect(await alice.run((_client, _arg, { peers }) => peers.at(-1)?.getTransceivers().length), 'the spare was reused').to.equal(2)
  })
})
