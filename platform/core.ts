import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import type { Duplex } from 'node:stream'
import { isLeft } from 'fp-ts/Either'
import { WebSocketServer } from 'ws'
import { AccountDirectory } from './accounts.js'
import { ChannelHub } from './channels.js'
import type { PlatformClock } from './clock.js'
import type { Account, FeatureHandle, Handler, PlatformContext, PlatformFeature, PlatformReply, RouteOptions, ServiceName } from './context.js'
import { notFound } from './context.js'
import { badInput, forbidden, hostRefused, injectedFault, internalError, methodNotAllowed, tooLarge, unauthorized, unknownPath } from './errors.js'
import { failingField, jsonBodyLimit, originOf, parseBody, preflight, rawBodyLimit, readBody, refuseUpgrade, writeReply } from './http.js'
import { Faults } from './faults.js'
import { adminRefusal, isAdminPath } from './guard.js'
import { channelSocketOf, pathSegments, Router, type Method, type Route } from './router.js'
import { Store } from './store.js'
import { newSecret, TokenIssuer } from './tokens.js'
import type { TurnService } from './turn.js'

/** What a core generation is built from; `startPlatform` fills the defaults. */
export interface CoreOptions {
  readonly accounts: readonly Account[]
  readonly dataDir: string | undefined
  readonly features: readonly PlatformFeature[]
  readonly admin: boolean
  /** The secret every `/_admin/` request must carry (when `admin`). */
  readonly adminSecret: string | undefined
  /** True when a `Host` header names this platform (anything else is refused: DNS rebinding). */
  readonly isOwnHost: (host: string | undefined) => boolean
  readonly serverConnCheckInterval: number
  /** Where every generation reads the time and sets its timers. */
  readonly clock: PlatformClock
  /** Access / id token lifetime in seconds. */
  readonly tokenLifetime: number
  readonly log: (line: string) => void
  /** Log one line per HTTP request. */
  readonly logRequests: boolean
  readonly baseUrl: () => string
  /** Serves GET requests no route matched (static files); false when it has nothing for the path. */
  readonly fallback?: (request: IncomingMessage, response: ServerResponse, headers: Record<string, string>) => boolean
  /** The admin API's restart (the server owns the listening socket). */
  readonly restart: (options: RestartOptions) => Promise<void>
  /** The signing secret to keep when there is no data directory (in-process restarts). */
  readonly secret?: string
  /** TURN credentials, and coturn when the platform runs one (it outlives core generations). */
  readonly turn: TurnService
}

export interface RestartOptions {
  /** Milliseconds to stay down (not listening) before listening again; default 0. */
  readonly downtime?: number
  /** Rebuild every module and reload persisted state from the data directory, as a process restart would (in-memory state is lost). Default false: everything in memory is kept, only connections are cut. */
  readonly fresh?: boolean
}

/** The platform core's own parts, for the core's feature modules (tokens, channels, subscriptions, admin). */
export interface CoreInternals {
  readonly options: CoreOptions
  readonly accounts: AccountDirectory
  readonly tokens: TokenIssuer
  readonly hub: ChannelHub
  readonly faults: Faults
  readonly store: Store
  readonly router: Router
  readonly secret: string
}

const internals = new WeakMap<PlatformContext, CoreInternals>()

/** The core internals behind a context handed out by the core; throws for any other object. */
export function coreOf(ctx: PlatformContext): CoreInternals {
  const found = internals.get(ctx)
  if (found === undefined) throw new Error('coreOf: not a context created by the platform core')
  return found
}

// Browser apps on any origin call the CPaaS routes with a bearer token (never cookies), so `*`
// without credentials is all they need; the admin API gets no CORS at all.
const publicCors: Readonly<Record<string, string>> = { 'Access-Control-Allow-Origin': '*' }

const anonymous: Account = { userId: '', identity: '', password: '', firstName: '', lastName: '', email: '', phoneNumber: '' }

