import type { ServiceName } from './context.js'
import type { CoreInternals, RestartOptions } from './core.js'
import type { FailureRule, DelayRule } from './faults.js'
import type { ChannelHub } from './channels.js'
import type { MediaImpairment } from './relay.js'
import type { TurnService, TurnState } from './turn.js'

/** Options of `dropSockets`. */
export interface DropOptions {
  /** Only this user's sockets (any address form); default: everyone's. */
  readonly userId?: string
  /** Close code (default 1001); 1000 or 1001–1014 except 1004–1006, or 3000–4999. */
  readonly code?: number
  /** At most 123 bytes (UTF-8), as a close frame allows. */
  readonly reason?: string
  /** Cut the TCP connection with no close frame (the client sees 1006). */
  readonly terminate?: boolean
}

/** Options of `delay`. */
export interface DelayOptions {
  /** Hold the answer, not the request: the platform serves the request at once, so what it causes (notifications included) comes before its answer. */
  readonly answer?: boolean
}

/** Options of `fail`. */
export interface FailOptions {
  /** Requests whose path starts with this (default `/cpaas/`); WebSocket upgrades count too. */
  readonly prefix?: string
  /** How many requests fail (default 1). */
  readonly count?: number
  /** Status to answer with (default 500), with the platform's error body unless `body` is given. */
  readonly status?: number
  /** Reset the connection instead of answering. */
  readonly reset?: boolean
  readonly body?: unknown
}

/** The platform's state as `GET /_admin/state` reports it. */
export interface PlatformState {
  readonly channels: number
  readonly sockets: number
  readonly subscriptions: number
  readonly users: ReturnType<ChannelHub['state']>
  readonly faults: { delays: DelayRule[]; failures: FailureRule[]; connectivityPaused: boolean | string[] }
  readonly persisted: string[]
  /** The server process: resident memory and heap in bytes, uptime in seconds. */
  readonly process: { readonly rss: number; readonly heapUsed: number; readonly uptime: number }
  /** The TURN server (`--turn`): its URLs, whether it runs, the media faults in force. */
  readonly turn: TurnState
}

/** Options of `media`: what changes in the impairment of relayed media (the rest stays). */
export interface MediaOptions {
  /** `true`: every relayed packet is dropped, both ways; `false` restores them. */
  readonly blackhole?: boolean
  /** Share of relayed packets dropped at random, 0..100 (0 removes the loss). */
  readonly lossPercent?: number
  /** Delay added to every relayed packet, in ms (0 removes it). */
  readonly delayMs?: number
}

/** Faults and inspection for reliability tests; the same operations as the `/_admin/` HTTP API. */
export interface PlatformAdmin {
  /** Closes sockets (channels and subscriptions stay); returns how many. */
  dropSockets(options?: DropOptions): Promise<number>
  /** Stops answering `connCheck` (and sending server `connCheck`s) for one user or everyone. */
  stopConnectivity(userId?: string): Promise<void>
  resumeConnectivity(userId?: string): Promise<void>
  /**
   * Delays requests to paths under `prefix` (default all) by `ms` of the platform's clock before they are served, or, `{ answer: true }`, holds their
   * answers `ms` after they were served; 0 removes the delay.
   */
  delay(ms: number, prefix?: string, options?: DelayOptions): Promise<void>
  /** Fails the next requests of a path prefix. */
  fail(options?: FailOptions): Promise<void>
  /** Removes every delay, armed failure and connectivity pause. */
  clearFaults(): Promise<void>
  /** Sends text as it is (may be invalid JSON) to the user's sockets; returns how many sockets got it. */
  send(userId: string, data: string): Promise<number>
  /** Delivers a notification through the normal path (service filter, id added). */
  notify(userId: string, service: ServiceName, frame: Record<string, Record<string, unknown>>): Promise<void>
  /** Closes every connection and listens again on the same port. */
  restart(options?: RestartOptions): Promise<void>
  state(): Promise<PlatformState>
  /** Impairs media relayed through the TURN server (`--turn` only); resolves with the impairment now in force. */
  media(options: MediaOptions): Promise<MediaImpairment>
  /** Restarts the TURN server (`--turn` only): every allocation is lost, as when clients move to another network. */
  restartRelay(): Promise<void>
}

