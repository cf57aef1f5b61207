import * as E from 'fp-ts/Either'
import { Observable, Subject, defer, map, startWith, switchMap } from 'rxjs'
import type { WebSocketConstructor, WebSocketLike } from '../environment.js'
import type { BasicError } from '../errors.js'
import { parseFrame } from './frames.js'
import { makeWebSocketObservable } from './websocket.js'

/** What one socket session emits. */
export type SocketSignal =
  /** The socket opened; `send` writes one frame and says whether the socket could take it. */
  | { readonly type: 'opened'; readonly send: (frame: string) => boolean }
  /** One received frame, parsed once. */
  | { readonly type: 'frame'; readonly value: unknown }
  /** A received frame that is not JSON. */
  | { readonly type: 'unreadable'; readonly error: BasicError }

const OPEN = 1

/**
 * One WebSocket as a cold Observable: `opened` once (its `send` writes frames), then every received frame;
 * errors when the socket fails or closes unasked; unsubscribing closes it.
 *
 * socketSession('wss://host:443/path?access_token=t', WebSocket).subscribe(signal => …)
 */
export function socketSession(url: string, WebSocket: WebSocketConstructor): Observable<SocketSignal> {
  return defer(() => {
    let socket: WebSocketLike | undefined
    const makeWebSocket = (target: string, protocols: string | string[]): WebSocketLike => {
      socket = new WebSocket(target, protocols)
      socket.binaryType = 'arraybuffer'
      return socket
    }
    return makeWebSocketObservable<string | ArrayBuffer>(url, { protocols: [], makeWebSocket }).pipe(
      switchMap((getResponses) => {
        const outgoing = new Subject<string>()
        const send = (frame: string): boolean => {
          // A socket that is not OPEN would throw (CONNECTING) or drop the frame silently (CLOSED).
          if (socket?.readyState !== OPEN) return false
          outgoing.next(frame)
          return true
        }
        return getResponses(outgoing).pipe(
          map((data): SocketSignal => {
            const parsed = parseFrame(data)
            return E.isLeft(parsed) ? { type: 'unreadable', error: parsed.left } : { type: 'frame', value: parsed.right }
          }),
          startWith<SocketSignal>({ type: 'opened', send }),
        )
      }),
    )
  })
}
