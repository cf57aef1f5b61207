import { Observable, type OperatorFunction } from 'rxjs'

/**
 * Emits, in order, each value of the array that `project` makes of every source value: what
 * `mergeMap(project)` does with an array, without an inner subscription per source value (on
 * the path of every notification, that subscription was most of the operator's cost). An error
 * thrown by `project` is the stream's error, as with `mergeMap`.
 *
 * events$.pipe(each((event) => toPublic(event))) // 0, 1 or more public events per event
 */
export function each<A, B>(project: (value: A) => readonly B[]): OperatorFunction<A, B> {
  return (source) =>
    new Observable<B>((subscriber) =>
      source.subscribe({
        next: (value) => {
          let values: readonly B[]
          try {
            values = project(value)
          } catch (error) {
            return subscriber.error(error)
          }
          for (const item of values) subscriber.next(item)
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    )
}
