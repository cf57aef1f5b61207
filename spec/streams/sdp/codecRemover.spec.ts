import { expect } from 'chai'
import { parse, write, type MediaDescription } from 'sdp-transform'
import type { SdpHandlerInfo, SdpObject } from '../../../streams/config/state.js'
import { createCodecRemover } from '../../../streams/sdp/codecRemover.js'
import { sdpObject } from '../../fixtures/sdp.js'

const info: SdpHandlerInfo = { type: 'offer', endpoint: 'local' }
const apply = (codecs: Parameters<typeof createCodecRemover>[0], sdp: SdpObject = sdpObject('chromium-offer-audio-video')): SdpObject =>
  createCodecRemover(codecs)(sdp, info, sdp)

const section = (sdp: SdpObject, type: string): MediaDescription => sdp.media.find((media) => media.type === type)!
const codecs = (media: MediaDescription): string[] => [...new Set(media.rtp.map(({ codec }) => codec))]
const payloadList = (media: MediaDescription): number[] => (media.payloads ?? '').split(' ').map(Number)

/** Every payload named by a=rtpmap / a=fmtp / a=rtcp-fb is in the m= list, and the other way round. */
const expectConsistent = (sdp: SdpObject): void => {
  const reparsed = parse(write(sdp))
  for (const media of reparsed.media) {
    const listed = payloadList(media)
    expect(media.rtp.map(({ payload }) => payload), `${media.type} rtpmap`).to.have.members(listed)
    for (const { payload } of media.fmtp) expect(listed, `${media.type} fmtp`).to.include(payload)
    for (const { payload } of media.rtcpFb ?? []) if (payload !== '*') expect(listed, `${media.type} rtcp-fb`).to.include(Number(payload))
    for (const { config } of media.fmtp) {
      const apt = /apt=(\d+)/.exec(config)?.[1]
      if (apt !== undefined) expect(listed, `${media.type} apt=${apt}`).to.include(Number(apt))
    }
  }
}

describe('createCodecRemover (real Chromium offers)', () => {
  it('removes VP8 and VP9 (the reference example) with their rtx, from rtpmap, fmtp, rtcp-fb and the m= line', () => {
    const original = sdpObject('chromium-offer-audio-video')
    const result = apply(['VP8', 'VP9'])
    const video = section(result, 'video')
    expect(codecs(video)).to.have.members(['H264', 'rtx', 'AV1', 'red', 'ulpfec'])
    for (const removed of [96, 97, 98, 99, 100, 101]) {
      expect(payloadList(video)).not.to.include(removed)
      expect(write(result)).not.to.match(new RegExp(`a=(rtpmap|fmtp|rtcp-fb):${removed} `))
    }
    expect(video.rtp).to.have.length(section(original, 'video').rtp.length - 6)
    expectConsistent(result)
  })

  it('matches names case-insensitively and removes every payload of the codec', () => {
    const video = section(apply(['h264']), 'video')
    expect(codecs(video)).to.have.members(['VP8', 'rtx', 'AV1', 'VP9', 'red', 'ulpfec'])
    const rtxTargets = video.fmtp.map(({ config }) => /apt=(\d+)/.exec(config)?.[1]).filter(Boolean).map(Number)
    expect(rtxTargets).to.have.members([96, 45, 98, 100, 118])
  })

  it('keeps the order of the remaining payloads', () => {
    const original = payloadList(section(sdpObject('chromium-offer-audio-video'), 'video'))
    const remaining = payloadList(section(apply(['AV1']), 'video'))
    expect(remaining).to.deep.equal(original.filter((payload) => payload !== 45 && payload !== 46))
  })

  it('removes opus with the RED that only carries opus, leaving the other audio codecs', () => {
    const result = apply(['opus'], sdpObject('chromium-offer-audio'))
    const audio = section(result, 'audio')
    expect(codecs(audio)).to.deep.equal(['G722', 'PCMU', 'PCMA', 'CN', 'telephone-event'])
    expect(payloadList(audio)).to.deep.equal([9, 0, 8, 13, 110, 126])
    expect(audio.fmtp).to.deep.equal([])
    expectConsistent(result)
  })

  it('removes a codec from every media section it appears in', () => {
    const result = apply(['red'])
    expect(codecs(section(result, 'audio'))).not.to.include('red')
    expect(codecs(section(result, 'video'))).not.to.include('red')
    expect(payloadList(section(result, 'video'))).not.to.include(119)
    expectConsistent(result)
  })

  it('removes only the payloads whose fmtp has all the given parameters ({ name, fmtpParams })', () => {
    const video = section(apply([{ name: 'H264', fmtpParams: ['packetization-mode=0'] }]), 'video')
    const h264 = video.rtp.filter(({ codec }) => codec === 'H264').map(({ payload }) => payload)
    expect(h264).to.have.members([102, 108, 116])
    for (const removed of [104, 107, 114, 115, 39, 40]) expect(payloadList(video)).not.to.include(removed)
  })

  it('compares fmtp parameters without spaces and in any case', () => {
    const exact = section(apply([{ name: 'H264', fmtpParams: ['packetization-mode=0'] }]), 'video')
    const spaced = section(apply([{ name: 'h264', fmtpParams: [' Packetization-Mode = 0 '] }]), 'video')
    expect(payloadList(spaced)).to.deep.equal(payloadList(exact))
  })

  it('leaves the SDP as it was when no codec matches, and never modifies its input', () => {
    const original = sdpObject('chromium-offer-audio-video')
    const before = write(original)
    expect(write(apply(['G729'], original))).to.equal(before)
    apply(['VP8', 'opus', 'H264'], original)
    expect(write(original)).to.equal(before)
  })

  it('ignores what is not a codec name and accepts an empty list', () => {
    const original = sdpObject('chromium-offer-audio-video')
    expect(apply([], original)).to.equal(original)
    expect(write(apply([42, null] as never, original))).to.equal(write(original))
  })

  it('leaves the session level and the other attributes of each section alone', () => {
    const original = sdpObject('chromium-offer-audio-video')
    const result = apply(['VP8', 'opus'], original)
    const { media: _m, ...session } = result
    const { media: _o, ...originalSession } = original
    expect(session).to.deep.equal(originalSession)
    const video = section(result, 'video')
    const originalVideo = section(original, 'video')
    expect(video.ext).to.deep.equal(originalVideo.ext)
    expect(video.ssrcs).to.deep.equal(originalVideo.ssrcs)
    expect(video.mid).to.equal(originalVideo.mid)
  })
})
