// Drives the browser sample (samples/browser/) in real Chromium, through its UI only: the page
// comes from an in-process platform (default static root: this checkout, so `/` is the sample
// and `/kandy-rx.js` the build under test), and each user gets their own browser context.
//
//   const sample = useSample()
//   it('…', async () => {
//     const alice = await sample().open('alice@example.com')           // desktop, signed in
//     const bob = await sample().open('bob@example.com', { phone: true })
//     await addContact(alice, 'Bob', 'Bob Baker')
//   })
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { deflateSync } from 'node:zlib'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import type { PlatformOptions } from '../../../platform/index.js'
import { launchBrowser } from '../../browser/harness.js'
import { startTestPlatform, type TestPlatform } from '../../helpers/platform.js'

/** Where screenshots are kept for the record (gitignored). */
export const artifacts = resolve('spec/artifacts')

export interface SamplePage {
  readonly page: Page
  readonly userId: string
  /** Uncaught page errors and console errors so far. */
  readonly errors: string[]
  /** True for the 375 px wide layout (one section at a time). */
  readonly phone: boolean
}

export interface OpenOptions {
  /** A 375×812 viewport (the sample's one-section-at-a-time layout). */
  readonly phone?: boolean
  /** Sign in through the form (default true). */
  readonly signIn?: boolean
}

export interface Sample {
  readonly platform: TestPlatform
  readonly browser: Browser
  /** Opens the sample at `/` in a new browser context and (by default) signs `userId` in through the form. */
  open(userId: string, options?: OpenOptions): Promise<SamplePage>
}

/**
 * Mocha hooks: Chromium once per file; a fresh platform and fresh contexts for every test, so
 * that no test sees another's contacts, conversations or calls.
 */
export function useSample(platformOptions: PlatformOptions = {}): () => Sample {
  let browser: Browser | undefined
  let platform: TestPlatform | undefined
  let contexts: BrowserContext[] = []
  before(async function () {
    this.timeout(60000)
    browser = await launchBrowser()
    mkdirSync(artifacts, { recursive: true })
  })
  beforeEach(async () => {
    platform = await startTestPlatform(platformOptions)
  })
  afterEach(async function () {
    // A failed test leaves a screenshot of each of its pages, to see what the user would have seen.
    if (this.currentTest?.state === 'failed') {
      const pages = contexts.flatMap((context) => context.pages())
      await Promise.all(pages.map((page, index) => page.screenshot({ path: join(artifacts, `browser-sample-failed-${index + 1}.png`) }).catch(() => undefined)))
    }
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)))
    contexts = []
    await platform?.stop()
    platform = undefined
  })
  after(async () => {
    await browser?.close()
    browser = undefined
  })
  return () => {
    if (browser === undefined || platform === undefined) throw new Error('useSample: not running (use it inside a test)')
    const running = { browser, platform }
    return {
      ...running,
      open: async (userId, options = {}) => {
        const phone = options.phone === true
        const viewport = phone ? { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, hasTouch: true } : { viewport: { width: 1366, height: 860 } }
        // The platform's --tls certificate is self-signed.
        const context = await running.browser.newContext({ ...viewport, ignoreHTTPSErrors: true })
        contexts.push(context)
        // tsx names functions with __name(); functions this spec evaluates in the page may use it.
        await context.addInitScript({ content: 'window.__name = (target) => target' })
        const page = await context.newPage()
        const errors: string[] = []
        page.on('pageerror', (error) => errors.push(error.message))
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text())
        })
        await page.goto(`${running.platform.url}/`)
        const sample = { page, userId, errors, phone }
        if (options.signIn !== false) await signIn(sample)
        return sample
      },
    }
  }
}

/** Opens the sample for each user in turn (as `Sample.open`, on the desktop layout, signed in). */
export async function openEach<const T extends readonly string[]>(sample: Sample, ...userIds: T): Promise<{ -readonly [K in keyof T]: SamplePage }> {
  const pages: SamplePage[] = []
  for (const userId of userIds) pages.push(await sample.open(userId))
  return pages as { -readonly [K in keyof T]: SamplePage }
}

/** Alice on the desktop layout and Bob on the phone layout, both signed in. */
export async function desktopAndPhone(sample: Sample): Promise<{ alice: SamplePage; bob: SamplePage }> {
  const alice = await sample.open('alice@example.com')
  const bob = await sample.open('bob@example.com', { phone: true })
  return { alice, bob }
}

/** Types `to` into the dial form and places an audio or a video call with its button. */
export async function dial(sample: SamplePage, to: string, call: 'Audio call' | 'Video call'): Promise<void> {
  await sample.page.getByLabel('Call a user or a phone number').fill(to)
  await sample.page.getByRole('button', { name: call, exact: true }).click()
}

/** Waits until `locator` (its first match) has `text` in its text content. */
export async function waitForText(locator: Locator, text: string | RegExp, timeout = 15000): Promise<void> {
  const wanted = typeof text === 'string' ? text : text.source
  await locator
    .filter({ hasText: text })
    .first()
    .waitFor({ state: 'attached', timeout })
    .catch(async (error: unknown) => {
      const actual = await locator
        .first()
        .textContent({ timeout: 100 })
        .catch(() => '(no element)')
      throw new Error(`waited for "${wanted}", found "${actual}": ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`)
    })
}

/** Signs in through the form, with the keyboard: type the user, Tab, type the password, Enter. */
export async function signIn(sample: SamplePage, password = 'password'): Promise<void> {
  const { page } = sample
  await page.getByLabel('User', { exact: true }).fill(sample.userId)
  await page.getByLabel('User', { exact: true }).press('Tab')
  await page.keyboard.type(password)
  await page.keyboard.press('Enter')
  await page.getByRole('button', { name: 'Log out' }).waitFor()
  await waitForText(page.locator('#connection-status'), 'Online')
}

/** On the phone layout, switches to a section (People, Chat, Calls) with the navigation bar. */
export async function show(sample: SamplePage, section: 'People' | 'Chat' | 'Calls'): Promise<void> {
  if (!sample.phone) return
  await sample.page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('button', { name: new RegExp(`^${section}`) })
    .click()
}

/** The contact row of `name` in the contact list. */
export const contactRow = (sample: SamplePage, name: string): Locator => sample.page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: name })

/** Searches the directory for `query` and adds the person called `name` to the contacts. */
export async function addContact(sample: SamplePage, query: string, name: string): Promise<void> {
  await show(sample, 'People')
  const { page } = sample
  await page.getByRole('searchbox', { name: /Search the directory/ }).fill(query)
  await page.getByRole('searchbox', { name: /Search the directory/ }).press('Enter')
  await page.getByRole('button', { name: `Add ${name} to contacts` }).click()
  await contactRow(sample, name).waitFor()
}

/** Saves a full-page screenshot as spec/artifacts/browser-sample-<name>.png. */
export async function screenshot(sample: SamplePage, name: string): Promise<string> {
  const path = join(artifacts, `browser-sample-${name}.png`)
  await sample.page.screenshot({ path, animations: 'disabled' })
  return path
}

/** A PNG of `width`×`height` pixels in one colour, encoded here (stored blocks, one filter byte per row). */
export function png(width: number, height: number, [red, green, blue]: readonly [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (bytes: Buffer): number => {
    let c = 0xffffffff
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const sum = Buffer.alloc(4)
    sum.writeUInt32BE(crc(body))
    return Buffer.concat([length, body, sum])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [red, green, blue]).flat())])
  const pixels = Buffer.concat(Array.from({ length: height }, () => row))
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))])
}