/** Thrown for admin input that cannot be applied (unknown user, invalid close code). */
export class AdminInputError extends Error {}

const validCloseCode = (code: number): boolean =>
  Number.isInteger(code) && (code === 1000 || (code >= 1001 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999))

/** Largest `delayMs` of a media fault (a minute). */
const mediaDelayLimit = 60_000

function checkedMedia(options: MediaOptions): MediaOptions {
  const { lossPercent, delayMs } = options
  if (lossPercent !== undefined && !(Number.isFinite(lossPercent) && lossPercent >= 0 && lossPercent <= 100)) throw new AdminInputError(`lossPercent must be 0..100, not ${lossPercent}`)
  if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0 && delayMs <= mediaDelayLimit)) throw new AdminInputError(`delayMs must be 0..${mediaDelayLimit}, not ${delayMs}`)
  return options
}

/** A failure the platform can arm: a whole number of requests, answered with an HTTP status. */
function checkedFailure(options: FailOptions): FailOptions {
  const { count, status } = options
  if (count !== undefined && !(Number.isInteger(count) && count >= 0)) throw new AdminInputError(`count must be a whole number of requests, not ${count}`)
  if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599)) throw new AdminInputError(`status must be an HTTP status 100..599, not ${status}`)
  return options
}

/** The admin operations, each on the current core generation (`restart` goes to the server). */
export function adminOperations(current: () => CoreInternals): PlatformAdmin {
  const user = (address: string): string => {
    const account = current().accounts.find(address)
    if (account === undefined) throw new AdminInputError(`unknown user ${address}`)
    return account.userId
  }
  const turn = (): TurnService => {
    if (current().options.turn.urls().length === 0) throw new AdminInputError('no TURN server runs: start the platform with --turn (turn: true)')
    return current().options.turn
  }
  return {
    dropSockets: async (options = {}) => {
      if (options.code !== undefined && !validCloseCode(options.code)) throw new AdminInputError(`invalid close code ${options.code}`)
      if (options.reason !== undefined && Buffer.byteLength(options.reason) > 123) throw new AdminInputError(`a close reason is at most 123 bytes, not ${Buffer.byteLength(options.reason)}`)
      return current().hub.dropSockets({ ...options, userId: options.userId === undefined ? undefined : user(options.userId) })
    },
    stopConnectivity: async (userId) => current().faults.pauseConnectivity(true, userId === undefined ? undefined : user(userId)),
    resumeConnectivity: async (userId) => current().faults.pauseConnectivity(false, userId === undefined ? undefined : user(userId)),
    delay: async (ms, prefix, options = {}) => {
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new AdminInputError(`ms must be a finite number ≥ 0, not ${ms}`)
      current().faults.delay(ms, prefix, options.answer ? 'answer' : 'request')
    },
    fail: async (options = {}) => {
      const { prefix, count, status, reset, body } = checkedFailure(options)
      current().faults.fail({ prefix: prefix ?? '/cpaas/', count: count ?? 1, status: status ?? 500, reset: reset ?? false, body })
    },
    clearFaults: async () => current().faults.clear(),
    send: async (userId, data) => current().hub.sendRaw(user(userId), data),
    notify: async (userId, service, frame) => current().hub.notify(user(userId), service, frame),
    restart: (options = {}) => current().options.restart(options),
    state: async () => {
      const { rss, heapUsed } = process.memoryUsage()
      return {
        ...current().hub.counts(),
        users: current().hub.state(),
        faults: current().faults.summary(),
        persisted: current().store.names(),
        process: { rss, heapUsed, uptime: process.uptime() },
        turn: current().options.turn.state(),
      }
    },
    media: async (options) => turn().impair(checkedMedia(options)),
    restartRelay: async () => turn().restart(),
  }
}
