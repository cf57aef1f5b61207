import { Observable, asyncScheduler, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs'
import type { Config } from '../config/state.js'
import { timerWait } from '../environment.js'

/** How to reconnect (`connectivity` configuration, `channel-and-subscriptions.md` §5). */
export interface ReconnectPolicy {
  /** When false, a connection lost after it opened ends the stream; the attempts to open one still follow the policy (as the original SDK). */
  readonly autoReconnect: boolean
  /** Milliseconds before the second attempt (`reconnectDelay`). */
  readonly delay: number
  /** Each further wait is the previous one times this (`reconnectTimeMultiplier`). */
  readonly multiplier: number
  /** Cap of one wait (`reconnectTimeLimit`). */
  readonly maxDelay: number
  /** Failed attempts before giving up; 0 = never give up (`reconnectLimit`). */
  readonly limit: number
}

/** The policy of a `connectivity` configuration. */
export const reconnectPolicy = (connectivity: Config['connectivity']): ReconnectPolicy => ({
  autoReconnect: connectivity.autoReconnect,
  delay: connectivity.reconnectDelay,
  multiplier: connectivity.reconnectTimeMultiplier,
  maxDelay: connectivity.reconnectTimeLimit,
  limit: connectivity.reconnectLimit,
})

/** Emitted before each new attempt: `attempt` 1 after a lost connection (at once), n+1 after the nth failed attempt (after `delay`). */
export interface Reconnecting {
  readonly type: 'reconnecting'
  readonly attempt: number
  readonly delay: number
  /** Why the previous connection or attempt ended. */
  readonly error: unknown
}

/** The error a reconnecting stream ends with once `limit` attempts in a row failed. */
export class ReconnectLimitReached extends Error {
  override readonly name = 'ReconnectLimitReached'

  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(`gave up after ${attempts} failed attempt${attempts === 1 ? '' : 's'}${lastError instanceof Error && lastError.message !== '' ? ` (${lastError.message})` : ''}`)
  }
}

/** The wait before attempt n+1 after n failed attempts in a row: `min(delay × multiplier^(n−1), maxDelay)`, within the timers' range. */
const reconnectDelay = (policy: ReconnectPolicy, failures: number): number =>
  timerWait(Math.min(policy.delay * policy.multiplier ** (failures - 1), policy.maxDelay))

/**
 * Resubscribes to a failing connection: at once after one that had opened (`isOpen`) unless `autoReconnect` is off, else after `reconnectDelay`,
 * erroring with `ReconnectLimitReached` after `limit` failed attempts (0 = never). A `Reconnecting` value announces each attempt; a policy getter follows config updates.
 *
 * socket$.pipe(reconnect({ autoReconnect: true, delay: 5000, multiplier: 2, maxDelay: 640000, limit: 5 }, scheduler, isOpened))
 */
export function reconnect<T>(
  policy: ReconnectPolicy | (() => ReconnectPolicy),
  scheduler: SchedulerLike = asyncScheduler,
  isOpen: (value: T) => boolean = () => true,
): OperatorFunction<T, T | Reconnecting> {
  const current = typeof policy === 'function' ? policy : () => policy
  return (source) =>
    new Observable<T | Reconnecting>((subscriber) => {
      let failures = 0
      let connection: Subscription | undefined
      let waiting: Subscription | undefined

      const attempt = (): void => {
        let opened = false
        connection = source.subscribe({
          next: (value) => {
            if (!opened && isOpen(value)) {
              opened = true
              failures = 0
            }
            subscriber.next(value)
          },
          error: (error: unknown) => {
            const { autoReconnect, limit } = current()
            if (opened) return autoReconnect ? retry({ type: 'reconnecting', attempt: 1, delay: 0, error }) : subscriber.error(error)
            failures += 1
            if (limit !== 0 && failures >= limit) return subscriber.error(new ReconnectLimitReached(failures, error))
            retry({ type: 'reconnecting', attempt: failures + 1, delay: reconnectDelay(current(), failures), error })
          },
          complete: () => subscriber.complete(),
        })
      }

      // Always through the scheduler, even with no delay: never a synchronous resubscription loop.
      const retry = (next: Reconnecting): void => {
        subscriber.next(next)
        if (!subscriber.closed) waiting = scheduler.schedule(attempt, next.delay)
      }

      attempt()
      return () => {
        waiting?.unsubscribe()
        connection?.unsubscribe()
      }
    })
}
