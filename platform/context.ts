import type * as t from 'io-ts'
import type { DeviceFilter } from './devices.js'
import type { PlatformClock } from './clock.js'

/** A seeded or registered user of the local platform. */
export interface Account {
  /** `preferred_username` of the id token and the `<userId>` path segment (the identity itself here). */
  readonly userId: string
  /** `name@domain`: the `services-identity` claim and the user's public address. */
  readonly identity: string
  readonly password: string
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  /** E.164, e.g. `+15551230001`. */
  readonly phoneNumber: string
  /** Set for the platform's bot users (issue 9); absent for people. */
  readonly bot?: string
}

/** The service a notification belongs to; a notification reaches only channels subscribed to it. */
export type ServiceName = 'call' | 'chat' | 'smsinbound' | 'presence' | 'smsoutbound'

/** A request as a route handler sees it, already authenticated and decoded. */
export interface PlatformRequest<Body> {
  readonly method: string
  /** Raw path, as sent. */
  readonly path: string
  /** Path parameters, percent-decoded (`+` stays `+`). */
  readonly params: Readonly<Record<string, string>>
  readonly query: URLSearchParams
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** The body decoded by the route's codec (or the raw parsed JSON when the route has none). */
  readonly body: Body
  /** The raw body bytes (multipart uploads). */
  readonly rawBody: Buffer
  /** The account that owns the bearer token; the router has checked that `:userId` is this account. */
  readonly user: Account
  /** The first path segment after `/cpaas/<service>/` (`v1`; any value is an alias of v1). */
  readonly version: string
  /** `<scheme>://<Host header>`: the address the client reached the platform by, for absolute links handed back to it. */
  readonly origin: string
}

/** One notification frame, `{ <kind>: { ... } }`. */
export type NotificationFrame = Readonly<Record<string, Readonly<Record<string, unknown>>>>

/** What a handler answers. `body` is sent as JSON unless it is a Buffer (then `contentType` applies). */
export interface PlatformReply {
  readonly status: number
  readonly body?: unknown
  readonly contentType?: string
  readonly headers?: Readonly<Record<string, string>>
}

export type Handler<Body> = (request: PlatformRequest<Body>) => PlatformReply | Promise<PlatformReply>

export interface RouteOptions<Body> {
  /** io-ts codec of the JSON body (shared with the SDK: `streams/<feature>/codecs.ts`); a body that fails it gets 400 SVC0002. */
  readonly body?: t.Decoder<unknown, Body>
  /** No bearer token needed (token endpoint, file downloads by link). */
  readonly public?: boolean
  /** Keep the raw body (multipart); the JSON body is then not parsed. */
  readonly raw?: boolean
}

/** A value kept in memory and, with `--data DIR`, in a file there (written atomically on `save`). */
export interface Persisted<T> {
  readonly value: T
  /** Call after changing `value`. */
  save(): void
}

/**
 * What the platform core hands each feature module (`platform/features/<name>.ts`, a function
 * `(ctx: PlatformContext) => void | FeatureHandle`).
 */
export interface PlatformContext {
  /**
   * Adds a route. `pattern` is a path with `:name` parameters, e.g.
   * `/cpaas/chat/:version/:userId/oneToOne/:peer/adhoc/messages`; `:version` and `:userId` are
   * special (version alias, ownership check: another user's `:userId` gets 403).
   */
  route<Body = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', pattern: string, options: RouteOptions<Body>, handler: Handler<Body>): void
  /**
   * Delivers one notification frame `{ <kind>: { ... } }` to every channel of `userId` subscribed
   * to `service` (`devices`: only one device's channels, or all but one's, by `clientCorrelator`);
   * the core adds `id` when missing. A frame with absolute links is a function of the origin each
   * channel's socket reached the platform by (`ctx.baseUrl()` before any socket opened).
   */
  notify(userId: string, service: ServiceName, frame: NotificationFrame | ((origin: string) => NotificationFrame), devices?: DeviceFilter): void
  /** Every account. */
  readonly accounts: {
    all(): readonly Account[]
    /** By userId, identity, or phone number (`+1555...`, `tel:+1555...`, `sip:user@domain`, `sip:+1555...@domain`): what a destination can be. */
    find(address: string): Account | undefined
  }
  /** State that survives a restart when the platform runs with `--data`. */
  persisted<T>(name: string, initial: () => T): Persisted<T>
  /** A fresh id: lowercase letters, digits and `-` only (it ends up in URLs). */
  id(): string
  /** Milliseconds since the epoch (`clock.now()`). */
  now(): number
  /** The platform's clock: a module sets its timers on it (`timeouts(ctx.clock)`), so that specs can move time. */
  readonly clock: PlatformClock
  /** Absolute base URL of this server as it was started (`http://127.0.0.1:8080`); links for a client use the origin it came by (`request.origin`). */
  baseUrl(): string
  /** True when `userId` has at least one open notification WebSocket. */
  isOnline(userId: string): boolean
  /**
   * Service subscriptions of notification channels. The core serves the `call`, `chat`,
   * `smsinbound` and `smsoutbound` subscription endpoints itself; a module with its own
   * subscription endpoint (presence) records its subscriptions here so that `notify` reaches them.
   * A subscription lives as long as its channel (deleted or expired channels drop theirs).
   */
  readonly subscriptions: ChannelSubscriptions
  /** Platform log line. */
  log(message: string): void
}

/** See `PlatformContext.subscriptions`. */
export interface ChannelSubscriptions {
  /** Subscribes the user's channel whose `callbackURL` is `notifyURL` to `service`; undefined when the user has no such channel. */
  add(userId: string, service: ServiceName, notifyURL: string, clientCorrelator?: string): { readonly id: string; readonly channelId: string } | undefined
  /** Removes one of the user's subscriptions; false when the user has no subscription with that id. */
  remove(userId: string, subscriptionId: string): boolean
  /** True when at least one channel of the user is subscribed to `service`. */
  has(userId: string, service: ServiceName): boolean
}

/** What a feature module may return: something to stop on shutdown (timers, bots). */
export interface FeatureHandle {
  stop(): void | Promise<void>
}

export type PlatformFeature = (ctx: PlatformContext) => void | FeatureHandle

/** A `requestError` body with a `serviceException` (`protocol/README.md`, Error bodies). */
export function serviceError(status: number, messageId: string, text: string, variables: readonly string[] = []): PlatformReply {
  return { status, body: { requestError: { serviceException: { messageId, text, variables } } } }
}

/** A `requestError` body with a `policyException`. */
export function policyError(status: number, messageId: string, text: string, variables: readonly string[] = []): PlatformReply {
  return { status, body: { requestError: { policyException: { messageId, text, variables } } } }
}

/** 404 for an unknown resource. */
export const notFound = (what: string): PlatformReply => serviceError(404, 'SVC0004', 'No valid addresses provided in message part %1', [what])
