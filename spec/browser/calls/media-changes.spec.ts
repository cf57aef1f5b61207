import { expect } from 'chai'
import { useHarness, type UserPage } from '../harness.js'
import { connectedPair, inboundRising } from './steps.js'

/** The call's tracks of one kind on a page (local or remote). */
const tracksOf = (user: UserPage, callId: string, side: 'localTracks' | 'remoteTracks', kind: string) =>
  user.run(
    (client, { id, list, wanted }) => (client.call.getById(id)?.[list] ?? []).filter((trackId) => client.media.getTrackById(trackId)?.kind === wanted),
    { id: callId, list: side, wanted: kind },
  )

/** The width of the video the page receives on its newest peer connection (0 before the first frame). */
const receivedWidth = (user: UserPage) =>
  user.run(async (_client, _arg, { peers }) => {
    let width = 0
    ;(await peers.at(-1)!.getStats()).forEach((stat: { type: string; kind?: string; frameWidth?: number }) => {
      if (stat.type === 'inbound-rtp' && stat.kind === 'video') width = stat.frameWidth ?? 0
    })
    return width
  })

/** Polls `read` (in Node) until `passes`, for up to 10 s; returns the last value. */
async function eventually<T>(read: () => Promise<T>, passes: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10000
  let value = await read()
  while (!passes(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    value = await read()
  }
  return value
}

describe('calls in Chromium: adding, removing and replacing media (protocol/calls.md §7, §8, §13)', function () {
  this.timeout(90000)
  const harness = useHarness()

  it('addMedia: video added to an audio call; call:newTrack on both sides, call:newMedia locally; then the far end adds its video too', async () => {
    const { alice, bob, callerCall, calleeCall } = await connectedPair(harness(), { audio: true })
    const bobEvents = (await bob.events()).length - 1

    await alice.run((client, id) => client.call.addMedia(id, { video: true }, { bandwidth: { video: 800 } }), callerCall)
    const added = await alice.waitFor('call:newMedia', { callId: callerCall })
    const [aliceVideo] = await tracksOf(alice, callerCall, 'localTracks', 'video')
    expect(added.payload).to.deep.include({ error: undefined, local: true, tracks: [aliceVideo] })
    expect(added.payload.mediaId).to.equal(await alice.run((client, id) => client.media.getTrackById(id)?.streamId, aliceVideo ?? ''))
    expect(await alice.run((client, id) => client.call.getById(id)?.bandwidth, callerCall)).to.deep.equal({ audio: 5000, video: 800 })
    const localNew = await alice.waitFor('call:newTrack', { callId: callerCall, local: true, trackId: aliceVideo })
    expect(localNew.index).to.be.lessThan(added.index)
    // The offer as the far end applied it: the new bandwidth (Chromium renders b=TIAS only), and candidates for the new m-line.
    const offered = (await bob.run((_client, _arg, { peers }) => peers.at(-1)?.remoteDescription?.sdp ?? '')).split('m=video')[1] ?? ''
    expect(offered).to.match(/b=TIAS:800000/)
    expect(offered).to.match(/a=candidate:/)

    const [bobRemoteVideo] = await bob.until((client, id) => {
      const call = client.call.getById(id)
      const video = (call?.remoteTracks ?? []).filter((trackId) => client.media.getTrackById(trackId)?.kind === 'video')
      return video.length === 1 ? video : false
    }, calleeCall)
    const remoteNew = await bob.waitFor('call:newTrack', { callId: calleeCall, local: false, trackId: bobRemoteVideo }, { after: bobEvents })
    expect(remoteNew.payload.id).to.be.a('string')
    expect(await bob.run((client, id) => client.call.getById(id)?.state, calleeCall)).to.equal('Connected')
    expect((await bob.events('call:newMedia')).length, 'newMedia is local only').to.equal(0)
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal({ audio: true, video: true })
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal({ audio: true })

    await bob.run((client, id) => client.call.addMedia(id, { video: true }), calleeCall)
    await bob.waitFor('call:newMedia', { callId: calleeCall, error: undefined })
    await alice.until((client, id) => (client.call.getById(id)?.remoteTracks.length ?? 0) === 2, callerCall)
    expect(await tracksOf(alice, callerCall, 'remoteTracks', 'video')).to.have.length(1)
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal({ audio: true, video: true })
    expect(await alice.run((_client, _arg, { peers }) => peers.at(-1)?.getTransceivers().length)).to.equal(2)
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('removeMedia: the video track stops; call:trackEnded on both sides, call:removedMedia locally; the other direction keeps flowing', async () => {
    const { alice, bob, callerCall, calleeCall } = await connectedPair(harness(), { audio: true, video: true })
    const [aliceVideo] = await tracksOf(alice, callerCall, 'localTracks', 'video')
    const [bobRemoteVideo] = await tracksOf(bob, calleeCall, 'remoteTracks', 'video')
    const kept = await alice.run((_client, trackId, { peers }) => {
      const track = peers.at(-1)?.getSenders().find((sender) => sender.track?.id === trackId)?.track
      ;(window as unknown as { __removed?: MediaStreamTrack }).__removed = track ?? undefined
      return track?.readyState
    }, aliceVideo)
    expect(kept).to.equal('live')

    await alice.run((client, { id, track }) => client.call.removeMedia(id, [track]), { id: callerCall, track: aliceVideo ?? '' })
    const removed = await alice.waitFor('call:removedMedia', { callId: callerCall })
    expect(removed.payload).to.deep.equal({ callId: callerCall, error: undefined, local: true, tracks: [aliceVideo] })
    const ended = await alice.waitFor('call:trackEnded', { callId: callerCall, local: true, trackId: aliceVideo })
    expect(ended.index).to.be.lessThan(removed.index)
    expect(await alice.run(() => (window as unknown as { __removed?: MediaStreamTrack }).__removed?.readyState)).to.equal('ended')
    expect(await alice.run((client, id) => client.media.getTrackById(id)?.state, aliceVideo ?? '')).to.equal('ended')
    expect(await tracksOf(alice, callerCall, 'localTracks', 'video')).to.deep.equal([])

    await bob.waitFor('call:trackEnded', { callId: calleeCall, local: false, trackId: bobRemoteVideo })
    expect(await tracksOf(bob, calleeCall, 'remoteTracks', 'video')).to.deep.equal([])
    expect(await bob.run((client, id) => client.call.getById(id)?.remoteTracks.length, calleeCall)).to.equal(1)
    const bobReceives = await inboundRising(bob, calleeCall, false, { tries: 1 })
    expect(bobReceives.video, 'bob no longer receives video').to.not.equal(true)
    expect(await inboundRising(bob, calleeCall, true).then((rising) => rising.audio)).to.equal(true)
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal({ audio: true, video: true })
    expect(await alice.run((client, id) => client.call.getById(id)?.state, callerCall)).to.equal('Connected')

    await alice.run((client, id) => client.call.removeMedia(id, ['not-a-track']), callerCall)
    const refused = await alice.waitFor('call:removedMedia', { callId: callerCall, error: { code: 'call:7' } })
    expect(refused.payload.tracks).to.deep.equal([])
    await alice.run((client, id) => client.call.removeMedia(id, []), callerCall)
    await alice.waitFor('call:removedMedia', { callId: callerCall, error: { code: 'call:7' } }, { after: refused.index })
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('replaceTrack: a video track from other constraints replaces the old one on its sender without renegotiation; call:trackReplaced here only', async () => {
    const { alice, bob, callerCall, calleeCall } = await connectedPair(harness(), { audio: true, video: true })
    const [oldVideo] = await tracksOf(alice, callerCall, 'localTracks', 'video')
    const sdpBefore = await alice.run((_client, _arg, { peers }) => [peers.at(-1)?.localDescription?.sdp, peers.at(-1)?.remoteDescription?.sdp])
    const bobEvents = (await bob.events()).length - 1

    await alice.run(
      (client, { id, track }) => client.call.replaceTrack(id, track, { video: true, videoOptions: { width: { exact: 320 }, height: { exact: 240 } } }),
      { id: callerCall, track: oldVideo ?? '' },
    )
    const replaced = await alice.waitFor('call:trackReplaced', { callId: callerCall })
    const newVideo = String(replaced.payload.newTrackId)
    expect(replaced.payload.error).to.equal(undefined)
    expect(newVideo).to.not.equal(oldVideo)
    // As the original SDK: the old track as it was when replaced, and call:trackEnded for it just before.
    expect(replaced.payload.oldTrack).to.deep.include({ id: oldVideo, kind: 'video', state: 'live' })
    const ended = (await alice.events('call:trackEnded')).filter((event) => event.payload.callId === callerCall)
    expect(ended.map((event) => [event.payload.trackId, event.payload.local, event.index + 1 === replaced.index])).to.deep.equal([[oldVideo, true, true]])
    expect(await tracksOf(alice, callerCall, 'localTracks', 'video')).to.deep.equal([newVideo])
    const sender = await alice.run((_client, _arg, { peers }) => {
      const found = peers.at(-1)?.getSenders().find((candidate) => candidate.track?.kind === 'video')
      return { id: found?.track?.id, width: found?.track?.getSettings().width, signalling: peers.at(-1)?.signalingState, count: peers.length }
    })
    expect(sender).to.deep.equal({ id: newVideo, width: 320, signalling: 'stable', count: 1 })
    expect(await alice.run((_client, _arg, { peers }) => [peers.at(-1)?.localDescription?.sdp, peers.at(-1)?.remoteDescription?.sdp])).to.deep.equal(sdpBefore)
    expect((await alice.events('call:newTrack')).filter((event) => event.payload.trackId === newVideo), 'no call:newTrack for a replacement').to.deep.equal([])

    // The far end sees the new track's frames on the same receiver, and no event at all.
    expect(await eventually(() => receivedWidth(bob), (width) => width === 320)).to.equal(320)
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal({ audio: true, video: true })
    expect((await bob.events()).slice(bobEvents + 1).filter((event) => event.type.startsWith('call:') && event.type !== 'call:statsReceived')).to.deep.equal([])

    const [audio] = await tracksOf(alice, callerCall, 'localTracks', 'audio')
    await alice.run((client, { id, track }) => client.call.replaceTrack(id, track, { video: true }), { id: callerCall, track: audio ?? '' })
    const wrongKind = await alice.waitFor('call:trackReplaced', { callId: callerCall, error: { code: 'call:4' } })
    expect(wrongKind.payload).to.deep.include({ newTrackId: undefined, oldTrack: undefined })
    await alice.run((client, id) => client.call.replaceTrack(id, 'not-a-track', { video: true }), callerCall)
    await alice.waitFor('call:trackReplaced', { callId: callerCall, error: { code: 'call:7' } }, { after: wrongKind.index })
    expect(await alice.run((client, id) => client.call.getById(id)?.localTracks.length, callerCall)).to.equal(2)
    expect(await alice.run((client, id) => client.media.getTrackById(id)?.state, audio ?? '')).to.equal('live')
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })
})
