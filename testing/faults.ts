import type { MediaImpairment, MediaOptions, PlatformAdmin, RestartOptions } from '../platform/index.js'

/** How `dropSockets` closes: a close code and reason, or a cut with no close frame. */
export interface DropOptions {
  /** Close code (default 1001); 1000, 1001–1014 except 1004–1006, or 3000–4999. */
  readonly code?: number
  readonly reason?: string
  /** Cut the TCP connection with no close frame (the client sees 1006), as a lost network does. */
  readonly terminate?: boolean
}

/** How `failNext` fails. */
export interface FailOptions {
  /** How many requests fail (default 1). */
  readonly count?: number
  /** The HTTP status (default 500), with the platform's error body unless `body` is given. */
  readonly status?: number
  readonly body?: unknown
  /** Reset the connection instead of answering. */
  readonly reset?: boolean
}

/**
 * Faults on purpose, as plain async functions over the platform's admin API. Each affects only
 * platform traffic (`/cpaas/…` and the notification WebSocket), never the admin API itself.
 */
export interface Faults {
  /** Closes the notification sockets of one user (any address form) or everyone; channels and subscriptions stay. Resolves with how many. */
  dropSockets(userId?: string, options?: DropOptions): Promise<number>
  /** Stops answering clients' `connCheck`s (and sending the server's), for one user or everyone: the socket stays open but silent. */
  stopAnsweringPings(userId?: string): Promise<void>
  /** Answers connectivity checks again. */
  resumeAnsweringPings(userId?: string): Promise<void>
  /** Delays every request whose path starts with `prefix` (default all) by `ms`; `0` removes the delay. */
  delay(ms: number, prefix?: string): Promise<void>
  /** Fails the next request(s) whose path starts with `prefix` (default `/cpaas/`), WebSocket upgrades included. */
  failNext(prefix?: string, options?: FailOptions): Promise<void>
  /** Closes every connection and listens again on the same port after `downtime` ms; state is kept unless `fresh`. */
  restart(options?: RestartOptions): Promise<void>
  /** Removes every delay, armed failure and connectivity pause. */
  clear(): Promise<void>
  /**
   * Impairs media relayed through the TURN server (platform started with `turn`): `{ blackhole: true }`
   * drops every packet, `{ lossPercent, delayMs }` loses and delays them (0 removes it). Resolves with what is in force.
   */
  impairMedia(options: MediaOptions): Promise<MediaImpairment>
  /** Restarts the TURN server: every allocation is lost, as when a client moves to another network. */
  restartRelay(): Promise<void>
}

/** The faults of a running platform, over its admin operations. */
export function faultsOf(admin: PlatformAdmin): Faults {
  return {
    dropSockets: (userId, options = {}) => admin.dropSockets({ ...options, ...(userId === undefined ? {} : { userId }) }),
    stopAnsweringPings: (userId) => admin.stopConnectivity(userId),
    resumeAnsweringPings: (userId) => admin.resumeConnectivity(userId),
    delay: (ms, prefix) => admin.delay(ms, prefix),
    failNext: (prefix, options = {}) => admin.fail({ ...options, ...(prefix === undefined ? {} : { prefix }) }),
    restart: (options) => admin.restart(options),
    clear: () => admin.clearFaults(),
    impairMedia: (options) => admin.media(options),
    restartRelay: () => admin.restartRelay(),
  }
}
