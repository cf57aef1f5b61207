// What the feature specs share: a feature on a recording link (no platform) with its events
// recorded, and the count of its streams that dispose completes.
import type { Observable } from 'rxjs'
import { recordingLink, type RecordingLink } from './presence/link.js'

/** The streams every feature has, and its dispose. */
export interface DisposableFeature<E> {
  readonly state$: Observable<unknown>
  readonly events$: Observable<E>
  dispose(): void
}

/** What a feature's events$ emits. */
type EventOf<F extends DisposableFeature<unknown>> = F['events$'] extends Observable<infer E> ? E : never

/** A recording link (a new signed-in one by default), the feature `create` makes on it, and the events it emits from now on. */
export function recordedFeature<F extends DisposableFeature<unknown>>(
  create: (link: RecordingLink) => F,
  link: RecordingLink = recordingLink(),
): { link: RecordingLink; feature: F; events: EventOf<F>[] } {
  const feature = create(link)
  const events: EventOf<F>[] = []
  feature.events$.subscribe((event) => events.push(event as EventOf<F>))
  return { link, feature, events }
}

/** Disposes the feature; returns how many of its state$ and events$ completed. */
export function streamsCompletedByDispose(feature: DisposableFeature<unknown>): number {
  let completed = 0
  feature.state$.subscribe({ complete: () => completed++ })
  feature.events$.subscribe({ complete: () => completed++ })
  feature.dispose()
  return completed
}
