// SDK clients for Node integration specs, logged in through the platform's token endpoint and
// subscribed, over real HTTP and a real WebSocket (`ws`): the testing kit's helpers
// (`testing/clients.ts`, what `kandy-rx/testing` users get) bound to the specs' test platform.
//
//   const platform = usePlatform()
//   const alice = await createTestClient(platform(), 'alice@example.com')           // documented API
//   const payload = await nextEvent(alice, 'ws:change')
//   alice.dispose()
//
//   const bob = await createTestStreams(platform(), 'bob@example.com', { services: ['chat'] })  // reactive core
//   bob.dispose()
import type { UserConfig } from '../../streams/config/state.js'
import * as kit from '../../testing/clients.js'
import type { TestPlatform } from './platform.js'

export { allServices, nextEvent, type TestClient, type TestClientOptions, type TestStreams } from '../../testing/clients.js'

/** The kit's view of the specs' platform: its address, and logins through its token endpoint. */
const address = (platform: TestPlatform): kit.PlatformAddress => ({ url: platform.url, tokens: (userId) => platform.login(userId) })

/** The configuration a test client starts from: this platform, silent logs, host candidates only. */
export const testConfig = (platform: TestPlatform, userId: string, config: UserConfig = {}): UserConfig => kit.testConfig(platform, userId, config)

/** A documented client (`create()`), logged in as `userId` through the token endpoint and subscribed to `services` (default all). */
export const createTestClient = (platform: TestPlatform, userId: string, options: kit.TestClientOptions = {}): Promise<kit.TestClient> =>
  kit.createTestClient(address(platform), userId, options)

/** The reactive core (`createStreams`), logged in as `userId` through the token endpoint and subscribed to `services` (default all). */
export const createTestStreams = (platform: TestPlatform, userId: string, options: kit.TestClientOptions = {}): Promise<kit.TestStreams> =>
  kit.createTestStreams(address(platform), userId, options)

/** Polls `condition` every `interval` ms until it holds (for state reached through several events); fails after `timeout` ms. */
export async function until(condition: () => boolean, what: string, timeout = 10000, interval = 20): Promise<void> {
  const deadline = Date.now() + timeout
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, interval))
  }
}

/** Mocha hook for the enclosing `describe`: what its tests push here is disposed after each test. */
export function useDisposedAfterEach<T extends { dispose(): void }>(): T[] {
  const made: T[] = []
  afterEach(() => {
    for (const item of made.splice(0)) item.dispose()
  })
  return made
}
