import type { Observable } from 'rxjs'
import { shown } from '../streams/errors.js'
import type { Logger } from '../streams/logs/logger.js'
import type { EventPayloads } from './event-map.js'

/** Every event name of the documented API, including those the reference declares but never emits, so that `on(name, …)` accepts them all. */
export const eventNames = [
  'auth:change',
  'auth:error',
  'auth:resub',
  'subscription:change',
  'subscription:error',
  'ws:change',
  'notification:received',
  'notifications:change',
  'notifications:error',
  'call:start',
  'call:receive',
  'call:stateChange',
  'call:newMedia',
  'call:removedMedia',
  'call:newTrack',
  'call:trackEnded',
  'call:statsReceived',
  'call:trackReplaced',
  'call:join',
  'call:mediaConnectionChange',
  'call:mediaRestart',
  'call:qualityWarning',
  'call:error',
  'devices:change',
  'media:muted',
  'media:unmuted',
  'conversations:new',
  'conversations:change',
  'messages:change',
  'messages:error',
  'isTypingList:change',
  'presence:change',
  'presence:selfChange',
  'presence:error',
  'group:new',
  'group:change',
  'group:delete',
  'group:refresh',
  'group:invitation_received',
  'group:error',
  'contacts:new',
  'contacts:change',
  'contacts:error',
  'directory:change',
  'directory:error',
] as const

/** A documented event name (`call:stateChange`, `messages:change`, …). */
export type EventName = (typeof eventNames)[number]

// The list above and the payload map name the same events: a name missing from either fails to compile.
type Missing<A, B> = Exclude<A, B> extends never ? true : Exclude<A, B>
const sameEvents: [Missing<keyof EventPayloads, EventName>, Missing<EventName, keyof EventPayloads>] = [true, true]
void sameEvents

/** One event of the given name as the documented API delivers it: its name and its payload. */
export interface EventOf<K extends EventName> {
  /** The documented event name (`call:stateChange`, …). */
  readonly type: K
  /** The event's payload, as `EventPayloads` gives it for that name (`{}` when it has none). */
  readonly payload: EventPayloads[K]
}

/** Any event of the documented API: the union of `EventOf` over every name, so `type` narrows `payload`. */
export type PublicEvent = { [K in EventName]: EventOf<K> }[EventName]

/** A listener added with `on(type, listener)`: called with the payload of that event. */
export type EventListener<K extends EventName = EventName> = (payload: EventPayloads[K]) => void

/** A listener added with `subscribe(listener)`: called with the event's name and an array holding its payload. */
export type GlobalListener = (type: EventName, args: [PublicEvent['payload']]) => void

/** The documented event API of the client. */
export interface EventApi {
  /**
   * Adds a listener for one event type.
   *
   * client.on('call:stateChange', ({ callId, previous }) => render(callId))
   * @throws Error `Invalid event type: <type>` for a name that is not a documented event; `Listener not a function` for a non-function.
   */
  on<K extends EventName>(type: K, listener: EventListener<K>): void
  /**
   * Removes a listener added with `on`.
   *
   * client.off('call:stateChange', render)
   * @throws Error `Invalid event type: <type>`; `Listener not a function`.
   */
  off<K extends EventName>(type: K, listener: EventListener<K>): void
  /**
   * Adds a listener for every event, called as `listener(type, [payload])`.
   *
   * client.subscribe((type, [payload]) => console.log(type, payload))
   * @throws Error `Listener not a function`.
   */
  subscribe(listener: GlobalListener): void
  /**
   * Removes a listener added with `subscribe`.
   *
   * client.unsubscribe(logEverything)
   * @throws Error `Listener not a function`.
   */
  unsubscribe(listener: GlobalListener): void
}

/** An event API bound to a stream of events, plus the teardown of its subscription. */
interface Emitter extends EventApi {
  /** Stops delivering events (the rest of a delivery under way too) and forgets every listener, keeping none added later. */
  readonly dispose: () => void
}

const known: ReadonlySet<string> = new Set(eventNames)

