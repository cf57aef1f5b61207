import type { Observable } from 'rxjs'

/**
 * The shape of every feature of the reactive core (`streams/<feature>/feature.ts` returns one):
 * its state as a hot Observable that replays the latest value, its events as facts in the past
 * tense, and the commands that change it.
 */
export interface Feature<State, Event, Commands> {
  /** Hot; replays the latest state to late subscribers. */
  readonly state$: Observable<State>
  /** Hot; one emission per cause, after the state it changed has been emitted. */
  readonly events$: Observable<Event>
  readonly commands: Commands
}
