import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/Either'
import { parse, write } from 'sdp-transform'
import type { SdpHandlerFunction, SdpHandlerInfo, SdpObject } from '../../../streams/config/state.js'
import { applyBandwidth, dtlsRoleFix, localFixes, removeSdes, sdpHandlersOf, shapeSdp } from '../../../streams/call/sdp.js'
import { createCodecRemover } from '../../../streams/sdp/codecRemover.js'

const offer = readFileSync(new URL('../../fixtures/chromium-offer-audio-video.sdp', import.meta.url), 'utf8')
const localOffer: SdpHandlerInfo = { type: 'offer', endpoint: 'local', bandwidth: { audio: 64, video: 500 } }
const remoteAnswer: SdpHandlerInfo = { type: 'answer', endpoint: 'remote' }

const shaped = (sdp: string, info: SdpHandlerInfo, handlers: readonly SdpHandlerFunction[]): string => {
  const result = shapeSdp(sdp, info, handlers)
  if (E.isLeft(result)) throw result.left
  return result.right
}

const codecs = (sdp: string, kind: string): string[] =>
  parse(sdp)
    .media.filter((media) => media.type === kind)
    .flatMap((media) => media.rtp.map((rtp) => rtp.codec))

const pipeline = (removeH264Codecs: boolean, sdpHandlers: SdpHandlerFunction[] = []) => sdpHandlersOf({ removeH264Codecs, sdpHandlers })

