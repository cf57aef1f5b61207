import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { adminOperations, type PlatformAdmin } from './admin.js'
import { loadAccountsFile, seededAccounts } from './accounts.js'
import { loopback, selfSignedCertificate } from './certificate.js'
import type { Account, PlatformContext, PlatformFeature } from './context.js'
import { systemClock, type PlatformClock } from './clock.js'
import { Core, type CoreInternals, type CoreOptions, type RestartOptions } from './core.js'
import { coreFeatures, platformFeatures } from './features/index.js'
import { hostAllowed, newAdminSecret, ownHostNames } from './guard.js'
import { repositoryRoot, staticFiles } from './static.js'
import { credentialsOnly, startTurn, type TurnService } from './turn.js'

/** How to start a platform (`startPlatform`); every field is optional. */
export interface PlatformOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number
  /** Default `127.0.0.1`. */
  readonly host?: string
  /** The accounts, or a JSON file of them; default the seeded users of `platform/users.json`. */
  readonly users?: readonly Account[] | string
  /** Keeps persisted state in `<dataDir>/<name>.json`; default: memory only. */
  readonly dataDir?: string
  /** HTTPS and WSS: `true` for a self-signed certificate made at start, or PEM texts. */
  readonly tls?: boolean | { readonly cert: string; readonly key: string }
  /** Feature modules to install besides the core's (default: every registered module). */
  readonly features?: readonly PlatformFeature[]
  /** The `/_admin/` API; default true when listening on a loopback address. */
  readonly admin?: boolean
  /** The secret every `/_admin/` request must carry (`Authorization: Bearer <secret>` or `X-Admin-Secret`); default a random one made at start. */
  readonly adminSecret?: string
  /** Seconds between server `connCheck`s on channels created with `x-connCheckRole: server` (default 30). */
  readonly serverConnCheckInterval?: number
  /** Access / id token lifetime in seconds (default 3600). */
  readonly tokenLifetime?: number
  /**
   * Where the platform reads the time and sets its timers (typing idle, ring timeout, channel
   * expiry, token expiry, queued-notification age, connChecks, request delays); default the wall clock.
   * Network I/O and the other injected faults (restart downtime, media) stay on real time.
   */
  readonly clock?: PlatformClock
  /** Receives every log line (default: standard error). */
  readonly log?: (line: string) => void
  /** Log one line per HTTP request too (default false). */
  readonly logRequests?: boolean
  /** Where `/`, `/kandy-rx.js` and `/samples/` are served from (default: the repository root); `false` serves no files. */
  readonly staticRoot?: string | false
  /**
   * Runs coturn (`turnserver`, Debian package `coturn`) as a child process behind a UDP relay, for
   * relayed calls and media faults; start fails when coturn is missing. Default false (credentials only).
   */
  readonly turn?: boolean
}

/** Tokens for one user, as the token endpoint would grant them. */
export interface UserTokens {
  readonly accessToken: string
  readonly idToken: string
  readonly refreshToken: string
}

/** A started platform. */
export interface RunningPlatform {
  /** `http://127.0.0.1:<port>` (or `https://`). */
  readonly url: string
  /** `ws://127.0.0.1:<port>` (or `wss://`). */
  readonly wsUrl: string
  readonly port: number
  readonly host: string
  readonly users: readonly Account[]
  /** The secret of the `/_admin/` HTTP API; undefined when that API is off. */
  readonly adminSecret: string | undefined
  /** Tokens for a user (any address form); `lifetime` in seconds, negative for already expired tokens. */
  tokens(userId: string, options?: { readonly lifetime?: number }): Promise<UserTokens>
  /** The context handed to feature modules (the current generation's). */
  readonly context: PlatformContext
  /** Fault injection and inspection, as `/_admin/` offers it (available even when the HTTP admin API is off). */
  readonly admin: PlatformAdmin
  /** Closes every connection and listens again on the same port; in-memory state is kept unless `fresh`. */
  restart(options?: RestartOptions): Promise<void>
  stop(): Promise<void>
}


/** Starts the local platform and resolves once it is listening. */
export async function startPlatform(options: PlatformOptions = {}): Promise<RunningPlatform> {
  const host = options.host ?? '127.0.0.1'
  const accounts = typeof options.users === 'string' ? loadAccountsFile(options.users) : (options.users ?? seededAccounts)
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const tls = options.tls === true ? await selfSignedCertificate(host) : options.tls || undefined
  const scheme = tls === undefined ? 'http' : 'https'
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  let core: Core
  const server = httpServer(tls, () => core)
  const listening = listener(server, host, options.port ?? 0)
  const url = (): string => `${scheme}://${urlHost}:${listening.port()}`
  const features = [...coreFeatures, ...(options.features ?? platformFeatures).filter((feature) => !coreFeatures.includes(feature))]
  const fallback = staticFallback(options, accounts, scheme, url)
  const { admin, adminSecret } = adminSettings(options, host)
  const hostNames = ownHostNames(host)
  const defaultPort = tls === undefined ? 80 : 443
  const turn = await turnService(options, host, log)
  const coreOptions = (secret?: string): CoreOptions => ({
    accounts,
    dataDir: options.dataDir,
    features,
    admin,
    adminSecret,
    isOwnHost: (header) => hostAllowed(header, hostNames, listening.port(), defaultPort),
    serverConnCheckInterval: options.serverConnCheckInterval ?? 30,
    clock: options.clock ?? systemClock,
    tokenLifetime: options.tokenLifetime ?? 3600,
    log,
    logRequests: options.logRequests ?? false,
    baseUrl: url,
    fallback,
    restart: (restartOptions) => restarts.restart(restartOptions),
    secret,
    turn,
  })
  core = new Core(coreOptions())
  const close = async (code: number, reason: string): Promise<void> => {
    core.internals.hub.stop(code, reason)
    await listening.close()
  }
  const restarts = restarter(log, url, close, listening.listen, async () => {
    await core.stop(1012, 'service restart')
    core = new Core(coreOptions(core.internals.secret))
  }, () => core.internals.hub.resume())
  try {
    await listening.listen()
  } catch (error) {
    await turn.stop()
    throw error
  }
  let stopped = false
  return {
    get url() {
      return url()
    },
    get wsUrl() {
      return url().replace(/^http/, 'ws')
    },
    get port() {
      return listening.port()
    },
    host,
    users: accounts,
    adminSecret,
    get context() {
      return core.context
    },
    tokens: async (userId, tokenOptions = {}) => tokensOf(core.internals, userId, tokenOptions.lifetime),
    admin: adminOperations(() => core.internals),
    restart: restarts.restart,
    stop: async () => {
      if (stopped) return
      stopped = true
      await restarts.settled()
      await close(1001, 'server shutting down')
      await core.stop()
      await turn.stop()
    },
  }
}