/** True for a documented event name. */
export const isEventName = (value: unknown): value is EventName => typeof value === 'string' && known.has(value)

const checkType = (type: unknown): EventName => {
  if (!isEventName(type)) throw new Error(`Invalid event type: ${shown(type)}`)
  return type
}

function checkListener<L>(listener: L): L {
  if (typeof listener !== 'function') throw new Error('Listener not a function')
  return listener
}

/** The list with `listener` last, unless it holds it already (a listener is called once per event however often it is added). */
const withListener = <L>(list: readonly L[], listener: L): readonly L[] => (list.includes(listener) ? list : [...list, listener])

const withoutListener = <L>(list: readonly L[], listener: unknown): readonly L[] => list.filter((held) => held !== listener)

/** Runs `flush` once, later: the emitter's delivery of one burst of events. */
export type Delivery = (flush: () => void) => void

const settled = Promise.resolve()

/** One plain microtask per burst: nothing to allocate or cancel per event, as a scheduler action would. */
const inMicrotask: Delivery = (flush) => void settled.then(flush)

/**
 * The documented `on` / `off` / `subscribe` / `unsubscribe` over a stream of public events.
 * Each event reaches listeners, in order, in a microtask after its emission, so getters called in a listener see the state change
 * that caused it. A listener that throws is logged and skipped; the other listeners and the SDK carry on.
 *
 * const emitter = createEmitter(events$, logs.logger('events'))
 * emitter.on('ws:change', ({ platform }) => …)
 */
export function createEmitter(events$: Observable<PublicEvent>, logger: Logger, delivery: Delivery = inMicrotask): Emitter {
  // Stored untyped: each list only ever holds listeners of its own event name. A list is replaced, never changed, when a listener comes or
  // goes, so a delivery runs over the listeners there were when it began without copying them for each event.
  const listeners = new Map<EventName, readonly ((payload: unknown) => void)[]>()
  let globals: readonly GlobalListener[] = []

  // Set by dispose: a listener that disposes the client mid-delivery stops the delivery, and later listeners are not kept.
  let disposed = false

  const threw = (type: EventName, error: unknown): void => logger.error(`A listener of "${type}" threw`, error)

  const deliver = ({ type, payload }: PublicEvent): void => {
    // A malformed event without payload still gives listeners the documented `{}`.
    const given: PublicEvent['payload'] = payload ?? {}
    for (const listener of listeners.get(type) ?? []) {
      if (disposed) return
      try {
        listener(given)
      } catch (error) {
        threw(type, error)
      }
    }
    for (const listener of globals) {
      if (disposed) return
      try {
        listener(type, [given])
      } catch (error) {
        threw(type, error)
      }
    }
  }

  // One burst waits in `queued` for one delivery (as `observeOn` would, without an action per event); events emitted during it wait for the next.
  let queued: PublicEvent[] = []
  const flush = (): void => {
    const batch = queued
    queued = []
    for (const event of batch) deliver(event)
  }
  const subscription = events$.subscribe({
    next: (event) => {
      if (queued.push(event) === 1) delivery(flush)
    },
    error: (error: unknown) => logger.error('The event stream failed', error),
  })
  // Disposing drops what is still queued, as unsubscribing from `observeOn` would: the pending flush finds nothing.
  subscription.add(() => void (queued = []))

  return {
    on: (type, listener) => {
      const name = checkType(type)
      checkListener(listener)
      if (disposed) return
      listeners.set(name, withListener(listeners.get(name) ?? [], listener as (payload: unknown) => void))
    },
    off: (type, listener) => {
      const name = checkType(type)
      checkListener(listener)
      listeners.set(name, withoutListener(listeners.get(name) ?? [], listener))
    },
    subscribe: (listener) => {
      checkListener(listener)
      if (disposed) return
      globals = withListener(globals, listener)
    },
    unsubscribe: (listener) => {
      globals = withoutListener(globals, checkListener(listener))
    },
    dispose: () => {
      disposed = true
      subscription.unsubscribe()
      listeners.clear()
      globals = []
    },
  }
}
