import { expect } from 'chai'
import { browserDetails } from '../../lib/browser.js'

// Real Chromium is covered by spec/browser/iife.spec.ts; here, the window comes from the document given.
const documentOf = (window: object): Document => ({ defaultView: window }) as unknown as Document

describe('browserDetails', () => {
  it('reports "Not a browser." in Node', () => {
    expect(browserDetails()).to.deep.equal({ browser: 'Not a browser.', version: null })
  })

  it("detects the browser of the environment's document", () => {
    const chromium = { navigator: { userAgent: 'Mozilla/5.0', userAgentData: { brands: [{ brand: 'Chromium', version: '131' }] } } }
    expect(browserDetails(documentOf(chromium))).to.deep.equal({ browser: 'chrome', version: 131 })
  })

  it("reports Safari's unified plan support, and only the documented fields", () => {
    const userAgent = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15'
    class RTCRtpTransceiver {
      get currentDirection(): null {
        return null
      }
    }
    const safari = { navigator: { userAgent }, RTCPeerConnection: class {}, RTCRtpTransceiver }
    expect(browserDetails(documentOf(safari))).to.deep.equal({ browser: 'safari', version: 605, supportsUnifiedPlan: true })
    // A Safari without transceivers: webrtc-adapter cannot tell, and the field is left out.
    expect(browserDetails(documentOf({ navigator: { userAgent }, RTCPeerConnection: class {} }))).to.deep.equal({ browser: 'safari', version: 605 })
  })

  it('never throws, even when reading the window does', () => {
    const hostile = {
      get navigator(): never {
        throw new Error('no navigator')
      },
    }
    expect(browserDetails(documentOf(hostile))).to.deep.equal({ browser: null, version: null })
  })
})
