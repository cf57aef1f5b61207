// Per-test integration set-up for presence, groups, contacts and directory specs: a fresh local
// platform for every test (so nothing depends on test order or on what another test left on the
// platform), SDK clients logged in through its token endpoint, all disposed afterwards.
import type { EventName } from '../../../lib/events.js'
import { createTestClient, useDisposedAfterEach, type TestClient, type TestClientOptions } from '../../helpers/client.js'
import type { PlatformOptions } from '../../../platform/index.js'
import { usePlatformPerTest, type TestPlatform } from '../../helpers/platform.js'

export interface Session {
  readonly platform: () => TestPlatform
  /** A documented client logged in as `userId` and subscribed (all services unless `options.services`). */
  readonly client: (userId: string, options?: TestClientOptions) => Promise<TestClient>
}

/** `options` go to each test's platform (e.g. `users`). */
export function useSession(options: PlatformOptions = {}): Session {
  const clients = useDisposedAfterEach<TestClient>()
  const current = usePlatformPerTest(options)
  return {
    platform: current,
    client: async (userId, options) => {
      const client = await createTestClient(current(), userId, options)
      clients.push(client)
      return client
    },
  }
}

export interface Recorded {
  readonly type: EventName
  readonly payload: any
}

/** Every event a client emits from now on, in order; `of(type)` filters them. */
export function record(client: Pick<TestClient, 'subscribe'>): { readonly all: Recorded[]; of(type: EventName): any[] } {
  const all: Recorded[] = []
  client.subscribe((type, [payload]) => all.push({ type, payload }))
  return { all, of: (type) => all.filter((event) => event.type === type).map((event) => event.payload) }
}
