import { detectBrowser } from 'webrtc-adapter/dist/utils.js'

/** What `getBrowserDetails()` returns (webrtc-adapter's `browserDetails`). */
export interface BrowserDetails {
  /** `chrome`, `firefox`, `safari`; or `Not a browser.` / `Not a supported browser.` */
  readonly browser: string | null
  /** The browser's major version, or `null` when unknown. */
  readonly version: number | null
  /** Safari only: whether unified plan is supported. */
  readonly supportsUnifiedPlan?: boolean
}

/**
 * Retrieves information about the browser being used, as webrtc-adapter detects it from the window of `document` (the environment's),
 * or the host's `window`; only when called (never at import), so it is safe in Node: `{ browser: 'Not a browser.', version: null }`.
 *
 * const { browser, version } = browserDetails(environment.document)
 */
export function browserDetails(document?: Document): BrowserDetails {
  try {
    const host = document?.defaultView ?? (globalThis as { window?: unknown }).window
    const { browser, version, supportsUnifiedPlan } = detectBrowser(host) as BrowserDetails
    return supportsUnifiedPlan === undefined ? { browser, version: version ?? null } : { browser, version: version ?? null, supportsUnifiedPlan }
  } catch {
    return { browser: null, version: null }
  }
}
