import { startPlatform as startLocalPlatform, seededAccounts, type Account, type PlatformAdmin, type PlatformClock, type RestartOptions } from '../platform/index.js'
import { botsOf, missingBotAccounts, startBots, type BotKind, type RunningBots } from './bots.js'
import { faultsOf, type Faults } from './faults.js'

/** A user of a test platform: a user id, the rest optional (password `password`, names from the id). */
export interface TestUser {
  /** `name@domain`; also the identity, the email and the `<userId>` path segment unless given. */
  readonly userId: string
  readonly password?: string
  readonly firstName?: string
  readonly lastName?: string
  readonly email?: string
  /** E.164; default `+1555900000<n>` by position. */
  readonly phoneNumber?: string
  readonly identity?: string
}

/** How to start a test platform (`startPlatform`); every field is optional. */
export interface StartOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number
  /** Loopback only: `127.0.0.1` (default), another `127.x.y.z` address, `localhost` or `::1`. */
  readonly host?: string
  /** The users (ids or `TestUser`s); default the seeded users (alice, bob, carol, dave `@example.com`, and the bot accounts). */
  readonly users?: readonly (string | TestUser)[]
  /**
   * Starts the platform's bots (`true`: every kind; or the kinds named, e.g. `['echo', 'busy']`),
   * each an SDK client on its seeded account (`echo@example.com`, …), added to `users` when missing.
   * Default none.
   */
  readonly bots?: boolean | readonly BotKind[]
  /** `true` prints the platform's log lines to standard error; a function receives them. They are always kept in `logs`. */
  readonly log?: boolean | ((line: string) => void)
  /** Access / id token lifetime in seconds (default 3600). */
  readonly tokenLifetime?: number
  /** Seconds between the platform's `connCheck`s on channels where the server checks connectivity (default 30). */
  readonly serverConnCheckInterval?: number
  /** Keeps persisted state in this folder (default: memory only). */
  readonly dataDir?: string
  /** Serves static files from this folder as `npm start` does (`/`, `/samples/`, `/dist/`); default none. */
  readonly staticRoot?: string | false
  /**
   * Runs a real TURN server (coturn's `turnserver`: `apt-get install -y coturn`) for relayed calls and
   * media faults; starting fails when coturn is missing. Default false.
   */
  readonly turn?: boolean
  /** HTTPS and WSS: `true` for a self-signed certificate made at start, or PEM texts (default plain HTTP and WS). */
  readonly tls?: boolean | { readonly cert: string; readonly key: string }
  /**
   * Where the platform reads the time and sets its timers (ring timeout, typing idle, token and channel expiry, connChecks, the `delay` fault):
   * a `createTestClock()` to move them by hand; default the wall clock.
   */
  readonly clock?: PlatformClock
}

/** What the token endpoint granted, named as `client.setTokens` wants it. */
export interface TestTokens {
  readonly accessToken: string
  readonly idToken: string
  readonly refreshToken: string
  /** The `<userId>` path segment (`preferred_username`). */
  readonly userId: string
  /** `services-identity`. */
  readonly identity: string
}

/** A running test platform. */
export interface TestPlatform {
  /** `http://127.0.0.1:<port>` (or `https://`). */
  readonly url: string
  /** `ws://127.0.0.1:<port>` (or `wss://`). */
  readonly wsUrl: string
  readonly port: number
  readonly host: string
  /** Every account, with its password. */
  readonly users: readonly Account[]
  /** Logs a user in through the platform's token endpoint (password grant, over HTTP), as an app's login would. */
  tokens(userId: string, password?: string): Promise<TestTokens>
  /** Faults on purpose: drop sockets, stop answering connectivity checks, delay or fail requests. */
  readonly faults: Faults
  /** The platform's whole admin API (inspection, raw frames, notifications), in-process: no secret needed. */
  readonly admin: PlatformAdmin
  /** The secret of the platform's `/_admin/` HTTP API (`Authorization: Bearer <secret>`), for tools that call it over HTTP. */
  readonly adminSecret: string
  /** The TURN URLs to configure (`call.iceServers: turnUrls.map((urls) => ({ urls }))`); empty without `turn`. */
  readonly turnUrls: readonly string[]
  /** The bots started with `bots`: `running` (user id, kind, what it does). */
  readonly bots: RunningBots
  /** Every log line of the platform so far. */
  readonly logs: readonly string[]
  /** Stops the bots and the platform: every socket closes, the port is freed. Safe to call twice. */
  stop(): Promise<void>
}

const loopbackHosts = ['127.0.0.1', 'localhost', '::1']

const capitalised = (word: string): string => (word === '' ? word : word[0]!.toUpperCase() + word.slice(1))

