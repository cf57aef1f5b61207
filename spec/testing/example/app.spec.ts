// The testing kit's example (testing/README.md): app code that consumes kandy-rx/streams,
// marble-tested in virtual time with an injected TestScheduler, and the same code run against
// the real streams of a test platform.
import { expect } from 'chai'
import { filter, firstValueFrom, shareReplay, timeout } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { createStreams } from '../../../streams/index.js'
import { createTestStreams, startPlatform, type TestPlatform, type TestStreams } from '../../../testing/index.js'
import { availableContacts, reconnectingBanner, type ConnectionState, type PresenceByUser } from './app.js'

const virtualTime = (): TestScheduler =>
  new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected)
  })

const channelURL = '/cpaas/notificationchannel/v1/ann@example.com/channels/ws-1/websocket'
/** The socket up (u), down while wanted (d), and not wanted (i: idle). */
const socket = {
  u: { channelURL, connected: true },
  d: { channelURL, connected: false },
  i: { channelURL: undefined, connected: false },
} satisfies Record<string, Pick<ConnectionState, 'connected' | 'channelURL'>>

const presence = (entries: Record<string, [status: string, activity: string]>): PresenceByUser =>
  Object.fromEntries(Object.entries(entries).map(([userId, [status, activity]]) => [userId, { userId, status, activity, loading: false }]))

describe('testing kit example: app code against kandy-rx/streams', () => {
  describe('reconnectingBanner, in virtual time', () => {
    it('shows the banner after 2 s of disconnection and hides it when the socket is back', () => {
      const scheduler = virtualTime()
      scheduler.run(({ hot, expectObservable }) => {
        const state$ = hot('u 999ms d 3999ms u', socket)
        expectObservable(state$.pipe(reconnectingBanner(2000, scheduler))).toBe('f 2999ms t 1999ms f', { f: false, t: true })
      })
    })

    it('never shows it for a drop shorter than 2 s', () => {
      const scheduler = virtualTime()
      scheduler.run(({ hot, expectObservable }) => {
        const state$ = hot('u 999ms d 1998ms u 5s d 1998ms u', socket)
        expectObservable(state$.pipe(reconnectingBanner(2000, scheduler))).toBe('f', { f: false })
      })
    })

    it('stays hidden while the app wants no socket (before login, after logout)', () => {
      const scheduler = virtualTime()
      scheduler.run(({ hot, expectObservable }) => {
        const state$ = hot('i 10s u 1s i', socket)
        expectObservable(state$.pipe(reconnectingBanner(2000, scheduler))).toBe('f', { f: false })
      })
    })

    it('reads the real connection state of createStreams (no socket wanted: hidden)', () => {
      const scheduler = virtualTime()
      const streams = createStreams({ logs: { logLevel: 'silent' } }, { scheduler })
      scheduler.run(({ expectObservable }) => {
        expectObservable(streams.connection.state$.pipe(reconnectingBanner(2000, scheduler))).toBe('f', { f: false })
      })
      streams.dispose()
    })
  })

  describe('availableContacts, in virtual time', () => {
    it('renders a burst of presence notifications once, sorted, only the available', () => {
      const scheduler = virtualTime()
      scheduler.run(({ hot, expectObservable }) => {
        const presence$ = hot('a 50ms b 50ms c 1s d', {
          a: presence({ 'ben@example.com': ['Open', 'Available'] }),
          b: presence({ 'ben@example.com': ['Open', 'Available'], 'cat@example.com': ['Open', 'Busy'] }),
          c: presence({ 'ben@example.com': ['Open', 'Available'], 'cat@example.com': ['Open', 'Available'], 'dan@example.com': ['Closed', 'Available'] }),
          d: presence({ 'ben@example.com': ['Closed', 'Available'], 'cat@example.com': ['Open', 'Available'] }),
        })
        // c arrives at 102 ms; settled 300 ms later. d at 1103 ms; settled at 1403 ms.
        expectObservable(availableContacts(presence$, 300, scheduler)).toBe('402ms x 1000ms y', {
          x: ['ben@example.com', 'cat@example.com'],
          y: ['cat@example.com'],
        })
      })
    })
  })

  describe('availableContacts, against the real presence$ of a test platform', function () {
    this.timeout(20000)
    let platform: TestPlatform
    const made: TestStreams[] = []
    before(async () => {
      platform = await startPlatform({ users: ['ann@example.com', 'ben@example.com', 'cat@example.com'] })
    })
    after(async () => {
      for (const streams of made.splice(0)) streams.dispose()
      await platform.stop()
    })

    it('lists a contact once they publish "available", and drops them when they turn busy', async () => {
      const [ann, ben, cat] = await Promise.all(
        ['ann@example.com', 'ben@example.com', 'cat@example.com'].map((user) => createTestStreams(platform, user, { services: ['presence'] })),
      )
      made.push(ann!, ben!, cat!)
      const rendered$ = availableContacts(ann!.presence.presence$, 50).pipe(shareReplay(1))
      const rendered: Array<readonly string[]> = []
      const rendering = rendered$.subscribe((list) => rendered.push(list))
      const until = (expected: readonly string[]) => firstValueFrom(rendered$.pipe(filter((list) => list.join() === expected.join()), timeout(5000)))

      ann!.presence.commands.subscribe(['ben@example.com', 'cat@example.com'])
      ben!.presence.commands.update('Open', 'Available')
      cat!.presence.commands.update('Open', 'Busy')
      await until(['ben@example.com'])
      cat!.presence.commands.update('Open', 'Available')
      await until(['ben@example.com', 'cat@example.com'])
      ben!.presence.commands.update('Open', 'Busy')
      await until(['cat@example.com'])
      rendering.unsubscribe()
      expect(rendered.at(-1)).to.deep.equal(['cat@example.com'])
      expect(rendered).to.deep.include(['ben@example.com'])
      expect(rendered).to.deep.include(['ben@example.com', 'cat@example.com'])
    })
  })
})
