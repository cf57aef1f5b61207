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

  it('never throws, even when reading the window does', () => {
    const hostile = {
      get navigator(): never {
        throw new Error('no navigator')
      },
    }
    expect(browserDetails(documentOf(hostile))).to.deep.equal({ browser: null, version: null })
  })
})
