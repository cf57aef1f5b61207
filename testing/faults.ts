import type { DelayOptions, DropOptions as PlatformDropOptions, FailOptions as PlatformFailOptions, MediaImpairment, MediaOptions, PlatformAdmin, RestartOptions } from '../platform/index.js'

/** How `dropSockets` closes: a close code and reason, or a cut with no close frame (the admin API's options; the user is an argument). */
export type DropOptions = Omit<PlatformDropOptions, 'userId'>

/** How `failNext` fails: how many requests, with which status and body, or a reset (the admin API's options; the prefix is an argument). */
export type FailOptions = Omit<PlatformFailOptions, 'prefix'>

/**
 * Faults on purpose, as plain async functions over the platform's admin API. None touches the admin API
 * itself; `failNext` acts on `/cpaas/…` and `delay` on every path (static files too) unless given a prefix.
 */
export interface Faults {
  /** Closes the notification sockets of one user (any address form) or everyone; channels and subscriptions stay. Resolves with how many. */
  dropSockets(userId?: string, options?: DropOptions): Promise<number>
  /** Stops answering clients' `connCheck`s (and sending the server's), for one user or everyone: the socket stays open but silent. */
  stopAnsweringPings(userId?: string): Promise<void>
  /** Answers connectivity checks again. */
  resumeAnsweringPings(userId?: string): Promise<void>
  /**
   * Delays every request whose path starts with `prefix` (default all) by `ms` of the platform's clock before the platform serves it, or, with `{ answer: true }`,
   * holds its answer `ms` after (what the request causes, notifications included, comes first); `0` removes the delay of that prefix and kind.
   */
  delay(ms: number, prefix?: string, options?: DelayOptions): Promise<void>
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
    delay: (ms, prefix, options) => admin.delay(ms, prefix, options),
    failNext: (prefix, options = {}) => admin.fail({ ...options, ...(prefix === undefined ? {} : { prefix }) }),
    restart: (options) => admin.restart(options),
    clear: () => admin.clearFaults(),
    impairMedia: (options) => admin.media(options),
    restartRelay: () => admin.restartRelay(),
  }
}
