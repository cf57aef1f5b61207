import * as E from 'fp-ts/Either'
import { Observable, Subject, Subscription } from 'rxjs'
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

/** A received message as the signal it makes: the frame's JSON value, parsed once, or why it is unreadable. */
const signalOf = (data: unknown): SocketSignal => {
  const parsed = parseFrame(data)
  return E.isLeft(parsed) ? { type: 'unreadable', error: parsed.left } : { type: 'frame', value: parsed.right }
}

/**
 * One WebSocket as a cold Observable: `opened` once (its `send` writes frames), then every received frame;
 * errors when the socket fails or closes unasked; unsubscribing closes it.
 *
 * socketSession('wss://host:443/path?access_token=t', WebSocket).subscribe(signal => …)
 */
export function socketSession(url: string, WebSocket: WebSocketConstructor): Observable<SocketSignal> {
  return new Observable<SocketSignal>((subscriber) => {
    let socket: WebSocketLike | undefined
    const makeWebSocket = (target: string, protocols: string | string[]): WebSocketLike => {
      socket = new WebSocket(target, protocols)
      socket.binaryType = 'arraybuffer'
      return socket
    }
    const outgoing = new Subject<string>()
    const send = (frame: string): boolean => {
      // A socket that is not OPEN would throw (CONNECTING) or drop the frame silently (CLOSED).
      if (socket?.readyState !== OPEN) return false
      outgoing.next(frame)
      return true
    }
    // Each frame goes straight from the socket's messages to the subscriber: it is on the path of every notification.
    const frames = new Subscription()
    const session = makeWebSocketObservable<string | ArrayBuffer>(url, { protocols: [], makeWebSocket }).subscribe({
      next: (getResponses) => {
        // The outgoing frames are wired before `opened` is told, so that a frame sent on `opened` reaches the socket.
        const messages$ = getResponses(outgoing)
        subscriber.next({ type: 'opened', send })
        frames.add(messages$.subscribe((data) => subscriber.next(signalOf(data))))
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    })
    return () => {
      frames.unsubscribe()
      session.unsubscribe()
    }
  })
}
