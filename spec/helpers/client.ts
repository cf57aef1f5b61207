// SDK clients for Node integration specs: logged in through the platform's token endpoint and
// subscribed, over real HTTP and a real WebSocket (`ws`).
//
//   const platform = usePlatform()
//   const alice = await createTestClient(platform(), 'alice@example.com')           // documented API
//   const payload = await nextEvent(alice, 'ws:change')
//   alice.dispose()
//
//   const bob = await createTestStreams(platform(), 'bob@example.com', { services: ['chat'] })  // reactive core
//   bob.dispose()
import { WebSocket } from 'ws'
import { filter, firstValueFrom, map, race, timer } from 'rxjs'
import { create, type Client } from '../../lib/index.js'
import type { EventName } from '../../lib/events.js'
import { deepMerge, type UserConfig } from '../../streams/config/state.js'
import type { Environment, WebSocketConstructor } from '../../streams/environment.js'
import { createStreams, type Streams } from '../../streams/index.js'
import type { LoginTokens, TestPlatform } from './platform.js'

/** Every service there is. */
export const allServices = ['call', 'chat', 'smsinbound', 'presence'] as const

export interface TestClientOptions {
  /** Services to subscribe (default all four); `[]` logs in without subscribing. */
  readonly services?: readonly string[]
  /** Merged over the test defaults (local platform, silent logs, no ICE servers). */
  readonly config?: UserConfig
  /** Replaces members of the environment (`WebSocket` is `ws` unless given). */
  readonly environment?: Partial<Environment>
  /** Fail unless every requested service got subscribed (default true). */
  readonly requireAll?: boolean
  /** Milliseconds to wait for the subscription (default 10000). */
  readonly timeout?: number
}

/** A client made by `createTestClient`: the documented client plus the tokens it logged in with. */
export type TestClient = Client & { readonly tokens: LoginTokens }

/** A core made by `createTestStreams`: the streams plus the tokens they logged in with. */
export type TestStreams = Streams & { readonly tokens: LoginTokens }

/** The configuration a test client starts from: this platform, silent logs, host candidates only. */
export function testConfig(platform: TestPlatform, userId: string, config: UserConfig = {}): UserConfig {
  const url = new URL(platform.url)
  const defaults: UserConfig = {
    authentication: {
      server: { base: url.hostname, protocol: url.protocol === 'https:' ? 'https' : 'http', port: platform.port },
      clientCorrelator: `spec-${userId}`,
    },
    logs: { logLevel: 'silent' },
    call: { iceServers: [] },
  }
  return deepMerge(defaults, config)
}

const environmentFor = (options: TestClientOptions): Partial<Environment> => ({ WebSocket: WebSocket as unknown as WebSocketConstructor, ...options.environment })

const checkSubscribed = (userId: string, requested: readonly string[], subscribed: readonly string[], options: TestClientOptions): void => {
  const missing = requested.map((service) => service.toLowerCase()).filter((service) => !subscribed.includes(service))
  if ((options.requireAll ?? true) && missing.length > 0) throw new Error(`${userId}: services not subscribed: ${missing.join(', ')}`)
}

/**
 * Resolves with the payload of the next `name` event of a client that satisfies `accept`;
 * rejects after `timeout` ms.
 */
export function nextEvent<T = unknown>(client: Pick<Client, 'on' | 'off'>, name: EventName, accept: (payload: T) => boolean = () => true, timeout = 10000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = (payload: unknown): void => {
      if (!accept(payload as T)) return
      clearTimeout(timer)
      client.off(name, listener)
      resolve(payload as T)
    }
    const timer = setTimeout(() => {
      client.off(name, listener)
      reject(new Error(`no ${name} event within ${timeout} ms`))
    }, timeout)
    client.on(name, listener)
  })
}

/** A documented client (`create()`), logged in as `userId` through the token endpoint and subscribed to `services`. */
export async function createTestClient(platform: TestPlatform, userId: string, options: TestClientOptions = {}): Promise<TestClient> {
  const tokens = await platform.login(userId)
  const client = create(testConfig(platform, userId, options.config), environmentFor(options))
  try {
    const authChanged = nextEvent(client, 'auth:change', () => true, 2000)
    client.setTokens({ accessToken: tokens.accessToken, idToken: tokens.idToken })
    await authChanged
    const services = options.services ?? allServices
    if (services.length > 0) {
      const done = new Promise<void>((resolve, reject) => {
        const finish = (error?: unknown): void => {
          clearTimeout(timeout)
          client.off('subscription:change', changed)
          client.off('subscription:error', failed)
          if (error === undefined) resolve()
          else reject(error instanceof Error ? error : new Error(String(error)))
        }
        const changed = (): void => {
          if (!client.services.getSubscriptions().isPending) finish()
        }
        const failed = (payload: unknown): void => finish((payload as { error?: unknown }).error)
        const timeout = setTimeout(() => finish(new Error(`${userId}: not subscribed within ${options.timeout ?? 10000} ms`)), options.timeout ?? 10000)
        client.on('subscription:change', changed)
        client.on('subscription:error', failed)
      })
      client.services.subscribe([...services])
      await done
      checkSubscribed(userId, services, client.services.getSubscriptions().subscribed, options)
    }
  } catch (error) {
    client.dispose()
    throw error
  }
  return Object.assign(client, { tokens })
}

/** The reactive core (`createStreams`), logged in as `userId` through the token endpoint and subscribed to `services`. */
export async function createTestStreams(platform: TestPlatform, userId: string, options: TestClientOptions = {}): Promise<TestStreams> {
  const tokens = await platform.login(userId)
  const streams = createStreams(testConfig(platform, userId, options.config), environmentFor(options))
  try {
    streams.auth.commands.setTokens({ accessToken: tokens.accessToken, idToken: tokens.idToken })
    if (streams.auth.user() === undefined) throw new Error(`${userId}: the platform's tokens were rejected`)
    const services = options.services ?? allServices
    if (services.length > 0) {
      const outcome = firstValueFrom(
        race(
          streams.subscription.events$.pipe(
            filter((event) => event.type === 'servicesSubscribed' || event.type === 'operationFailed' || event.type === 'requestRejected'),
            map((event) => {
              if (event.type !== 'servicesSubscribed') throw event.error
            }),
          ),
          timer(options.timeout ?? 10000).pipe(
            map(() => {
              throw new Error(`${userId}: not subscribed within ${options.timeout ?? 10000} ms`)
            }),
          ),
        ),
      )
      streams.subscription.commands.subscribe([...services])
      await outcome
      checkSubscribed(userId, services, streams.subscription.subscriptions().subscribed, options)
    }
  } catch (error) {
    streams.dispose()
    throw error
  }
  return Object.assign(streams, { tokens })
}