/** The HTTP(S) server in front of the current core generation. */
/** The repository's (or `staticRoot`'s) files, unless `staticRoot` is false; the home page names the address its reader came by, as attachment links do. */
function staticFallback(options: PlatformOptions, accounts: readonly Account[], scheme: string, url: () => string): ReturnType<typeof staticFiles> | undefined {
  if (options.staticRoot === false) return undefined
  return staticFiles(options.staticRoot ?? repositoryRoot(), (request) => ({ users: accounts, url: request.headers.host === undefined ? url() : `${scheme}://${request.headers.host}` }))
}

function httpServer(tls: { readonly cert: string; readonly key: string } | undefined, core: () => Core): Server {
  const server: Server = tls === undefined ? createHttpServer() : createHttpsServer({ cert: tls.cert, key: tls.key })
  server.keepAliveTimeout = 5000
  // A client that stalls mid-request does not hold a connection for long.
  server.requestTimeout = 30_000
  server.headersTimeout = 10_000
  server.on('request', (request, response) => void core().handle(request, response))
  server.on('upgrade', (request, socket, head) => core().upgrade(request, socket, head))
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n')
    else socket.destroy()
  })
  return server
}

/** Listens on `port` (0: a free one, kept across restarts once picked) and closes every connection on `close`. */
function listener(server: Server, host: string, port: number) {
  return {
    port: (): number => port,
    listen: (): Promise<void> =>
      new Promise((resolve, reject) => {
        const failed = (error: Error): void => reject(error)
        server.once('error', failed)
        server.listen(port, host, () => {
          server.off('error', failed)
          port = (server.address() as AddressInfo).port
          resolve()
        })
      }),
    close: (): Promise<void> =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** coturn behind its relay with `turn: true`, else TURN credentials only. */
async function turnService(options: PlatformOptions, host: string, log: (line: string) => void): Promise<TurnService> {
  if (options.turn !== true) return credentialsOnly()
  // coturn speaks IPv4 here: on the platform's address when it is one, else on loopback.
  const turnHost = /^\d+\.\d+\.\d+\.\d+$/.test(host) && host !== '0.0.0.0' ? host : '127.0.0.1'
  // coturn's own output is debug-level: logged only with `logRequests` (`--verbose`).
  const debug = (line: string): void => {
    if (options.logRequests === true) log(`turn: ${line}`)
  }
  return startTurn({ host: turnHost, log, debug })
}

/** `restart`, one at a time: connections closed, every module rebuilt when `fresh`, listening again after `downtime`. */
function restarter(log: (line: string) => void, url: () => string, close: (code: number, reason: string) => Promise<void>, listen: () => Promise<void>, rebuild: () => Promise<void>, resume: () => void) {
  let restarting: Promise<void> | undefined
  return {
    restart: (restartOptions: RestartOptions = {}): Promise<void> => {
      restarting ??= (async () => {
        log(`platform restarting${restartOptions.fresh ? ' (fresh)' : ''}`)
        await close(1012, 'service restart')
        if (restartOptions.fresh) await rebuild()
        if ((restartOptions.downtime ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, restartOptions.downtime))
        await listen()
        resume()
        log(`platform listening again on ${url()}`)
      })().finally(() => {
        restarting = undefined
      })
      return restarting
    },
    /** Resolves once a restart in progress has ended, however it ended. */
    settled: async (): Promise<void> => {
      await restarting?.catch(() => undefined)
    },
  }
}

function tokensOf(core: CoreInternals, userId: string, lifetime: number | undefined): UserTokens {
  const account = core.accounts.find(userId)
  if (account === undefined) throw new Error(`tokens: unknown user ${userId}`)
  const { accessToken, idToken, refreshToken } = core.tokens.issue(account, lifetime)
  return { accessToken, idToken, refreshToken }
}

/** Whether the `/_admin/` API is on (default: on a loopback host) and its secret (default: a random one). */
function adminSettings(options: PlatformOptions, host: string): { admin: boolean; adminSecret: string | undefined } {
  const admin = options.admin ?? loopback(host)
  if (options.adminSecret !== undefined && options.adminSecret.trim() === '') throw new Error('startPlatform: adminSecret must not be empty')
  return { admin, adminSecret: admin ? (options.adminSecret ?? newAdminSecret()) : undefined }
}
