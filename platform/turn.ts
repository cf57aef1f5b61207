// The platform's TURN service: time-limited credentials (TURN REST API, as coturn's
// `use-auth-secret` checks them), and with `--turn` a real coturn behind a UDP relay that
// injects media faults.
import { createHmac, randomBytes } from 'node:crypto'
import { startCoturn, type Coturn } from './coturn.js'
import { startRelay, type MediaImpairment, type UdpRelay } from './relay.js'

/** Credentials a TURN server with the shared secret accepts until `<expiry>`. */
export interface TurnCredentials {
  /** `<expiry>:<userId>`, expiry in seconds since the epoch. */
  readonly username: string
  /** base64 HMAC-SHA1 of the username, keyed with the shared secret. */
  readonly password: string
}

/** What `GET /_admin/state` says about TURN. */
export interface TurnState {
  /** The URLs clients configure (`call.iceServers`); empty when no TURN server runs. */
  readonly urls: readonly string[]
  readonly running: boolean
  /** coturn's process id while it runs. */
  readonly pid?: number
  /** How many times coturn died and was started again. */
  readonly restarts: number
  readonly media: MediaImpairment
}

/** The TURN side of a platform. */
export interface TurnService {
  credentials(userId: string, now: number): TurnCredentials
  urls(): readonly string[]
  state(): TurnState
  /** Changes the impairment of relayed media; throws when no TURN server runs. */
  impair(change: Partial<MediaImpairment>): MediaImpairment
  /** Restarts coturn: every allocation is lost; throws when no TURN server runs. */
  restart(): Promise<void>
  stop(): Promise<void>
}

/** Credentials stay valid this long (seconds), as the platform always granted them. */
export const turnCredentialsLifetime = 86_400

/** TURN REST API credentials (draft-uberti-behave-turn-rest): what coturn's `use-auth-secret` verifies. */
export function turnCredentials(secret: string, userId: string, now: number, lifetime = turnCredentialsLifetime): TurnCredentials {
  const username = `${Math.floor(now / 1000) + lifetime}:${userId}`
  return { username, password: createHmac('sha1', secret).update(username).digest('base64') }
}

const noTurnServer = (): Error => new Error('no TURN server runs: start the platform with --turn (turn: true)')

/** Credentials only: no TURN server runs, so clients use host candidates. */
export function credentialsOnly(): TurnService {
  const secret = randomBytes(24).toString('base64url')
  return {
    credentials: (userId, now) => turnCredentials(secret, userId, now),
    urls: () => [],
    state: () => ({ urls: [], running: false, restarts: 0, media: { blackhole: false, lossPercent: 0, delayMs: 0 } }),
    impair: () => {
      throw noTurnServer()
    },
    restart: () => Promise.reject(noTurnServer()),
    stop: async () => undefined,
  }
}

export interface TurnOptions {
  /** The IPv4 address coturn and the relay listen on (and the URLs name). */
  readonly host: string
  readonly binary?: string
  readonly log: (line: string) => void
  readonly debug: (line: string) => void
}

/** Starts coturn and its relay; throws with how to install coturn when it is missing. */
export async function startTurn(options: TurnOptions): Promise<TurnService> {
  const secret = randomBytes(24).toString('base64url')
  const coturn: Coturn = await startCoturn({ binary: options.binary, host: options.host, secret, realm: 'kandy-rx.local', log: options.log, debug: options.debug })
  let relay: UdpRelay
  try {
    relay = await startRelay(options.host, () => ({ host: options.host, port: coturn.port }))
  } catch (error) {
    await coturn.stop()
    throw error
  }
  const urls = [`turn:${options.host}:${relay.port}?transport=udp`]
  return {
    credentials: (userId, now) => turnCredentials(secret, userId, now),
    urls: () => urls,
    state: () => ({ urls, running: coturn.running, ...(coturn.pid === undefined ? {} : { pid: coturn.pid }), restarts: coturn.restarts, media: relay.impairment }),
    impair: (change) => {
      const media = relay.impair(change)
      options.log(`relayed media: ${media.blackhole ? 'blackholed' : `loss ${media.lossPercent}%, delay ${media.delayMs} ms`}`)
      return media
    },
    restart: async () => {
      relay.reset()
      await coturn.restart()
    },
    stop: async () => {
      await relay.stop()
      await coturn.stop()
    },
  }
}
