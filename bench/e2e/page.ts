// What the end-to-end benchmark runs inside a page, through the documented API only, the same
// code for kandy-rx and for the original SDK (both expose `Kandy.create`). Each function is sent
// to the page as source (page.evaluate), so it imports nothing and reads only `window.__bench`.

/** The documented API the benchmark uses, as both SDKs have it. */
interface BenchClient {
  setTokens(tokens: { accessToken: string; idToken: string }): void
  on(type: string, listener: (...args: unknown[]) => void): void
  services: { subscribe(services: string[], mode: string): void; getSubscriptions(): { subscribed: string[]; isPending: boolean } }
  conversation: { getAll(): Array<{ messages?: unknown[]; getMessages?: () => unknown[] }> }
  presence: { subscribe(users: string[]): void; getAll(): Array<{ userId: string; note?: string }> }
}

/** A run in progress: events counted, the check that `getAll()` reflects the last injected change, when it did. */
interface BenchRun {
  events: number
  lastEventAt: number
  doneAt: number | undefined
  heldAt?: number | undefined
  releasedAt?: number | undefined
}

interface BenchScope {
  client: BenchClient
  run: BenchRun
  check: () => boolean
}

declare global {
  interface Window {
    __bench: BenchScope
  }
}

export interface SetUp {
  readonly tokens: { accessToken: string; idToken: string }
  readonly config: Record<string, unknown>
  readonly services: string[]
}

/** Creates the client, sets the tokens and subscribes to the services; resolves once subscribed. */
export async function setUpPage({ tokens, config, services }: SetUp): Promise<void> {
  const sdk = (window as unknown as { Kandy: { create(config: unknown): BenchClient } }).Kandy
  const client = sdk.create(config)
  const run: BenchRun = { events: 0, lastEventAt: 0, doneAt: undefined }
  window.__bench = { client, run, check: () => false }
  const now = (): number => performance.timeOrigin + performance.now()
  // Every change event counts; the run is done once getAll() reflects the last change injected.
  // Named, so that a CPU profile of the run can leave this listener out (bench/e2e/profile.ts): it is the benchmark's code, not the SDK's.
  function benchSeen(): void {
    run.events += 1
    run.lastEventAt = now()
  }
  for (const type of ['messages:change', 'conversations:change', 'presence:change']) client.on(type, benchSeen)
  // Checked when events stop coming for a moment (no assumption on how many events an SDK emits);
  // the run ends at the last event seen, once getAll() shows it took effect.
  setInterval(() => {
    if (run.doneAt !== undefined || run.events === 0 || now() - run.lastEventAt < 20) return
    if (window.__bench.check()) run.doneAt = run.lastEventAt
  }, 5)
  client.setTokens(tokens)
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not subscribed: ${JSON.stringify(client.services.getSubscriptions())}`)), 30000)
    const poll = setInterval(() => {
      const { subscribed, isPending } = client.services.getSubscriptions()
      if (!isPending && services.every((service) => subscribed.includes(service))) {
        clearTimeout(timer)
        clearInterval(poll)
        resolve()
      }
    }, 20)
    client.services.subscribe(services, 'websocket')
  })
}

/** Arms a chat run: done when the conversations hold `total` messages. */
export function armChat(total: number): void {
  const { client, run } = window.__bench
  Object.assign(run, { events: 0, lastEventAt: 0, doneAt: undefined, heldAt: undefined, releasedAt: undefined })
  window.__bench.check = () =>
    client.conversation.getAll().reduce((count, conversation) => count + (conversation.getMessages?.() ?? conversation.messages ?? []).length, 0) >= total
}

/** Watches `userIds`; resolves once `presence.getAll()` holds them all (their first notifications are in). */
export async function watch(userIds: string[]): Promise<void> {
  const { client } = window.__bench
  for (let at = 0; at < userIds.length; at += 500) client.presence.subscribe(userIds.slice(at, at + 500))
  const started = Date.now()
  while (client.presence.getAll().length < userIds.length) {
    if (Date.now() - started > 300000) throw new Error(`watching ${userIds.length} users: only ${client.presence.getAll().length} known after 300 s`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Arms a presence run: done when `presence.getAll()` shows `userId` with the last note injected. */
export function armPresence({ userId, note }: { userId: string; note: string }): void {
  const { client, run } = window.__bench
  Object.assign(run, { events: 0, lastEventAt: 0, doneAt: undefined, heldAt: undefined, releasedAt: undefined })
  window.__bench.check = () => client.presence.getAll().some((entry) => entry.userId === userId && entry.note === note)
}

/**
 * Holds the page's main thread until `until` (epoch ms), so that the frames injected meanwhile
 * queue up in the browser and the SDK then takes them as fast as it can: the rate measured is
 * the SDK's, not the platform's sending loop's. Returns at once; the hold starts on the next task.
 */
export function holdUntil(until: number): void {
  const now = (): number => performance.timeOrigin + performance.now()
  // Named, so that a CPU profile of the run can leave the hold out (bench/e2e/profile.ts).
  setTimeout(function benchHold() {
    window.__bench.run.heldAt = now()
    while (now() < until) {
      // busy: nothing else may run on this thread while frames queue
    }
    window.__bench.run.releasedAt = now()
  }, 0)
}

/** When the page's hold began and ended (epoch ms), once it has. */
export const held = (): { heldAt: number; releasedAt: number } | false => {
  const { heldAt, releasedAt } = window.__bench.run
  return heldAt === undefined || releasedAt === undefined ? false : { heldAt, releasedAt }
}

/** When the armed run was done (epoch ms, high resolution), or false while it is not. */
export const doneAt = (): number | false => window.__bench.run.doneAt ?? false
