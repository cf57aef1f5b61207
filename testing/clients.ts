import { WebSocket } from 'ws'
import { create, type Client } from '../lib/index.js'
import type { EventName } from '../lib/events.js'
import { deepMerge } from '../streams/config/state.js'
import { longestTimer, type Environment, type WebSocketConstructor } from '../streams/environment.js'
import { createStreams, type Streams, type UserConfig } from '../streams/index.js'
import type { TestTokens } from './platform.js'

/** Every service a client can subscribe to. */
export const allServices = ['call', 'chat', 'smsinbound', 'presence'] as const

/** What a client helper needs of a test platform. */
export interface PlatformAddress {
  readonly url: string
  tokens(userId: string, password?: string): Promise<TestTokens>
}

export interface TestClientOptions {
  /** Services to subscribe (default all four); `[]` logs in without subscribing. */
  readonly services?: readonly string[]
  /** Merged over `testConfig` (this platform, silent logs, no ICE servers). */
  readonly config?: UserConfig
  /** Members of the environment to replace; `WebSocket` is `ws` unless given (Node has none). */
  readonly environment?: Partial<Environment>
  /** The user's password, when it is not the account's. */
  readonly password?: string
  /** Milliseconds to wait for each step: the login, the SDK taking the tokens, the subscription (default 10000). */
  readonly timeout?: number
}

/** A documented client (`create()`) made by `createTestClient`, with the tokens it logged in with. */
export type TestClient = Client & { readonly tokens: TestTokens }

/** A reactive core (`createStreams()`) made by `createTestStreams`, with the tokens it logged in with. */
export type TestStreams = Streams & { readonly tokens: TestTokens }

/**
 * The configuration of a client of a test platform: its address, silent logs, and no ICE
 * servers (host candidates connect on loopback), with `config` merged over it.
 *
 * const client = create(testConfig(platform, 'ann@example.com'), { WebSocket })
 */
export function testConfig(platform: Pick<PlatformAddress, 'url'>, userId: string, config: UserConfig = {}): UserConfig {
  const url = new URL(platform.url)
  const defaults: UserConfig = {
    authentication: {
      // An IPv6 host keeps its brackets (`[::1]`): the SDK writes `base` into its URLs as it is.
      server: { base: url.hostname, protocol: url.protocol === 'https:' ? 'https' : 'http', port: Number(url.port) },
      clientCorrelator: `testing-${userId}`,
    },
    logs: { logLevel: 'silent' },
    call: { iceServers: [] },
  }
  return deepMerge(defaults, config)
}

const environmentOf = (options: TestClientOptions): Partial<Environment> => ({ WebSocket: WebSocket as unknown as WebSocketConstructor, ...options.environment })

const missingServices = (requested: readonly string[], subscribed: readonly string[]): string[] =>
  requested.map((service) => service.toLowerCase()).filter((service) => !subscribed.includes(service))

/** `ms`, when a timer can wait it. */
function checkedTimeout(ms: number): number {
  if (!(ms >= 0 && ms <= longestTimer)) throw new RangeError(`timeout must be 0..${longestTimer} ms, not ${ms}`)
  return ms
}

/**
 * Resolves with the payload of a client's next `name` event that `accept` accepts; rejects
 * after `timeout` ms (default 10000), with what `accept` throws, or at once for a name that is no event or a
 * `timeout` a timer cannot wait (over 2147483647 ms).
 *
 * const { callId } = await nextEvent(bob, 'call:receive')
 */
export function nextEvent<T = unknown>(client: Pick<Client, 'on' | 'off'>, name: EventName, accept: (payload: T) => boolean = () => true, timeout = 10000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    checkedTimeout(timeout)
    let timer: ReturnType<typeof setTimeout> | undefined
    const settle = (outcome: () => void): void => {
      clearTimeout(timer)
      client.off(name, listener)
      outcome()
    }
    const listener = (payload: unknown): void => {
      let accepted: boolean
      try {
        accepted = accept(payload as T)
      } catch (error) {
        return settle(() => reject(error))
      }
      if (accepted) settle(() => resolve(payload as T))
    }
    // Listening first: `on` throws for a name that is no event, before a timer exists to outlive the rejection.
    client.on(name, listener)
    timer = setTimeout(() => settle(() => reject(new Error(`no ${name} event within ${timeout} ms`))), timeout)
  })
}

/** How a test client helper drives the SDK it makes: logging in, then subscribing. */
interface SignIn<A> {
  readonly make: () => A
  /** Sets the tokens; resolves once the SDK has taken them. */
  readonly logIn: (app: A, tokens: TestTokens, timeout: number) => Promise<void>
  /** Subscribes to `services`; resolves with the services subscribed once the subscription has settled. */
  readonly subscribe: (app: A, services: readonly string[], timeout: number) => Promise<readonly string[]>
}

