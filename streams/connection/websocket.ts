import * as namespace from 'rxjs-websockets'

// rxjs-websockets is CommonJS only: bundlers give its default export as `default`, Node's ESM loader gives `module.exports` there
// (the function one level deeper). This module normalises both, once, for the rest of the SDK (TOOLING.md).

/** rxjs-websockets' `makeWebSocketObservable`, whatever the module system. */
type MakeWebSocketObservable = typeof namespace.default

const resolve = (): MakeWebSocketObservable => {
  const outer: unknown = (namespace as { default?: unknown }).default
  const found = typeof outer === 'function' ? outer : (outer as { default?: unknown } | null | undefined)?.default
  if (typeof found !== 'function') throw new Error('rxjs-websockets: makeWebSocketObservable not found in the module')
  return found as MakeWebSocketObservable
}

/**
 * A cold Observable of one WebSocket: subscribing opens it, on open it emits `getResponses` (call it once with the outgoing messages); unsubscribing closes it.
 *
 * makeWebSocketObservable(url, { protocols: [], makeWebSocket: (u, p) => new WebSocket(u, p) })
 */
export const makeWebSocketObservable: MakeWebSocketObservable = (url, options) => resolve()(url, options)
