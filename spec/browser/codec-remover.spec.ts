import { expect } from 'chai'
import type { Browser, Page } from 'playwright-core'
import { parse, write } from 'sdp-transform'
import { createCodecRemover } from '../../streams/sdp/codecRemover.js'
import { blankSecurePage, launchChromium } from '../fixtures/chromium.js'

/**
 * The codec remover's output must be an SDP Chromium accepts: the munged offer is applied as the
 * local description of the offerer and the remote description of an answerer, and the answer
 * negotiates none of the removed codecs.
 */
describe('createCodecRemover output in Chromium', function () {
  this.timeout(30000)
  let browser: Browser
  let page: Page

  before(async () => {
    browser = await launchChromium()
    page = await blankSecurePage(browser)
  })

  after(async () => {
    await browser?.close()
  })

  const negotiate = async (codecs: string[]): Promise<{ offer: string; answer: string }> => {
    const offer = await page.evaluate(async () => {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true })
      const offerer = new RTCPeerConnection()
      for (const track of stream.getTracks()) offerer.addTrack(track, stream)
      Object.assign(window, { offerer, stream })
      return (await offerer.createOffer()).sdp!
    })
    const parsed = parse(offer)
    const munged = write(createCodecRemover(codecs)(parsed, { type: 'offer', endpoint: 'local' }, parsed))
    const answer = await page.evaluate(async (sdp) => {
      const { offerer, stream } = window as unknown as { offerer: RTCPeerConnection; stream: MediaStream }
      await offerer.setLocalDescription({ type: 'offer', sdp })
      const answerer = new RTCPeerConnection()
      await answerer.setRemoteDescription({ type: 'offer', sdp })
      const description = await answerer.createAnswer()
      await answerer.setLocalDescription(description)
      await offerer.setRemoteDescription(description)
      offerer.close()
      answerer.close()
      for (const track of stream.getTracks()) track.stop()
      return description.sdp!
    }, munged)
    return { offer: munged, answer }
  }

  const rtpCodecs = (sdp: string): string[] => parse(sdp).media.flatMap((media) => media.rtp.map(({ codec }) => codec.toLowerCase()))

  it('Chromium applies an offer without VP8 and VP9 and answers without them', async () => {
    const { offer, answer } = await negotiate(['VP8', 'VP9'])
    for (const sdp of [offer, answer]) {
      expect(rtpCodecs(sdp)).not.to.include('vp8')
      expect(rtpCodecs(sdp)).not.to.include('vp9')
    }
    expect(rtpCodecs(answer)).to.include('h264')
  })

  it('Chromium applies an offer without opus and H264 and answers with the remaining codecs', async () => {
    const { answer } = await negotiate(['opus', 'H264'])
    const codecs = rtpCodecs(answer)
    expect(codecs).not.to.include('opus')
    expect(codecs).not.to.include('h264')
    expect(codecs).to.include.members(['g722', 'vp8'])
  })
})
