import { expect } from 'chai'
import { useHarness } from '../harness.js'
import { connect, connectedPair, openPair } from './steps.js'

describe('calls in Chromium: media (render, mute, stats, devices)', function () {
  this.timeout(60000)
  const harness = useHarness()

  it('lists the fake devices, labels included after media was granted', async () => {
    const { alice } = await connectedPair(harness(), { audio: true, video: true })
    const devices = await alice.until((client) => {
      const found = client.media.getDevices()
      return found.camera.length > 0 && found.camera.every((device) => device.label !== '') ? found : false
    })
    expect(devices.camera[0]).to.include.keys('deviceId', 'groupId', 'kind', 'label')
    expect(devices.camera.every((device) => device.kind === 'videoinput')).to.equal(true)
    expect(devices.microphone.length).to.be.greaterThan(0)
    expect(devices.speaker.every((device) => device.kind === 'audiooutput')).to.equal(true)
    expect((await alice.events('devices:change')).length).to.be.greaterThan(0)
  })

  it('renders remote and local tracks in containers, playing; removes them again', async () => {
    const { alice, callerCall } = await connectedPair(harness(), { audio: true, video: true })
    const call = await alice.run((client, id) => client.call.getById(id), callerCall)
    const remote = call?.remoteTracks ?? []
    const local = call?.localTracks ?? []
    await alice.run((client, { r, l }) => {
      client.media.renderTracks(r, '#remote')
      // An unknown id is skipped (logged), the tracks after it still rendered.
      client.media.renderTracks(['not-a-track', ...l], '#local')
    }, { r: remote, l: local })

    const rendered = await alice.until(() => {
      const elements = [...document.querySelectorAll<HTMLMediaElement>('#remote > *')]
      const video = elements.find((element): element is HTMLVideoElement => element instanceof HTMLVideoElement)
      return video !== undefined && video.videoWidth > 0 && !video.paused
        ? elements.map((element) => ({ tag: element.tagName, track: (element.srcObject as MediaStream).getTracks()[0]?.id, muted: element.muted }))
        : false
    })
    expect(rendered.map((element) => element.tag).sort()).to.deep.equal(['AUDIO', 'VIDEO'])
    expect(rendered.map((element) => element.track).sort()).to.deep.equal([...remote].sort())
    expect(rendered.every((element) => !element.muted)).to.equal(true)
    const localElements = await alice.run(() => [...document.querySelectorAll<HTMLMediaElement>('#local > *')].map((element) => element.muted))
    expect(localElements).to.deep.equal([true, true])
    // Inline on phones (iOS plays a video without playsinline full screen).
    expect(await alice.run(() => document.querySelector('#remote video')?.hasAttribute('playsinline'))).to.equal(true)

    // Rendering them again (in another order) keeps one element per track: the same elements, where they were.
    const elementsOf = () =>
      alice.run(() => [...document.querySelectorAll<HTMLMediaElement & { first?: true }>('#remote > *')].map((element) => [element.tagName, element.first === true]))
    await alice.run(() => document.querySelectorAll<HTMLMediaElement & { first?: true }>('#remote > *').forEach((element) => void (element.first = true)))
    const placed = await elementsOf()
    await alice.run((client, r) => client.media.renderTracks([...r].reverse(), '#remote'), remote)
    expect(await elementsOf()).to.deep.equal(placed)

    const tracks = await alice.run((client, ids) => ids.map((id) => client.media.getTrackById(id)), remote)
    for (const track of tracks) {
      expect(track).to.include({ state: 'live', muted: false, disabled: false })
      expect(track?.containers).to.deep.equal(['#remote'])
      expect(track?.streamId).to.be.a('string')
      expect(track?.label).to.be.a('string')
    }
    const mediaObject = await alice.run((client, id) => client.media.getById(id), tracks[0]?.streamId ?? '')
    expect(mediaObject?.local).to.equal(false)
    expect([...(mediaObject?.tracks ?? [])].sort()).to.deep.equal([...remote].sort())

    // Removed (an unknown id first changes nothing), an element no longer holds its track, even where the app kept it.
    await alice.run(() => void ((window as unknown as { kept?: HTMLMediaElement | null }).kept = document.querySelector<HTMLMediaElement>('#remote video')))
    await alice.run((client, r) => client.media.removeTracks(['not-a-track', ...r], '#remote'), remote)
    expect(await alice.run(() => document.querySelectorAll('#remote > *').length)).to.equal(0)
    expect(await alice.run(() => (window as unknown as { kept?: HTMLMediaElement | null }).kept?.srcObject)).to.equal(null)
    expect(await alice.run((client, ids) => ids.map((id) => client.media.getTrackById(id)?.containers), remote)).to.deep.equal([[], []])
    expect(await alice.run(() => document.querySelectorAll('#local > *').length)).to.equal(2)
  })

  it('renders a track in a container and in one inside it: each keeps its own element, and removing from one leaves the other', async () => {
    const { alice, callerCall } = await connectedPair(harness(), { audio: true })
    const remote = await alice.run((client, id) => client.call.getById(id)?.remoteTracks ?? [], callerCall)
    await alice.run(() => void document.body.insertAdjacentHTML('beforeend', '<div id="stage"><div id="thumbnail"></div></div>'))
    const held = () =>
      alice.run(() =>
        ['#stage', '#thumbnail'].map((selector) => [...(document.querySelector(selector)?.children ?? [])].filter((child) => child instanceof HTMLMediaElement).length),
      )
    await alice.run((client, r) => client.media.renderTracks(r, '#thumbnail'), remote)
    await alice.run((client, r) => client.media.renderTracks(r, '#stage'), remote)
    expect(await held()).to.deep.equal([1, 1])
    expect(await alice.run((client, id) => client.media.getTrackById(id)?.containers, remote[0]!)).to.deep.equal(['#thumbnail', '#stage'])

    await alice.run((client, r) => client.media.removeTracks(r, '#stage'), remote)
    expect(await held()).to.deep.equal([0, 1])
    expect(await alice.run((client, id) => client.media.getTrackById(id)?.containers, remote[0]!)).to.deep.equal(['#thumbnail'])
  })

  it('renders in and removes from a container given as an element, as the original SDK takes it besides a selector', async () => {
    const { alice, callerCall } = await connectedPair(harness(), { audio: true })
    const remote = await alice.run((client, id) => client.call.getById(id)?.remoteTracks ?? [], callerCall)
    await alice.run(() => void document.body.insertAdjacentHTML('beforeend', '<div id="tile"></div>'))
    const held = () => alice.run(() => [...(document.querySelector('#tile')?.children ?? [])].filter((child) => child instanceof HTMLMediaElement).length)
    await alice.run((client, r) => client.media.renderTracks(r, document.querySelector('#tile')!), remote)
    expect(await held()).to.equal(1)
    expect(await alice.run((client, id) => client.media.getTrackById(id)?.containers.map((container) => (typeof container === 'string' ? container : container.id)), remote[0]!)).to.deep.equal(['tile'])
    // The list is the app's copy: emptying it leaves the track rendered where it is.
    await alice.run((client, id) => void ((client.media.getTrackById(id)?.containers ?? []) as unknown[]).splice(0), remote[0]!)
    expect(await alice.run((client, id) => client.media.getTrackById(id)?.containers.length, remote[0]!)).to.equal(1)

    await alice.run((client, r) => client.media.removeTracks(r, document.querySelector('#tile')!), remote)
    expect(await held()).to.equal(0)
    expect(await alice.run((client, id) => client.media.getTrackById(id)?.containers.length, remote[0]!)).to.equal(0)
  })

  it('plays audio on a chosen speaker where setSinkId exists', async () => {
    const { alice, callerCall } = await connectedPair(harness(), { audio: true })
    const speaker = await alice.until((client) => client.media.getDevices().speaker.find((device) => device.deviceId !== 'default')?.deviceId ?? false)
    const remote = await alice.run((client, id) => client.call.getById(id)?.remoteTracks ?? [], callerCall)
    await alice.run((client, { r, s }) => client.media.renderTracks(r, '#remote', { speakerId: s }), { r: remote, s: speaker })
    const sink = await alice.until(() => (document.querySelector('#remote audio') as (HTMLAudioElement & { sinkId: string }) | null)?.sinkId || false)
    expect(sink).to.equal(speaker)
  })

  it('mutes and unmutes tracks: media:muted / media:unmuted, the track disabled at its source, the remote side hears silence', async () => {
    const { alice, bob } = await openPair(harness())
    // With a fake camera running, Chromium's fake microphone beeps (with audio alone it is silent).
    const { callerCall, calleeCall } = await connect(alice, bob, { audio: true, video: true })
    const local = await alice.run(
      (client, id) => (client.call.getById(id)?.localTracks ?? []).filter((trackId) => client.media.getTrackById(trackId)?.kind === 'audio'),
      callerCall,
    )

    // What Bob hears of Alice: the audio energy of his inbound audio over a one-second window.
    // The energy is measured at playout, so Bob plays the remote tracks (rendered in #remote).
    const remote = await bob.run((client, id) => client.call.getById(id)?.remoteTracks ?? [], calleeCall)
    await bob.run((client, ids) => client.media.renderTracks(ids, '#remote'), remote)
    const heard = async (): Promise<number> => {
      const energy = async () => (await bob.rtp(calleeCall)).inbound.find((stream) => stream.kind === 'audio')?.audioEnergy ?? 0
      const first = await energy()
      await new Promise((resolve) => setTimeout(resolve, 1000))
      return (await energy()) - first
    }
    /** The first window's figure that passes, or the last one seen (a change takes a moment to reach the far end). */
    const settles = async (passes: (value: number) => boolean): Promise<number> => {
      let value = await heard()
      for (let tries = 0; tries < 5 && !passes(value); tries += 1) value = await heard()
      return value
    }
    expect(await settles((value) => value > 1e-3)).to.be.greaterThan(1e-3)

    await alice.run((client, ids) => client.media.muteTracks(ids), local)
    const muted = await alice.waitFor('media:muted')
    expect(muted.payload).to.deep.equal({ tracks: local })
    expect(await alice.run((client, ids) => ids.map((id) => client.media.getTrackById(id)?.muted), local)).to.deep.equal([true])
    expect(await alice.run((_client, _arg, { peers }) => peers.at(-1)?.getSenders().map((sender) => [sender.track?.kind, sender.track?.enabled]))).to.deep.include(['audio', false])
    expect(await settles((value) => value < 1e-5)).to.be.lessThan(1e-5)

    await alice.run((client, ids) => client.media.unmuteTracks(ids), local)
    expect((await alice.waitFor('media:unmuted')).payload).to.deep.equal({ tracks: local })
    expect(await alice.run((client, ids) => ids.map((id) => client.media.getTrackById(id)?.muted), local)).to.deep.equal([false])
    expect(await settles((value) => value > 1e-3)).to.be.greaterThan(1e-3)
  })

  it('getStats for the call and for one track: call:statsReceived with an RTCStatsReport; a foreign track id is refused', async () => {
    const { alice, callerCall } = await connectedPair(harness(), { audio: true, video: true })
    await alice.expectMediaFlowing(callerCall)
    const result = await alice.run(async (client, id) => {
      const call = client.call.getById(id)
      const videoTrack = call?.remoteTracks.find((trackId) => client.media.getTrackById(trackId)?.kind === 'video') ?? ''
      const next = () =>
        new Promise<{ trackId?: string; error?: { code: string }; result?: RTCStatsReport }>((resolve) => {
          const done = (payload: unknown) => {
            const event = payload as { callId: string; trackId?: string; error?: { code: string }; result?: RTCStatsReport }
            if (event.callId !== id) return
            client.off('call:statsReceived', done)
            resolve(event)
          }
          client.on('call:statsReceived', done)
        })
      const whole = next()
      client.call.getStats(id)
      const all = await whole
      const one = next()
      client.call.getStats(id, videoTrack)
      const video = await one
      const foreign = next()
      client.call.getStats(id, 'not-a-track')
      const refused = await foreign
      const types = (report: RTCStatsReport | undefined) => {
        const found: string[] = []
        report?.forEach((stat: { type: string; kind?: string }) => found.push(stat.kind === undefined ? stat.type : `${stat.type}:${stat.kind}`))
        return found
      }
      return {
        all: { trackId: all.trackId ?? null, types: types(all.result), error: all.error ?? null },
        video: { trackId: video.trackId, types: types(video.result), videoTrack },
        refused: { code: refused.error?.code, hasResult: refused.result !== undefined },
      }
    }, callerCall)
    expect(result.all.error).to.equal(null)
    expect(result.all.trackId).to.equal(null)
    expect(result.all.types).to.include.members(['inbound-rtp:audio', 'inbound-rtp:video', 'outbound-rtp:audio', 'outbound-rtp:video', 'transport'])
    expect(result.video.trackId).to.equal(result.video.videoTrack)
    expect(result.video.types).to.include('inbound-rtp:video')
    expect(result.video.types).to.not.include('inbound-rtp:audio')
    expect(result.refused).to.deep.equal({ code: 'call:7', hasResult: false })
  })
})
