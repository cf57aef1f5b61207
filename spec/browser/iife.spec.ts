import { expect } from 'chai'
import type { Browser, Page } from 'playwright-core'
import { defaultConfig } from '../../streams/config/state.js'
import { launchChromium } from '../fixtures/chromium.js'
import { serveStatic, type StaticServer } from '../fixtures/static-server.js'

declare const Kandy: typeof import('../../lib/index.js')

describe('dist/kandy-rx.js in Chromium (script tag)', function () {
  this.timeout(30000)
  let server: StaticServer
  let browser: Browser
  let page: Page
  const errors: string[] = []

  before(async () => {
    server = await serveStatic({
      '/': { type: 'text/html', body: '<!doctype html><title>kandy-rx</title><script src="/kandy-rx.js"></script>' },
      '/kandy-rx.js': { type: 'text/javascript', file: 'dist/kandy-rx.js' },
    })
    browser = await launchChromium()
    page = await browser.newPage()
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(`${server.url}/`)
  })

  after(async () => {
    await browser?.close()
    await server?.close()
  })

  it('loads without errors and defines window.Kandy with create and sdpHandlers', async () => {
    expect(errors).to.deep.equal([])
    expect(await page.evaluate(() => [typeof window.Kandy, typeof Kandy.create, typeof Kandy.sdpHandlers.createCodecRemover])).to.deep.equal([
      'object',
      'function',
      'function',
    ])
  })

  it('exposes the rest of the module on Kandy (BasicError, errorCodes, levels)', async () => {
    expect(
      await page.evaluate(() => {
        const error = new Kandy.BasicError()
        return [error.code, error.message, Kandy.errorCodes.call.INVALID_STATE, Kandy.levels.DEBUG]
      }),
    ).to.deep.equal(['NO_CODE', 'An error occured', 'call:6', 'debug'])
  })

  it('Kandy.create({...}).getConfig() returns the documented defaults merged with the configuration', async () => {
    const config = await page.evaluate(() => {
      const client = Kandy.create({ authentication: { server: { base: 'localhost' } } })
      const value = client.getConfig()
      client.dispose()
      return value
    })
    expect(config).to.deep.equal({
      ...defaultConfig,
      authentication: { ...defaultConfig.authentication, server: { ...defaultConfig.authentication.server, base: 'localhost' } },
    })
  })

  it('getBrowserDetails() reports chrome with its version', async () => {
    const details = await page.evaluate(() => Kandy.create().getBrowserDetails())
    expect(details.browser).to.equal('chrome')
    expect(details.version).to.equal(Number(browser.version().split('.')[0]))
  })

  it('throws the documented event API errors in the page', async () => {
    expect(
      await page.evaluate(() => {
        const client = Kandy.create()
        const messages: string[] = []
        for (const attempt of [() => client.on('dummy:event' as never, () => undefined), () => client.subscribe('x' as never)]) {
          try {
            attempt()
          } catch (error) {
            messages.push((error as Error).message)
          }
        }
        return messages
      }),
    ).to.deep.equal(['Invalid event type: dummy:event', 'Listener not a function'])
  })
})

declare global {
  interface Window {
    Kandy: typeof import('../../lib/index.js')
  }
}
