import { EMPTY, catchError, expand, filter, forkJoin, from, map, mergeMap, of, reduce, scan, switchMap, type Observable, type SchedulerLike, type Subscription } from 'rxjs'
import type { AuthUser } from '../connection/link.js'
import { asBasicError } from '../errors.js'
import type { MessagingContext } from './effects.js'
import { conversationList$, historyFetched, historyPage$, type HistorySource, type Page } from './history.js'
import { sortTime } from './messages.js'
import type { ChatType, Conversation, Message, MessagingEvent } from './state.js'

/** How far before the loss of the socket recovery looks (clocks of client and platform differ). */
const recoverySlackMs = 30_000
const recoveryPage = 50
const recoveryPages = 20

/**
 * Emits the time the notification socket was lost each time it opens again (also after reconnection gave up and a new connection was made):
 * messaging's `reconnected$`, from the connection feature's events.
 *
 * createMessaging({ ...core, link, reconnected$: socketReopened(connection.events$, environment.scheduler) })
 */
export const socketReopened = (connectionEvents$: Observable<{ readonly type: string }>, scheduler: SchedulerLike): Observable<number> =>
  connectionEvents$.pipe(
    // Only these tell; every notification is a connection event too.
    filter((event) => event.type === 'opened' || event.type === 'lost' || event.type === 'gaveUp'),
    scan(
      (seen: { readonly lostAt: number | undefined; readonly reopened: number | undefined }, event) => {
        if (event.type === 'opened') return { lostAt: undefined, reopened: seen.lostAt }
        return { lostAt: seen.lostAt ?? scheduler.now(), reopened: undefined }
      },
      { lostAt: undefined, reopened: undefined },
    ),
    mergeMap((seen) => (seen.reopened === undefined ? EMPTY : of(seen.reopened))),
  )

/** The messages a conversation may have missed: pages back from the newest until one reaches `since` (at most `recoveryPages`). */
function missedMessages$(source: HistorySource, user: AuthUser, found: Conversation, since: number): Observable<readonly Message[]> {
  const reachesSince = (page: Page): boolean => page.messages.some((message) => sortTime(message.timestamp) <= since)
  const fetchPage = (next: string | undefined) => historyPage$(source, user, { destination: found.destination, chatType: found.type }, recoveryPage, next)
  return fetchPage(undefined).pipe(
    expand((page, index) => (page.next !== undefined && !reachesSince(page) && index + 1 < recoveryPages ? fetchPage(page.next) : EMPTY)),
    reduce((messages: readonly Message[], page) => [...page.messages, ...messages], []),
  )
}

type Recovering = Pick<MessagingContext, 'link' | 'smsSender' | 'current' | 'dispatch' | 'withUser' | 'logger' | 'deletions'>

/**
 * After each reconnect, re-fetches back to `lostAt` (less a margin for clock differences) the history of every conversation active since.
 * What the platform queued for the socket arrives too; message ids keep each message once.
 */
export function recover(context: Recovering, reconnected$: Observable<number>): Subscription {
  const { link, current, logger, withUser, deletions } = context
  /** Logs a failure of recovery and goes on without the part that failed. */
  const skipped =
    <A>(what: string, instead: Observable<A>) =>
    (error: unknown): Observable<A> => {
      logger.warn(what, asBasicError(error).message)
      return instead
    }
  const list$ = (user: AuthUser, type: ChatType): Observable<readonly Conversation[]> =>
    conversationList$(link, user, type).pipe(catchError(skipped(`Could not list ${type} conversations after a reconnect`, of([]))))
  const recovered$ = (user: AuthUser, found: Conversation, since: number): Observable<MessagingEvent> =>
    missedMessages$(context, user, found, since).pipe(
      map((messages) => historyFetched(current, { destination: found.destination, chatType: found.type }, { messages, next: undefined }, false, true)),
      catchError(skipped('Could not re-fetch a conversation after a reconnect', EMPTY)),
    )
  const recover$ = (lostAt: number): Observable<MessagingEvent> =>
    withUser((user) => {
      const since = lostAt - recoverySlackMs
      return forkJoin([list$(user, 'chat-oneToOne'), list$(user, 'chat-group'), list$(user, 'sms')]).pipe(
        mergeMap((lists) => from(lists.flat().filter((found) => found.lastReceived !== undefined && found.lastReceived >= since))),
        mergeMap((found) => recovered$(user, found, since), 4),
        filter((event) => event.type !== 'historyFetched' || event.newMessageIds.length > 0),
      )
    }).pipe(catchError(skipped('Could not recover messages after a reconnect', EMPTY)))
  // Guarded from the list on: a conversation deleted meanwhile is not made again by its page.
  return reconnected$.pipe(switchMap((lostAt) => deletions.guarded(recover$(lostAt)))).subscribe(context.dispatch)
}
