// The end-to-end benchmark's pages: one per SDK, served by the local platform, each logged in and
// subscribed through the documented API before a run.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { TestPlatform } from '../../testing/index.js'
import { setUpPage } from './page.js'

/** The original SDK as it ships (installed for the conformance suite). */
export const originalScript = 'node_modules/@kandy-io/cpaas-sdk/dist/kandy.js'

export const sdks = [
  { name: 'original', page: 'original.html', script: 'original.js' },
  { name: 'kandy-rx', page: 'rx.html', script: 'kandy-rx.js' },
] as const
export type Sdk = (typeof sdks)[number]
export type SdkName = Sdk['name']

const pageHtml = (script: string) => `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>window.__name = (target) => target</script><script src="/${script}"></script></head><body></body></html>`

/** A static root with one page per SDK, kandy-rx's build and the original SDK's file. */
export function pagesRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'kandy-rx-e2e-'))
  const pages = join(root, 'samples', 'browser')
  mkdirSync(pages, { recursive: true })
  symlinkSync(resolve('dist'), join(root, 'dist'), 'dir')
  symlinkSync(resolve(originalScript), join(pages, 'original.js'))
  for (const sdk of sdks) writeFileSync(join(pages, sdk.page), pageHtml(sdk.script))
  writeFileSync(join(pages, 'index.html'), pageHtml('kandy-rx.js'))
  return root
}

/** Both SDKs' configuration for the platform: the same server, over TLS. */
const configFor = (platform: TestPlatform, userId: string) => ({
  authentication: { server: { base: platform.host, protocol: 'https', port: platform.port }, clientCorrelator: `bench-${userId}` },
  call: { iceServers: [] },
  logs: { logLevel: 'error' },
})

/** A page of `sdk` logged in as `userId` and subscribed to `services`. */
export async function openPage(browser: Browser, platform: TestPlatform, sdk: Sdk, userId: string, services: string[]): Promise<Page> {
  const page = await browser.newPage({ ignoreHTTPSErrors: true })
  await page.goto(`${platform.url}/${sdk.page}`)
  const { accessToken, idToken } = await platform.tokens(userId)
  await page.evaluate(setUpPage, { tokens: { accessToken, idToken }, config: configFor(platform, userId), services })
  return page
}