describe('SDP pipeline (streams/call/sdp.ts)', () => {
  it('removes H264 (and its rtx payloads) from a real Chromium offer by default, keeping VP8/VP9/AV1', () => {
    expect(codecs(offer, 'video')).to.include('H264')
    const out = shaped(offer, localOffer, pipeline(true))
    expect(codecs(out, 'video')).to.not.include('H264')
    expect(codecs(out, 'video')).to.include.members(['VP8', 'VP9', 'rtx'])
    const video = parse(out).media.find((media) => media.type === 'video')
    const payloads = new Set(video?.rtp.map((rtp) => rtp.payload))
    for (const fmtp of video?.fmtp ?? []) {
      expect(payloads.has(fmtp.payload), `fmtp ${fmtp.payload}`).to.equal(true)
      const apt = /apt=(\d+)/.exec(fmtp.config)
      if (apt !== null) expect(payloads.has(Number(apt[1])), `apt ${apt[1]}`).to.equal(true)
    }
    expect(String(video?.payloads).split(' ').map(Number).sort()).to.deep.equal([...payloads].sort())
  })

  it('keeps H264 when removeH264Codecs is false', () => {
    expect(codecs(shaped(offer, localOffer, pipeline(false)), 'video')).to.include('H264')
  })

  it('runs application handlers first, each with (newSdp, info, originalSdp), passing results along', () => {
    const seen: Array<{ name: string; info: SdpHandlerInfo; hadH264: boolean; original: SdpObject }> = []
    const first: SdpHandlerFunction = (sdp, info, original) => {
      seen.push({ name: 'first', info, hadH264: codecs(write(sdp), 'video').includes('H264'), original })
      return { ...sdp, name: 'shaped-by-first' }
    }
    const second: SdpHandlerFunction = (sdp, info, original) => {
      seen.push({ name: `second after ${sdp.name}`, info, hadH264: codecs(write(sdp), 'video').includes('H264'), original })
      return sdp
    }
    const out = shaped(offer, localOffer, pipeline(true, [first, second]))
    expect(seen.map((call) => call.name)).to.deep.equal(['first', 'second after shaped-by-first'])
    expect(seen.every((call) => call.hadH264)).to.equal(true)
    expect(seen[0].info).to.deep.equal(localOffer)
    expect(seen[1].original.name).to.equal('-')
    expect(parse(out).name).to.equal('shaped-by-first')
  })

  it('an application codec remover shapes the SDP (e.g. only Opus left for audio)', () => {
    const out = shaped(offer, remoteAnswer, pipeline(true, [createCodecRemover(['G722', 'PCMU', 'PCMA', 'red', 'CN', 'telephone-event'])]))
    expect(codecs(out, 'audio')).to.deep.equal(['opus'])
  })

  it('writes b=AS / b=TIAS on each audio and video section of local SDPs, replacing existing b= lines', () => {
    const withOld = offer.replace(/(m=video[^\r\n]*\r\nc=[^\r\n]*\r\n)/, '$1b=AS:30\r\n')
    const out = parse(shaped(withOld, localOffer, [applyBandwidth]))
    const lines = out.media.map((media) => [media.type, media.bandwidth])
    expect(lines).to.deep.equal([
      ['audio', [{ type: 'AS', limit: 64 }, { type: 'TIAS', limit: 64000 }]],
      ['video', [{ type: 'AS', limit: 500 }, { type: 'TIAS', limit: 500000 }]],
    ])
  })

  it('leaves remote SDPs and SDPs without bandwidth values alone', () => {
    expect(parse(shaped(offer, { type: 'answer', endpoint: 'remote', bandwidth: { audio: 1, video: 1 } }, [applyBandwidth])).media[0].bandwidth).to.equal(undefined)
    expect(parse(shaped(offer, { type: 'offer', endpoint: 'local' }, [applyBandwidth])).media[0].bandwidth).to.equal(undefined)
  })

  it('removes a=crypto only where a DTLS fingerprint exists', () => {
    const sdes = offer.replace(/a=mid:0\r\n/, 'a=mid:0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n')
    expect(parse(sdes).media[0].crypto).to.have.length(1)
    expect(parse(shaped(sdes, localOffer, [removeSdes])).media[0].crypto).to.equal(undefined)
    const noDtls = sdes.replace(/a=fingerprint:[^\r\n]*\r\n/g, '')
    expect(parse(shaped(noDtls, localOffer, [removeSdes])).media[0].crypto).to.have.length(1)
  })

  it('local fixes drop the BUNDLE group and the trickle ice option', () => {
    expect(offer).to.match(/a=group:BUNDLE/)
    expect(offer).to.match(/a=ice-options:trickle/)
    const out = shaped(offer, localOffer, [localFixes])
    expect(out).to.not.match(/a=group:BUNDLE/)
    expect(out).to.not.match(/a=ice-options:trickle/)
    expect(out).to.match(/a=msid-semantic/)
  })

  it('forces the DTLS role of an answer that says actpass, and only that', () => {
    const out = parse(shaped(offer, remoteAnswer, [dtlsRoleFix('passive')]))
    expect(out.media.map((media) => media.setup)).to.deep.equal(['passive', 'passive'])
    const active = offer.replace(/a=setup:actpass/g, 'a=setup:active')
    expect(parse(shaped(active, remoteAnswer, [dtlsRoleFix('passive')])).media.map((media) => media.setup)).to.deep.equal(['active', 'active'])
  })

  it('a handler that throws or returns no SDP fails with a BasicError of the given code', () => {
    const thrower: SdpHandlerFunction = () => {
      throw new Error('boom')
    }
    const result = shapeSdp(offer, localOffer, [thrower], 'call:9')
    expect(E.isLeft(result) && result.left.code).to.equal('call:9')
    expect(E.isLeft(result) && result.left.message).to.contain('boom')
    const nothing = (() => undefined) as unknown as SdpHandlerFunction
    const empty = shapeSdp(offer, localOffer, [nothing])
    expect(E.isLeft(empty) && empty.left.code).to.equal('call:2')
  })

  it('a handler that throws an object without a prototype still fails with a BasicError', () => {
    const thrower: SdpHandlerFunction = () => {
      throw Object.create(null)
    }
    const result = shapeSdp(offer, localOffer, [thrower], 'call:9')
    expect(E.isLeft(result) && result.left.code).to.equal('call:9')
  })

  it('ignores configured handlers that are not functions', () => {
    const handlers = sdpHandlersOf({ removeH264Codecs: false, sdpHandlers: ['nope' as unknown as SdpHandlerFunction] })
    expect(handlers).to.have.length(2)
  })
})