/** `promise`, or a rejection with `message` once `ms` have passed first. */
async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  try {
    return await Promise.race([promise, expired])
  } finally {
    clearTimeout(timer)
  }
}

/** The SDK `make` returns, logged in as `userId` and subscribed to `options.services`; disposed when either fails. */
async function signedIn<A extends { dispose(): void }>(platform: PlatformAddress, userId: string, options: TestClientOptions, sdk: SignIn<A>): Promise<A & { readonly tokens: TestTokens }> {
  const timeout = checkedTimeout(options.timeout ?? 10000)
  const tokens = await within(platform.tokens(userId, options.password), timeout, `${userId}: no tokens within ${timeout} ms`)
  const app = sdk.make()
  try {
    await sdk.logIn(app, tokens, timeout)
    const services = options.services ?? allServices
    if (services.length > 0) {
      const missing = missingServices(services, await sdk.subscribe(app, services, timeout))
      if (missing.length > 0) throw new Error(`${userId}: services not subscribed: ${missing.join(', ')}`)
    }
  } catch (error) {
    app.dispose()
    throw error
  }
  return Object.assign(app, { tokens })
}

/**
 * A documented client (`create()` of `kandy-rx`) logged in as `userId` through the platform's
 * token endpoint and subscribed to `services`, over real HTTP and a real WebSocket.
 *
 * const ann = await createTestClient(platform, 'ann@example.com', { services: ['chat'] })
 * ann.dispose()
 */
export function createTestClient(platform: PlatformAddress, userId: string, options: TestClientOptions = {}): Promise<TestClient> {
  return signedIn(platform, userId, options, {
    make: () => create(testConfig(platform, userId, options.config), environmentOf(options)),
    logIn: async (client, tokens, timeout) => {
      const authChanged = nextEvent(client, 'auth:change', () => true, timeout)
      client.setTokens({ accessToken: tokens.accessToken, idToken: tokens.idToken })
      await authChanged
    },
    subscribe: async (client, services, timeout) => {
      const settled = new Promise<void>((resolve, reject) => {
        const finish = (error?: Error): void => {
          clearTimeout(timer)
          client.off('subscription:change', changed)
          client.off('subscription:error', failed)
          if (error === undefined) resolve()
          else reject(error)
        }
        const changed = (): void => {
          if (!client.services.getSubscriptions().isPending) finish()
        }
        const failed = (payload: unknown): void => {
          const error = (payload as { error?: unknown }).error
          finish(error instanceof Error ? error : new Error(`${userId}: subscription failed`))
        }
        const timer = setTimeout(() => finish(new Error(`${userId}: not subscribed within ${timeout} ms`)), timeout)
        client.on('subscription:change', changed)
        client.on('subscription:error', failed)
      })
      client.services.subscribe([...services])
      await settled
      return client.services.getSubscriptions().subscribed
    },
  })
}

/**
 * The reactive core (`createStreams()` of `kandy-rx/streams`) logged in as `userId` through the
 * platform's token endpoint and subscribed to `services`.
 *
 * const ben = await createTestStreams(platform, 'ben@example.com', { services: ['presence'] })
 * ben.presence.presence$.subscribe(render)
 * ben.dispose()
 */
export function createTestStreams(platform: PlatformAddress, userId: string, options: TestClientOptions = {}): Promise<TestStreams> {
  return signedIn(platform, userId, options, {
    make: () => createStreams(testConfig(platform, userId, options.config), environmentOf(options)),
    logIn: async (streams, tokens) => {
      streams.auth.commands.setTokens({ accessToken: tokens.accessToken, idToken: tokens.idToken })
      if (streams.auth.user() === undefined) throw new Error(`${userId}: the platform's tokens were rejected`)
    },
    subscribe: async (streams, services, timeout) => {
      const settled = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          watching.unsubscribe()
          reject(new Error(`${userId}: not subscribed within ${timeout} ms`))
        }, timeout)
        const watching = streams.subscription.events$.subscribe((event) => {
          if (event.type !== 'servicesSubscribed' && event.type !== 'operationFailed' && event.type !== 'requestRejected') return
          clearTimeout(timer)
          watching.unsubscribe()
          if (event.type === 'servicesSubscribed') resolve()
          else reject(event.error)
        })
      })
      streams.subscription.commands.subscribe([...services])
      await settled
      return streams.subscription.subscriptions().subscribed
    },
  })
}
