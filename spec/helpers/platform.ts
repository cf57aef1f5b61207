// Starts the local platform in-process for integration specs: port 0, loopback, quiet logs.
//
//   const platform = usePlatform()                    // inside a describe: started before, stopped after
//   const alice = await platform().login('alice@example.com')
//
//   const p = await startTestPlatform({ dataDir })    // or by hand; then await p.stop()
//
//   const { platform, startAgain } = usePersistedPlatform()   // on a data directory, restartable
//   const platform = usePlatformPerTest()                     // a new platform for each test
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startPlatform, type PlatformOptions, type RunningPlatform } from '../../platform/index.js'

/** What `login` returns: the token endpoint's grant, named as `client.setTokens` wants it. */
export interface LoginTokens {
  readonly accessToken: string
  readonly idToken: string
  readonly refreshToken: string
  /** The `<userId>` path segment (`preferred_username`). */
  readonly userId: string
  /** `services-identity`. */
  readonly identity: string
}

/** A running platform plus test conveniences. */
export interface TestPlatform extends RunningPlatform {
  /** Logs in through the real token endpoint (password grant) over HTTP. */
  login(userId: string, password?: string): Promise<LoginTokens>
  /** `fetch` of a platform path with the user's bearer token and JSON headers. */
  fetchAs(tokens: LoginTokens, method: string, path: string, body?: unknown): Promise<Response>
  /** Every log line so far (printed as they come when `KANDY_PLATFORM_LOG=1`). */
  readonly logs: string[]
}

/** Starts a platform on 127.0.0.1, port 0, with logs collected instead of printed. */
export async function startTestPlatform(options: PlatformOptions = {}): Promise<TestPlatform> {
  const logs: string[] = []
  const print = process.env.KANDY_PLATFORM_LOG === '1'
  const running = await startPlatform({
    port: 0,
    host: '127.0.0.1',
    logRequests: print,
    ...options,
    log: (line) => {
      logs.push(line)
      if (print) process.stderr.write(`[platform] ${line}\n`)
      options.log?.(line)
    },
  })
  const login = async (userId: string, password = running.users.find((u) => u.userId === userId || u.identity === userId)?.password ?? 'password'): Promise<LoginTokens> => {
    const response = await fetch(`${running.url}/cpaas/auth/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: 'kandy-rx-spec', username: userId, password, scope: 'openid' }).toString(),
    })
    const body = (await response.json()) as Record<string, string>
    if (response.status !== 200) throw new Error(`login ${userId} failed: ${response.status} ${JSON.stringify(body)}`)
    const claims = JSON.parse(Buffer.from(body.id_token!.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, string>
    return {
      accessToken: body.access_token!,
      idToken: body.id_token!,
      refreshToken: body.refresh_token!,
      userId: claims.preferred_username!,
      identity: claims['services-identity']!,
    }
  }
  const fetchAs = (tokens: LoginTokens, method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${running.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${tokens.accessToken}`, Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  return Object.assign(Object.create(running) as RunningPlatform, { login, fetchAs, logs }) as TestPlatform
}

export interface RunningOptions<T> {
  /** Start before each test and stop after it, instead of once for the enclosing `describe`. */
  readonly perTest?: boolean
  /** Milliseconds `start` may take, when more than a hook's default. */
  readonly timeout?: number
  /** Run after each test while it is running (closing what the test opened). */
  readonly afterEach?: (running: T) => Promise<void>
}

/**
 * Mocha hooks for the enclosing `describe`: `start` before its tests, `stop` after them; returns
 * a getter for what runs, which fails (naming `name`) outside them.
 */
export function useRunning<T extends { stop(): Promise<void> }>(name: string, start: () => Promise<T>, options: RunningOptions<T> = {}): () => T {
  let running: T | undefined
  ;(options.perTest ? beforeEach : before)(async function () {
    if (options.timeout !== undefined) this.timeout(options.timeout)
    running = await start()
  })
  if (options.afterEach !== undefined) {
    const each = options.afterEach
    afterEach(async () => {
      if (running !== undefined) await each(running)
    })
  }
  ;(options.perTest ? afterEach : after)(async () => {
    await running?.stop()
    running = undefined
  })
  return () => {
    if (running === undefined) throw new Error(`${name}: not running (use it inside a test or hook)`)
    return running
  }
}

/**
 * Mocha hooks for the enclosing `describe`: starts a platform before its tests and stops it
 * after them; returns a getter for it.
 */
export const usePlatform = (options: PlatformOptions = {}): (() => TestPlatform) => useRunning('usePlatform', () => startTestPlatform(options))

/**
 * Like usePlatform, with a platform of its own for each test (started before it, stopped after
 * it), so that the platform's counts of channels, sockets and subscriptions are the test's.
 */
export const usePlatformPerTest = (options: PlatformOptions = {}): (() => TestPlatform) =>
  useRunning('usePlatformPerTest', () => startTestPlatform(options), { perTest: true })

/**
 * Like usePlatform, on a fresh data directory (`dataDir`) removed after the tests. `startAgain`
 * stops the platform and starts a new one on the same directory, which loads what the first saved.
 */
export function usePersistedPlatform(options: PlatformOptions = {}): { readonly platform: () => TestPlatform; readonly startAgain: () => Promise<TestPlatform> } {
  let dir: string
  let platform: TestPlatform | undefined
  const start = async (): Promise<TestPlatform> => (platform = await startTestPlatform({ ...options, dataDir: dir }))
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kandy-platform-data-'))
    await start()
  })
  after(async () => {
    await platform?.stop()
    platform = undefined
    rmSync(dir, { recursive: true, force: true })
  })
  const current = (): TestPlatform => {
    if (platform === undefined) throw new Error('usePersistedPlatform: the platform is not running (use it inside a test or hook)')
    return platform
  }
  const startAgain = async (): Promise<TestPlatform> => {
    await current().stop()
    platform = undefined
    return start()
  }
  return { platform: current, startAgain }
}
