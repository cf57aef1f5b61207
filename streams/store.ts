import { BehaviorSubject, Subject, type Observable } from 'rxjs'
import type { Logger } from './logs/logger.js'

/** What a reducer step makes of one event: the next state and the outputs (facts) it caused. */
export interface Step<State, Output> {
  readonly state: State
  readonly outputs: readonly Output[]
}

/** A feature's state and the facts that changed it: `dispatch` reduces, logs the action, emits the state (when it changed), then each output. */
export interface Store<State, Event, Output> {
  /** Hot; replays the latest state to late subscribers. */
  readonly state$: Observable<State>
  /** Hot; each output once, after the state it belongs to. */
  readonly outputs$: Observable<Output>
  readonly current: () => State
  readonly dispatch: (event: Event) => Step<State, Output>
  /** Completes both streams (the feature is disposed). */
  readonly complete: () => void
}

/**
 * A store over a pure `reduce`; a reducer of state alone becomes one with `echoing` (its only output is the event itself).
 *
 * const store = createStore(initialContactsState, echoing(contactsReducer), logs.logger('contacts'))
 * store.dispatch({ type: 'contactAdded', contact })
 */
export function createStore<State, Event extends { readonly type: string }, Output>(
  initial: State,
  reduce: (state: State, event: Event) => Step<State, Output>,
  logger: Pick<Logger, 'action'>,
): Store<State, Event, Output> {
  const state = new BehaviorSubject<State>(initial)
  const outputs = new Subject<Output>()
  return {
    state$: state.asObservable(),
    outputs$: outputs.asObservable(),
    current: () => state.getValue(),
    dispatch: (event) => {
      const previous = state.getValue()
      const step = reduce(previous, event)
      logger.action(event, previous, step.state)
      if (step.state !== previous) state.next(step.state)
      for (const output of step.outputs) outputs.next(output)
      return step
    },
    complete: () => {
      state.complete()
      outputs.complete()
    },
  }
}

/** A reducer of state alone as a step whose only output is the event it reduced. */
export const echoing =
  <State, Event>(reducer: (state: State, event: Event) => State) =>
  (state: State, event: Event): Step<State, Event> => ({ state: reducer(state, event), outputs: [event] })
