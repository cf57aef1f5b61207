import { distinctUntilChanged, map, type Observable, type Subscription } from 'rxjs'
import type { ConfigFeature } from './config/feature.js'
import type { PlatformLink } from './connection/link.js'
import type { Environment } from './environment.js'
import type { Logs } from './logs/logger.js'
import type { Store } from './store.js'

/** What a feature may stand on (a core's `config`, `environment`, `logs` and `link`); each feature's deps pick what it uses. */
export interface FeatureDeps {
  readonly config: ConfigFeature
  readonly environment: Environment
  readonly logs: Logs
  readonly link: PlatformLink
}

/** The shape of every feature of the reactive core: its replayed state, its events (facts in the past tense) and the commands that change it. */
export interface Feature<State, Event, Commands> {
  /** Hot; replays the latest state to late subscribers. */
  readonly state$: Observable<State>
  /** Hot; one emission per cause, after the state it changed has been emitted. */
  readonly events$: Observable<Event>
  readonly commands: Commands
}

/** A feature on a store: also its state synchronously, and its teardown. */
export interface StoreFeature<State, Event, Commands> extends Feature<State, Event, Commands> {
  readonly current: () => State
  /** Stops the feature's work and completes its streams. */
  readonly dispose: () => void
}

/**
 * What a feature on a store hands out besides its commands: state, events (the store's outputs), a synchronous read,
 * and a teardown that stops what `running` owns, then the store.
 *
 * return { ...storeFeature(store, running), contacts$: select(store.state$, (state) => state.contacts), commands }
 */
export const storeFeature = <State, Event extends { readonly type: string }, Output>(store: Store<State, Event, Output>, running: Subscription) => ({
  state$: store.state$,
  events$: store.outputs$,
  current: store.current,
  dispose: (): void => {
    running.unsubscribe()
    store.complete()
  },
})

/** One part of a state stream: hot as its source, each new value once. */
export const select = <State, Part>(state$: Observable<State>, part: (state: State) => Part): Observable<Part> => state$.pipe(map(part), distinctUntilChanged())

/**
 * A view's value frozen with the plain objects and arrays in it (a contact, a group's participants), so that an app's write cannot reach the next
 * state, which the reducer makes from this one. What is frozen already is left as it is; objects of classes (a Blob, an error) are not walked.
 *
 * contacts$: select(store.state$, (state) => state.contacts).pipe(map(deepFrozen))
 */
export function deepFrozen<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value
  const prototype: unknown = Object.getPrototypeOf(value)
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return value
  for (const member of Object.values(value)) deepFrozen(member)
  return Object.freeze(value)
}

/** A part of a state stream as `select` gives it, `deepFrozen` (for the views of small features: contacts, groups, directory users, devices). */
export const selectFrozen = <State, Part>(state$: Observable<State>, part: (state: State) => Part): Observable<Part> => select(state$, part).pipe(map(deepFrozen))

/**
 * A reducer whose every next state is `deepFrozen`, so that no reader of `state$` or `current()` can change what the states after it are
 * made from (for the small features whose states are plain objects: contacts, groups, directory users). Only the new objects are walked.
 *
 * createStore(deepFrozen(initialContactsState), echoing(frozenStates(contactsReducer)), logger)
 */
export const frozenStates =
  <State, Event>(reducer: (state: State, event: Event) => State) =>
  (state: State, event: Event): State =>
    deepFrozen(reducer(state, event))
