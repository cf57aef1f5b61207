// webrtc-adapter's browser detection alone: the package's entry point shims the host's WebRTC globals on import, which the SDK must not do.
declare module 'webrtc-adapter/dist/utils.js' {
  export function detectBrowser(window: unknown): { browser: string | null; version: number | null; supportsUnifiedPlan?: boolean }
}
