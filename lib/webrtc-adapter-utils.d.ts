// webrtc-adapter's browser detection, imported alone: the package's entry point shims the
// host's WebRTC globals as soon as it is imported, which the SDK must not do at import time.
declare module 'webrtc-adapter/dist/utils.js' {
  export function detectBrowser(window: unknown): { browser: string | null; version: number | null; supportsUnifiedPlan?: boolean }
}
