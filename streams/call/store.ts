import type { Logger } from '../logs/logger.js'
import { entryOf } from '../record.js'
import { createStore } from '../store.js'
import { withJoins } from './join.js'
import { withMediaConnection } from './media-connection.js'
import type { CallEvent, CallRecord, CallsStore } from './model.js'
import { callsReducer, initialCallsState } from './state.js'
import { liveCall, refusalOf } from './steps.js'
import { withTransfers } from './transfer.js'

/** The calls' store, with the reads and the request every effect makes. */
export interface CallStore extends CallsStore {
  readonly callOf: (callId: string) => CallRecord | undefined
  /** The call if it exists and is not `Ended` / `Cancelled`. */
  readonly liveOf: (callId: string) => CallRecord | undefined
  /** The call exists and is not `Ended` / `Cancelled`. */
  readonly isLive: (callId: string) => boolean
  /** Dispatches a request: the call when the machine accepts it, else undefined (the refusal is an output already). */
  readonly request: (event: CallEvent) => CallRecord | undefined
}

const reduce = withMediaConnection(withJoins(withTransfers(callsReducer)))

export function createCallStore(logger: Pick<Logger, 'action'>): CallStore {
  const store = createStore(initialCallsState, reduce, logger)
  const callOf = (callId: string): CallRecord | undefined => entryOf(store.current().calls, callId)
  const liveOf = (callId: string): CallRecord | undefined => liveCall(store.current(), callId)
  const isLive = (callId: string): boolean => liveOf(callId) !== undefined
  const request = (event: CallEvent): CallRecord | undefined =>
    refusalOf(store.dispatch(event)) === undefined ? callOf(event.callId) : undefined
  return { ...store, callOf, liveOf, isLive, request }
}
