// App code of the testing kit's example (testing/README.md): two small pieces an app built on
// kandy-rx/streams might have, written to be tested in virtual time (each takes a scheduler).
import { asyncScheduler, debounceTime, distinctUntilChanged, map, of, startWith, switchMap, timer, type Observable, type SchedulerLike } from 'rxjs'
import type { ConnectionState, UserPresence } from '../../../streams/index.js'

export type { ConnectionState }
/** The presence of other users by user id (`streams.presence.presence$`). */
export type PresenceByUser = Readonly<Record<string, UserPresence>>

/**
 * Shows the "reconnecting…" banner once the socket has been down for `after` ms while the app
 * wants it open, and hides it as soon as the socket is back. Short blips never show it.
 *
 * streams.connection.state$.pipe(reconnectingBanner(2000)).subscribe((show) => banner.hidden = !show)
 */
export const reconnectingBanner =
  (after = 2000, scheduler: SchedulerLike = asyncScheduler) =>
  (state$: Observable<Pick<ConnectionState, 'connected' | 'channelURL'>>): Observable<boolean> =>
    state$.pipe(
      map((state) => state.channelURL !== undefined && !state.connected),
      distinctUntilChanged(),
      switchMap((down) => (down ? timer(after, scheduler).pipe(map(() => true), startWith(false)) : of(false))),
      distinctUntilChanged(),
    )

/**
 * The user ids of the contacts who are available right now, sorted, settled for `settle` ms so
 * that a burst of presence notifications renders once.
 *
 * availableContacts(streams.presence.presence$).subscribe(renderList)
 */
export const availableContacts = (presence$: Observable<PresenceByUser>, settle = 300, scheduler: SchedulerLike = asyncScheduler): Observable<readonly string[]> =>
  presence$.pipe(
    debounceTime(settle, scheduler),
    map((users) =>
      Object.values(users)
        .filter((user) => user.status === 'Open' && user.activity === 'Available')
        .map((user) => user.userId)
        .sort(),
    ),
    distinctUntilChanged((a, b) => a.join() === b.join()),
  )
