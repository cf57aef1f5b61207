import type { EventNotification } from '../codecs.js'
import { definedFields } from '../../record.js'
import { endCall, type CallEngine } from '../engine.js'
import type { CallRecord, Transition } from '../model.js'

/** The session events that act on a call (notifications.md §4.5); any other is ignored. */
export const sessionEvents = ['Ringing', 'SessionEnded', 'Cancelled'] as const

/** The platform's reason in a transition (notifications.md §4.5 recommendation): a numeric code and a text only. */
const transitionOf = (statusCode: unknown, reasonText: unknown): Transition =>
  definedFields({ statusCode: typeof statusCode === 'number' ? statusCode : undefined, reasonText: typeof reasonText === 'string' ? reasonText : undefined })

/** A session event of a call: the far end rings, ended the call or cancelled it. */
export function createSessionEvent(engine: Pick<CallEngine, 'store' | 'runtimes' | 'logger' | 'now'>) {
  const { store, logger, now } = engine
  return (call: CallRecord, { eventType, reasonText, statusCode }: EventNotification): void => {
    if (eventType === 'Ringing') store.dispatch({ type: 'ringingReported', callId: call.id })
    else if (eventType === 'Cancelled') endCall(engine, { type: 'remoteCancelled', callId: call.id, at: now() })
    else if (eventType === 'SessionEnded') endCall(engine, { type: 'remoteEnded', callId: call.id, at: now(), transition: transitionOf(statusCode, reasonText) })
    else logger.debug(`Call event ${eventType} ignored`)
  }
}
