import * as namespace from 'rxjs-websockets'

// rxjs-websockets is CommonJS only: bundlers hand us its default export as `default`, while
// Node's ESM loader hands us the whole `module.exports` there (so the function is one level
// deeper). This module normalises both, once, for the rest of the SDK (TOOLING.md).

/** rxjs-websockets' `makeWebSocketObservable`, whatever the module system. */
type MakeWebSocketObservable = typeof namespace.default

export type { WebSocketLike } from 'rxjs-websockets'

const resolve = (): MakeWebSocketObservable => {
  const outer: unknown = (namespace as { default?: unknown }).default
  const inner: unknown = typeof outer === 'object' && outer !== null ? (outer as { default?: unknown }).default : undefined
  const found = typeof outer === 'function' ? outer : inner
  if (typeof found !== 'function') throw new Error('rxjs-websockets: makeWebSocketObservable not found in the module')
  return found as MakeWebSocketObservable
}

/**
 * A cold Observable of one WebSocket (rxjs-websockets): subscribing opens it; on open it emits
 * `getResponses`, to be called once with the outgoing messages; unsubscribing closes it.
 *
 * makeWebSocketObservable(url, { protocols: [], makeWebSocket: (u, p) => new WebSocket(u, p) })
 */
export const makeWebSocketObservable: MakeWebSocketObservable = (url, options) => resolve()(url, options)
