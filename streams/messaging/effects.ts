import { EMPTY, Subject, catchError, concatMap, defer, groupBy, map, merge, mergeMap, of, type Observable } from 'rxjs'
import type { ConfigFeature } from '../config/feature.js'
import type { AuthUser, PlatformLink } from '../connection/link.js'
import type { Environment } from '../environment.js'
import { BasicError, asBasicError, errorCodes } from '../errors.js'
import type { Logger } from '../logs/logger.js'
import type { Deletions } from './deletions.js'
import type { MessagingEvent, MessagingOperation, MessagingState } from './model.js'

/** The work messaging runs, each piece a stream of the events it causes (dispatched as they come): every piece ends when the feature is disposed. */
interface Effects {
  /** Runs work that reports its own failures as events. */
  readonly run: (work$: Observable<MessagingEvent>) => void
  /** Runs work after the earlier work of the same key (the sends of a conversation; its history pages; its typing indicators). */
  readonly enqueue: (key: string, work$: Observable<MessagingEvent>) => void
  readonly dispose: () => void
}

export function createEffects(logger: Pick<Logger, 'error'>, dispatch: (event: MessagingEvent) => void): Effects {
  const works = new Subject<Observable<MessagingEvent>>()
  const queue = new Subject<{ readonly key: string; readonly work$: Observable<MessagingEvent> }>()
  const logged = (error: unknown): Observable<never> => {
    logger.error('A messaging effect failed', error instanceof Error ? error.message : error)
    return EMPTY
  }
  const running = merge(
    works.pipe(mergeMap((work$) => work$.pipe(catchError(logged)))),
    queue.pipe(groupBy((job) => job.key), mergeMap((jobs) => jobs.pipe(concatMap((job) => job.work$.pipe(catchError(() => EMPTY)))))),
  ).subscribe(dispatch)
  return {
    // After dispose nothing listens to either subject: what comes is ignored.
    run: (work$) => works.next(work$),
    enqueue: (key, work$) => queue.next({ key, work$ }),
    dispose: () => running.unsubscribe(),
  }
}

/** What the parts of messaging share; each part takes only the members it uses. */
export interface MessagingContext {
  readonly link: PlatformLink
  readonly config: Pick<ConfigFeature, 'current'>
  readonly environment: Environment
  readonly logger: Logger
  readonly current: () => MessagingState
  readonly dispatch: (event: MessagingEvent) => void
  readonly effects: Effects
  /** Runs `work` for the signed-in user; fails with `BAD_INPUT` when there is none. */
  readonly withUser: <A>(work: (user: AuthUser) => Observable<A>) => Observable<A>
  /** The sender address of SMS paths: `messaging.smsFrom`, else `default`. */
  readonly smsSender: () => string
  /** Keeps a history page from bringing back a conversation deleted while it was fetched. */
  readonly deletions: Deletions
}

export const userRunner =
  (link: Pick<PlatformLink, 'user'>) =>
  <A>(work: (user: AuthUser) => Observable<A>): Observable<A> =>
    defer(() => {
      const user = link.user()
      if (!user) throw new BasicError(errorCodes.general.BAD_INPUT, 'No user: set the tokens (setTokens) before using messaging')
      return work(user)
    })

/**
 * The event of one request: its value as `success` makes it, its failure (as a BasicError) as `failure` does.
 *
 * outcome$(withUser(list$), (conversations) => ({ type: 'conversationsFetched', conversations }), failedTo('fetchConversations'))
 */
export const outcome$ = <A>(request$: Observable<A>, success: (value: A) => MessagingEvent, failure: (error: BasicError) => MessagingEvent): Observable<MessagingEvent> =>
  request$.pipe(map(success), catchError((error: unknown) => of(failure(asBasicError(error)))))

/** The failure of an operation with nothing to change in state. */
export const failedTo =
  (operation: MessagingOperation) =>
  (error: BasicError): MessagingEvent => ({ type: 'messagingFailed', operation, error })
