import { Observable, Subscriber, type OperatorFunction } from 'rxjs'

/** The subscriber of `each`: one object per subscription, its `next` a method rather than a closure. */
class EachSubscriber<A, B> extends Subscriber<A> {
  constructor(
    destination: Subscriber<B>,
    private readonly project: (value: A) => readonly B[],
  ) {
    super(destination)
  }

  protected override _next(value: A): void {
    let values: readonly B[]
    try {
      values = this.project(value)
    } catch (error) {
      return this.error(error)
    }
    // A subscriber that unsubscribes part way through an array gets none of the rest.
    for (let at = 0; at < values.length && !this.closed; at++) this.destination.next(values[at])
  }
}

/**
 * Emits, in order, each value of the array `project` makes of every source value: `mergeMap(project)` without an inner subscription per value
 * (on the path of every notification, that was most of the cost). An error thrown by `project` is the stream's error, as with `mergeMap`.
 *
 * events$.pipe(each((event) => toPublic(event))) // 0, 1 or more public events per event
 */
export function each<A, B>(project: (value: A) => readonly B[]): OperatorFunction<A, B> {
  return (source) => new Observable<B>((subscriber) => source.subscribe(new EachSubscriber(subscriber, project)))
}
