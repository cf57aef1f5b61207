import { NEVER, asyncScheduler, fromEvent, map, type Observable, type SchedulerLike } from 'rxjs'
import type { WebSocketLike as SocketLike } from 'rxjs-websockets'

/** What the SDK needs of a WebSocket: the browser's and `ws`'s both have it. */
export type WebSocketLike = SocketLike & { binaryType: string; readonly readyState: number }

/** A WebSocket constructor: the browser's, or `ws` in Node. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike

/** What the SDK uses of `navigator.mediaDevices`; a Node host without device changes may leave out the listeners. */
export type MediaDevicesLike = Pick<MediaDevices, 'getUserMedia' | 'enumerateDevices'> & Partial<Pick<MediaDevices, 'addEventListener' | 'removeEventListener'>>

/**
 * Everything the SDK takes from its host, injected so one core runs in a browser, in Node (`ws`, a Node WebRTC) and under test.
 * Missing WebRTC members are reported as errors by the features that need them, never at import time.
 */
export interface Environment {
  readonly fetch: typeof fetch
  readonly WebSocket: WebSocketConstructor | undefined
  readonly RTCPeerConnection: typeof RTCPeerConnection | undefined
  readonly MediaStream: typeof MediaStream | undefined
  readonly mediaDevices: MediaDevicesLike | undefined
  readonly AudioContext: typeof AudioContext | undefined
  readonly document: Document | undefined
  readonly FormData: typeof FormData | undefined
  /** Where log lines go. */
  readonly console: Pick<Console, 'debug' | 'info' | 'warn' | 'error' | 'log' | 'group' | 'groupCollapsed' | 'groupEnd'>
  /** The clock and timers of every time-based operator (virtual under marble tests). */
  readonly scheduler: SchedulerLike
  /** A fresh unique id (UUID v4 where the host has one). */
  readonly randomId: () => string
  /** Each time the host is back online (the browser's `online` event; never in Node). */
  readonly online$: Observable<void>
}

/** The longest wait the host's timers keep (ms, about 24.8 days): browsers and Node fire a longer `setTimeout` or `setInterval` at once. */
export const longestTimer = 2 ** 31 - 1

/** A wait the host's timers keep: `ms`, at most `longestTimer` (a longer one would fire at once, e.g. a ping every millisecond). */
export const timerWait = (ms: number): number => Math.min(ms, longestTimer)

const host = globalThis as typeof globalThis & { navigator?: Navigator; document?: Document; addEventListener?: unknown }

/** The browser's `online` events; nothing where the global object takes no listeners (Node). */
const onlineEvents = (): Observable<void> => (typeof host.addEventListener === 'function' ? fromEvent(host as unknown as EventTarget, 'online').pipe(map(() => undefined)) : NEVER)

let counter = 0
const fallbackId = (): string =>
  `${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 10)}`

/** The environment of the running host (`globalThis`), with the given members replaced. Reads globals only when called. */
export function createEnvironment(overrides: Partial<Environment> = {}): Environment {
  return {
    fetch: overrides.fetch ?? ((input, init) => host.fetch(input, init)),
    WebSocket: 'WebSocket' in overrides ? overrides.WebSocket : (host.WebSocket as WebSocketConstructor | undefined),
    RTCPeerConnection: 'RTCPeerConnection' in overrides ? overrides.RTCPeerConnection : host.RTCPeerConnection,
    MediaStream: 'MediaStream' in overrides ? overrides.MediaStream : host.MediaStream,
    mediaDevices: 'mediaDevices' in overrides ? overrides.mediaDevices : host.navigator?.mediaDevices,
    AudioContext: 'AudioContext' in overrides ? overrides.AudioContext : host.AudioContext,
    document: 'document' in overrides ? overrides.document : host.document,
    FormData: 'FormData' in overrides ? overrides.FormData : host.FormData,
    console: overrides.console ?? host.console,
    scheduler: overrides.scheduler ?? asyncScheduler,
    randomId: overrides.randomId ?? (() => host.crypto?.randomUUID?.() ?? fallbackId()),
    online$: overrides.online$ ?? onlineEvents(),
  }
}