/** One generation of the platform: accounts, store, channels, routes and the installed feature modules. */
export class Core {
  readonly internals: CoreInternals
  readonly context: PlatformContext
  private readonly handles: FeatureHandle[] = []
  private readonly sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024, clientTracking: false })

  constructor(readonly options: CoreOptions) {
    const log = options.log
    const accounts = new AccountDirectory(options.accounts)
    const store = new Store(options.dataDir, log)
    const secret = options.dataDir !== undefined ? store.persisted('platform-secret', () => ({ secret: newSecret() })) : undefined
    if (secret !== undefined) secret.save()
    const signingSecret = secret?.value.secret ?? options.secret ?? newSecret()
    const clock = options.clock
    const now = (): number => clock.now()
    const faults = new Faults()
    const router = new Router()
    const hub = new ChannelHub({
      serverConnCheckInterval: options.serverConnCheckInterval,
      faults,
      id: randomUUID,
      clock,
      log,
      canonicalUser: (address) => accounts.find(address)?.userId,
      origin: options.baseUrl,
    })
    this.internals = { options, accounts, tokens: new TokenIssuer(signingSecret, options.tokenLifetime, now), hub, faults, store, router, secret: signingSecret }
    this.context = {
      route: <Body>(method: Method, pattern: string, routeOptions: RouteOptions<Body>, handler: Handler<Body>) =>
        router.add(method, pattern, routeOptions as RouteOptions<unknown>, handler as Handler<unknown>),
      notify: (userId, service, frame, devices) => hub.notify(userId, service, frame, devices),
      accounts: { all: () => accounts.all(), find: (address) => accounts.find(address) },
      persisted: (name, initial) => store.persisted(name, initial),
      id: randomUUID,
      now,
      clock,
      baseUrl: options.baseUrl,
      isOnline: (userId) => hub.isOnline(accounts.find(userId)?.userId ?? userId),
      log,
      subscriptions: {
        add: (userId: string, service: ServiceName, notifyURL: string, clientCorrelator?: string) => {
          const record = hub.subscribe(userId, service, notifyURL, clientCorrelator)
          return record === undefined ? undefined : { id: record.id, channelId: record.channelId }
        },
        remove: (userId, subscriptionId) => hub.unsubscribe(userId, subscriptionId),
        has: (userId, service) => hub.hasService(userId, service),
      },
    }
    internals.set(this.context, this.internals)
    for (const feature of options.features) {
      const handle = feature(this.context)
      if (handle) this.handles.push(handle)
    }
  }

  /** Stops feature modules and timers and closes every socket. */
  async stop(code = 1001, reason = 'server shutting down'): Promise<void> {
    this.internals.hub.stop(code, reason)
    for (const handle of this.handles.splice(0)) {
      try {
        await handle.stop()
      } catch (error) {
        this.options.log(`feature stop failed: ${(error as Error).stack ?? String(error)}`)
      }
    }
  }

  /** Serves one HTTP request; never throws. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = Date.now()
    const method = request.method ?? 'GET'
    const rawUrl = request.url ?? '/'
    const queryAt = rawUrl.indexOf('?')
    const path = queryAt >= 0 ? rawUrl.slice(0, queryAt) : rawUrl
    const admin = isAdminPath(path)
    const cors: Record<string, string> = admin ? {} : { ...publicCors }
    const logged = (status: number): void => {
      if (this.options.logRequests) this.options.log(`${method} ${path} ${status} ${Date.now() - started}ms`)
    }
    const finish = (reply: PlatformReply): void => {
      writeReply(response, reply, cors)
      logged(reply.status)
    }
    try {
      if (!this.options.isOwnHost(request.headers.host)) return finish(hostRefused(request.headers.host ?? ''))
      const adminRefused = admin && this.options.adminSecret !== undefined ? adminRefusal(request, this.options.adminSecret) : undefined
      if (adminRefused !== undefined) return finish(adminRefused)
      if (method === 'OPTIONS') return preflight(response, cors)
      if (!admin) {
        await this.held(this.internals.faults.delayFor(path))
        const fault = this.injectedFault(`${method} ${path}`, path)
        if (fault === 'reset') return void request.socket.destroy()
        if (fault !== undefined) return finish(fault)
      }
      const segments = pathSegments(path)
      if (segments === undefined) return finish(badInput('path: malformed percent-encoding'))
      const match = this.internals.router.match(method, segments)
      if (match.kind === 'wrongMethod') return finish(methodNotAllowed(method, match.allowed))
      if (match.kind === 'none') {
        if ((method === 'GET' || method === 'HEAD') && this.options.fallback?.(request, response, cors)) return logged(response.statusCode)
        return finish(unknownPath(path))
      }
      const reply = await this.serve(match.route, match.params, request, { method, path, query: queryAt >= 0 ? rawUrl.slice(queryAt + 1) : '' })
      // The client hung up mid-body: nothing failed here, and nobody is left to answer.
      if (reply === 'aborted') {
        if (this.options.logRequests) this.options.log(`${method} ${path}: the client went away mid-body`)
        return
      }
      if (!admin) await this.held(this.internals.faults.delayFor(path, 'answer'))
      finish(reply)
    } catch (error) {
      const reference = randomUUID()
      this.options.log(`${method} ${path} failed (reference ${reference}): ${(error as Error)?.stack ?? String(error)}`)
      if (!response.headersSent) finish(internalError(reference))
      else response.destroy()
    }
  }

  /** A failure armed through the admin API for this path, taken: a reply, or `reset` to cut the connection. */
  private injectedFault(label: string, path: string): PlatformReply | 'reset' | undefined {
    const failure = this.internals.faults.takeFailure(path)
    if (failure === undefined) return undefined
    this.options.log(`${label}: injected ${failure.reset ? 'connection reset' : `failure ${failure.status}`}`)
    if (failure.reset) return 'reset'
    return failure.body !== undefined ? { status: failure.status, body: failure.body } : injectedFault(failure.status)
  }

  /** Runs a matched route: the bearer token and `:userId` checked, the body read and decoded. */
  private async serve(route: Route, params: Record<string, string>, request: IncomingMessage, at: { method: string; path: string; query: string }): Promise<PlatformReply | 'aborted'> {
    let user = anonymous
    const authorization = request.headers.authorization
    if (!route.options.public || authorization !== undefined) {
      const authenticated = this.authenticate(authorization)
      if (typeof authenticated === 'string') {
        if (!route.options.public) return unauthorized(authenticated)
      } else user = authenticated
    }
    if (!route.options.public && params.userId !== undefined && params.userId.toLowerCase() !== user.userId.toLowerCase()) {
      return forbidden(`the token of ${user.userId} does not give access to the resources of ${params.userId}`)
    }
    const limit = route.options.raw ? rawBodyLimit : jsonBodyLimit
    const rawBody = await readBody(request, limit)
    if (rawBody === 'aborted') return rawBody
    if (rawBody === 'tooLarge') return tooLarge(limit)
    let body: unknown
    if (!route.options.raw) {
      const parsed = parseBody(rawBody, request.headers['content-type'])
      if (parsed.kind !== 'ok') return parsed.reply
      body = parsed.value
      if (route.options.body !== undefined) {
        const decoded = route.options.body.decode(body)
        if (isLeft(decoded)) return badInput(failingField(decoded.left))
        body = decoded.right
      }
    }
    const { method, path, query } = at
    return route.handler({ method, path, params, query: new URLSearchParams(query), headers: request.headers, body, rawBody, user, version: params.version ?? 'v1', origin: originOf(request, this.options.baseUrl()) })
  }

  /** Serves one WebSocket upgrade: only the channel URL, with a valid `access_token` of the channel's owner. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy())
    try {
      const url = new URL(request.url ?? '/', 'http://platform.local')
      const path = url.pathname
      if (!this.options.isOwnHost(request.headers.host)) return refuseUpgrade(socket, hostRefused(request.headers.host ?? ''))
      const fault = this.injectedFault(`upgrade ${path}`, path)
      if (fault === 'reset') return void socket.destroy()
      if (fault !== undefined) return refuseUpgrade(socket, fault)
      // Read as the HTTP routes read paths: escapes decoded (`+` kept), one trailing slash ignored.
      const segments = pathSegments(path)
      if (segments === undefined) return refuseUpgrade(socket, badInput('path: malformed percent-encoding'))
      const match = channelSocketOf(segments)
      if (match === undefined) return refuseUpgrade(socket, unknownPath(path))
      const { userId, channelId } = match
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1]
      const token = url.searchParams.get('access_token') ?? bearer
      const user = this.authenticate(token === null || token === undefined ? undefined : `Bearer ${token}`)
      if (typeof user === 'string') return refuseUpgrade(socket, unauthorized(user))
      if (user.userId.toLowerCase() !== userId.toLowerCase()) return refuseUpgrade(socket, forbidden(`the token of ${user.userId} does not give access to the channels of ${userId}`))
      const channel = this.internals.hub.get(user.userId, channelId)
      if (channel === undefined) return refuseUpgrade(socket, notFound(channelId))
      this.sockets.handleUpgrade(request, socket, head, (ws) => {
        this.internals.hub.attach(channel, ws, originOf(request, this.options.baseUrl()))
        this.options.log(`socket open on channel ${channel.id} of ${user.userId}`)
      })
    } catch (error) {
      this.options.log(`upgrade failed: ${(error as Error)?.stack ?? String(error)}`)
      refuseUpgrade(socket, internalError('upgrade'))
    }
  }

  /** Waits `ms` (a delay fault) on the platform's clock, so that a spec on a test clock holds the request until it advances. */
  private async held(ms: number): Promise<void> {
    if (ms > 0) await new Promise<void>((resolve) => this.options.clock.later(ms, resolve))
  }

  /** The account of a valid `Bearer` access token, or why there is none. */
  authenticate(authorization: string | undefined): Account | string {
    if (authorization === undefined || authorization.trim() === '') return 'missing bearer token'
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1]
    if (token === undefined) return 'malformed Authorization header (expected "Bearer <token>")'
    const claims = this.internals.tokens.verify(token, 'access')
    if (typeof claims === 'string') return `${claims} token`
    return this.internals.accounts.byUserId(claims.sub) ?? 'unknown user'
  }
}
