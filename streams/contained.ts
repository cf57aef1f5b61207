import { Observable, Subscriber, type Observer, type Subscription } from 'rxjs'
import { isPlainObject } from './guards.js'

type Callbacks<T> = Partial<Observer<T>> | ((value: T) => void) | null | undefined

/**
 * The same Observable, except that an app's `subscribe` callbacks that throw are reported, not re-thrown (RxJS re-throws in a timer: a Node crash).
 * Operators piped onto it are untouched (they subscribe with a Subscriber, passed through as is).
 *
 * streams.call.calls$ = contained(calls$, (error) => logger.error('A subscriber threw', error))
 */
export function contained<T>(source$: Observable<T>, report: (error: unknown) => void): Observable<T> {
  const guarded = new Observable<T>((subscriber) => source$.subscribe(subscriber))
  const subscribe = guarded.subscribe.bind(guarded) as (callbacks?: Callbacks<T>) => Subscription
  const guard =
    <A extends unknown[]>(callback: ((...args: A) => void) | undefined) =>
    (...args: A): void => {
      try {
        callback?.(...args)
      } catch (error) {
        report(error)
      }
    }
  guarded.subscribe = ((callbacks?: Callbacks<T>): Subscription => {
    if (callbacks instanceof Subscriber || callbacks === null || callbacks === undefined) return subscribe(callbacks)
    if (typeof callbacks === 'function') return subscribe(guard(callbacks))
    return subscribe({
      next: guard(callbacks.next?.bind(callbacks)),
      error: callbacks.error === undefined ? undefined : guard(callbacks.error.bind(callbacks)),
      complete: guard(callbacks.complete?.bind(callbacks)),
    })
  }) as Observable<T>['subscribe']
  return guarded
}

/** A copy of a feature whose Observables (`state$`, `events$`, `calls$`, …) are `contained`, those of its plain objects too (`call.quality.quality$`, `connection.link.user$`). */
export function withContainedObservables<F extends object>(feature: F, report: (error: unknown) => void): F {
  const member = (key: string, value: unknown): unknown => {
    if (key.endsWith('$') && value instanceof Observable) return contained(value, report)
    return isPlainObject(value) ? withContainedObservables(value, report) : value
  }
  return Object.fromEntries(Object.entries(feature).map(([key, value]) => [key, member(key, value)])) as F
}