/** A full account from a `TestUser` (the platform needs every field). */
export function accountOf(user: string | TestUser, index: number): Account {
  const given: TestUser = typeof user === 'string' ? { userId: user } : user
  if (typeof given.userId !== 'string' || given.userId.trim() === '') throw new Error(`startPlatform: user #${index} needs a userId`)
  const local = given.userId.split('@')[0]!
  return {
    userId: given.userId,
    identity: given.identity ?? given.userId,
    password: given.password ?? 'password',
    firstName: given.firstName ?? capitalised(local),
    lastName: given.lastName ?? 'Test',
    email: given.email ?? given.userId,
    phoneNumber: given.phoneNumber ?? `+1555900${String(index + 1).padStart(4, '0')}`,
  }
}

/** The accounts of `users` (default the seeded ones); throws on a user id given twice, in any case, as the platform would keep only one. */
function accountsOf(users: StartOptions['users']): readonly Account[] {
  if (users === undefined) return seededAccounts
  const accounts = users.map(accountOf)
  const twice = accounts.find((account, index) => accounts.findIndex((other) => other.userId.toLowerCase() === account.userId.toLowerCase()) !== index)
  if (twice !== undefined) throw new Error(`startPlatform: user ${twice.userId} is given twice`)
  return accounts
}

/** `tokens(userId, password?)` of a running platform: a login through its token endpoint (password grant, real HTTP). */
function tokensOf(platform: { readonly url: string; readonly users: readonly Account[] }): TestPlatform['tokens'] {
  return async (userId: string, password?: string): Promise<TestTokens> => {
    // In any case, as the platform finds its accounts.
    const account = platform.users.find((candidate) => [candidate.userId, candidate.identity, candidate.email].some((key) => key.toLowerCase() === userId.toLowerCase()))
    const ask = (): Promise<Response> =>
      fetch(`${platform.url}/cpaas/auth/v1/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', client_id: 'kandy-rx-testing', username: userId, password: password ?? account?.password ?? 'password', scope: 'openid' }).toString(),
      })
    // A restart closes the connections this process keeps alive, and one reused before the close is seen fails: ask once more, on a new one.
    const response = await ask()
      .catch(ask)
      .catch((error: unknown) => {
        throw new Error(`tokens(${userId}): no answer from the platform at ${platform.url} (${(error as Error).message})`, { cause: error })
      })
    const body = (await response.json()) as Record<string, unknown>
    if (response.status !== 200 || typeof body.access_token !== 'string' || typeof body.id_token !== 'string') {
      throw new Error(`tokens(${userId}): the token endpoint answered ${response.status} ${JSON.stringify(body)}`)
    }
    const claims = JSON.parse(Buffer.from(body.id_token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, string>
    return { accessToken: body.access_token, idToken: body.id_token, refreshToken: String(body.refresh_token), userId: claims.preferred_username!, identity: claims['services-identity']! }
  }
}

/**
 * Starts the local platform in this process on a free loopback port, with users (and bots),
 * for an app's own tests. Stop it with `stop()`.
 *
 * const platform = await startPlatform({ users: ['ann@example.com', 'ben@example.com'] })
 * const { accessToken, idToken } = await platform.tokens('ann@example.com')
 * await platform.faults.dropSockets('ann@example.com')
 * await platform.stop()
 */
export async function startPlatform(options: StartOptions = {}): Promise<TestPlatform> {
  const host = options.host ?? '127.0.0.1'
  if (!loopbackHosts.includes(host) && !/^127(\.\d{1,3}){3}$/.test(host)) throw new Error(`startPlatform: a test platform listens on loopback only, not ${host}`)
  const logs: string[] = []
  const print = options.log === true ? (line: string) => process.stderr.write(`[platform] ${line}\n`) : typeof options.log === 'function' ? options.log : undefined
  const kinds = botsOf(options.bots ?? false)
  const people = accountsOf(options.users)
  const running = await startLocalPlatform({
    port: options.port ?? 0,
    host,
    users: [...people, ...missingBotAccounts(people, kinds.map((definition) => definition.kind))],
    staticRoot: options.staticRoot ?? false,
    admin: true,
    ...(options.tokenLifetime === undefined ? {} : { tokenLifetime: options.tokenLifetime }),
    ...(options.serverConnCheckInterval === undefined ? {} : { serverConnCheckInterval: options.serverConnCheckInterval }),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    turn: options.turn ?? false,
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    log: (line) => {
      logs.push(line)
      print?.(line)
    },
  })

  const tokens = tokensOf(running)

  const { turn } = await running.admin.state()
  let bots: RunningBots
  try {
    bots = await startBots(kinds, running.url, running.users, print)
  } catch (error) {
    await running.stop()
    throw error
  }

  let stopping: Promise<void> | undefined
  return {
    get url() {
      return running.url
    },
    get wsUrl() {
      return running.wsUrl
    },
    get port() {
      return running.port
    },
    host,
    users: running.users,
    tokens,
    faults: faultsOf(running.admin),
    admin: running.admin,
    adminSecret: running.adminSecret!,
    turnUrls: turn.urls,
    bots,
    logs,
    stop: () => {
      stopping ??= (async () => {
        bots.stop()
        await running.stop()
      })()
      return stopping
    },
  }
}

export type { Account, PlatformAdmin, RestartOptions }
