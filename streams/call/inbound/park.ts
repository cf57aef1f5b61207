import { Observable, type OperatorFunction, type SchedulerLike } from 'rxjs'

/** A frame held for the session it names. */
export interface Held<T> {
  readonly frame: T
  readonly sessionId: string
}

/**
 * Holds frames for a session this client does not know yet (its call's create response is on its way) and emits each, in arrival order, once
 * `sessions$` names it; frames held `lifetime` ms are dropped when the next one is held. Completes with its source.
 *
 * parked$.pipe(awaitSession(created$, 10_000, scheduler)) // frames to handle again
 */
export function awaitSession<T>(sessions$: Observable<string>, lifetime: number, scheduler: SchedulerLike): OperatorFunction<Held<T>, T> {
  return (held$) =>
    new Observable<T>((subscriber) => {
      let waiting: Array<Held<T> & { readonly at: number }> = []
      const subscription = sessions$.subscribe((sessionId) => {
        const ready = waiting.filter((entry) => entry.sessionId === sessionId)
        waiting = waiting.filter((entry) => entry.sessionId !== sessionId)
        for (const entry of ready) subscriber.next(entry.frame)
      })
      subscription.add(
        held$.subscribe({
          next: (entry) => {
            const at = scheduler.now()
            waiting = [...waiting.filter((old) => at - old.at < lifetime), { ...entry, at }]
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        }),
      )
      return subscription
    })
}
