import { expect } from 'chai'
import { useHarness, type UserPage } from '../harness.js'
import { connect, connectedPair, openPair } from './steps.js'

/** Records each SDP handler call as `[type, endpoint, bandwidth]` in `window.__sdpSeen`, then adds the configured handlers. */
const installHandlers = (user: UserPage, removeCodecs: string[], removeH264Codecs = true): Promise<void> =>
  user.run(
    (client, { codecs, h264 }) => {
      const seen: unknown[] = []
      ;(window as unknown as { __sdpSeen: unknown[] }).__sdpSeen = seen
      client.updateConfig({
        call: {
          removeH264Codecs: h264,
          sdpHandlers: [
            (sdp, info, original) => {
              seen.push([info.type, info.endpoint, info.bandwidth ?? null, original.media.map((media) => media.type)])
              return sdp
            },
            window.Kandy.sdpHandlers.createCodecRemover(codecs),
          ],
        },
      })
    },
    { codecs: removeCodecs, h264: removeH264Codecs },
  )

/** The codec names of each m-section of the newest peer connection's remote description. */
const remoteCodecs = (user: UserPage): Promise<Record<string, string[]>> =>
  user.run((_client, _arg, { peers }) => {
    const sdp = peers.at(-1)?.remoteDescription?.sdp ?? ''
    const sections = sdp.split(/\r\nm=/).slice(1)
    return Object.fromEntries(
      sections.map((section) => [section.split(' ')[0] ?? '', [...section.matchAll(/a=rtpmap:\d+ ([^/]+)\//g)].map((match) => match[1] ?? '')]),
    )
  })

const remoteBandwidth = (user: UserPage): Promise<Record<string, string[]>> =>
  user.run((_client, _arg, { peers }) => {
    const sdp = peers.at(-1)?.remoteDescription?.sdp ?? ''
    return Object.fromEntries(sdp.split(/\r\nm=/).slice(1).map((section) => [section.split(' ')[0] ?? '', section.match(/b=[A-Z]+:\d+/g) ?? []]))
  })

const inboundVideoCodec = (user: UserPage, callId: string): Promise<string | undefined> =>
  user.run(async (_client, _id, { peers }) => {
    const report = await (peers.at(-1) as RTCPeerConnection).getStats()
    let codecId: string | undefined
    report.forEach((stat: Record<string, unknown>) => {
      if (stat.type === 'inbound-rtp' && stat.kind === 'video') codecId = stat.codecId as string
    })
    return codecId === undefined ? undefined : (report.get(codecId) as { mimeType?: string } | undefined)?.mimeType
  }, callId)

describe('calls in Chromium: the SDP pipeline shapes what is negotiated', function () {
  this.timeout(60000)
  const harness = useHarness()

  it('application handlers see (newSdp, info, originalSdp) for every description; the codec remover and the H264 remover shape both sides', async () => {
    const { alice, bob } = await openPair(harness())
    await installHandlers(alice, ['VP9', 'AV1'])
    await installHandlers(bob, [])
    const { callerCall, calleeCall } = await connect(alice, bob, { audio: true, video: true }, { bandwidth: { audio: 64, video: 500 } })
    await alice.expectMediaFlowing(callerCall)
    await bob.expectMediaFlowing(calleeCall)

    // Alice's offer as Bob applied it: no H264 (default remover), no VP9 / AV1 (Alice's remover).
    const offered = await remoteCodecs(bob)
    expect(offered.video).to.include('VP8')
    for (const removed of ['H264', 'VP9', 'AV1']) expect(offered.video, removed).to.not.include(removed)
    expect(offered.audio).to.include('opus')
    // Bob's answer as Alice applied it: only what was offered.
    const answered = await remoteCodecs(alice)
    for (const removed of ['H264', 'VP9', 'AV1']) expect(answered.video, removed).to.not.include(removed)
    expect(await inboundVideoCodec(alice, callerCall)).to.equal('video/VP8')
    expect(await inboundVideoCodec(bob, calleeCall)).to.equal('video/VP8')

    // The caller's bandwidth options reach the callee in the offer; the callee's defaults (5000) in the answer.
    const toBob = await remoteBandwidth(bob)
    expect(toBob.audio).to.include('b=TIAS:64000')
    expect(toBob.video).to.include('b=TIAS:500000')
    const toAlice = await remoteBandwidth(alice)
    expect(toAlice.video).to.include('b=TIAS:5000000')
    expect(await alice.run((client, id) => client.call.getById(id)?.bandwidth, callerCall)).to.deep.equal({ audio: 64, video: 500 })

    const seen = (user: UserPage) => user.run(() => (window as unknown as { __sdpSeen: unknown[] }).__sdpSeen)
    expect(await seen(alice)).to.deep.equal([
      ['offer', 'local', { audio: 64, video: 500 }, ['audio', 'video']],
      ['answer', 'remote', null, ['audio', 'video']],
    ])
    expect(await seen(bob)).to.deep.equal([
      ['offer', 'remote', null, ['audio', 'video']],
      ['answer', 'local', { audio: 5000, video: 5000 }, ['audio', 'video']],
    ])
  })

  it('with removeH264Codecs false and VP8/VP9/AV1 removed by a handler, H264 is what flows', async () => {
    const { alice, bob } = await openPair(harness())
    await installHandlers(alice, ['VP8', 'VP9', 'AV1'], false)
    await installHandlers(bob, [], false)
    const { callerCall, calleeCall } = await connect(alice, bob, { audio: true, video: true })
    const offered = await remoteCodecs(bob)
    expect(offered.video).to.include('H264')
    for (const removed of ['VP8', 'VP9', 'AV1']) expect(offered.video, removed).to.not.include(removed)
    await bob.expectMediaFlowing(calleeCall)
    expect(await inboundVideoCodec(bob, calleeCall)).to.equal('video/H264')
    expect(await inboundVideoCodec(alice, callerCall)).to.equal('video/H264')
  })

  it('the SDPs on the wire have no BUNDLE group and no trickle option, and carry every candidate', async () => {
    const { alice, bob } = await connectedPair(harness(), { audio: true, video: true })
    for (const user of [alice, bob]) {
      const sdp = await user.run((_client, _arg, { peers }) => peers.at(-1)?.remoteDescription?.sdp ?? '')
      expect(sdp, user.userId).to.not.match(/a=group:BUNDLE/)
      expect(sdp, user.userId).to.not.match(/a=ice-options:trickle/)
      expect(sdp.match(/\r\nm=/g), user.userId).to.have.length(2)
      expect((sdp.match(/a=candidate:/g) ?? []).length, user.userId).to.be.at.least(2)
    }
  })
})
