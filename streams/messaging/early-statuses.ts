import { logOf } from './held.js'
import { conversationKey, type MessagingEvent, type MessagingState, type Target } from './model.js'
import { findConversation } from './state.js'

/** A delivery status from the platform (an SMS delivery receipt). */
export type StatusEvent = Extract<MessagingEvent, { type: 'deliveryStatusChanged' }>

/** How many early statuses are kept at most; past it the oldest goes. */
export const earlyStatusLimit = 50

/**
 * Delivery statuses that came before the answer of their send (the platform may send the receipt before its HTTP answer lands): kept
 * by message id while a send of their conversation is pending, applied once an answer names the message.
 *
 * if (event.type === 'deliveryStatusChanged' && early.kept(event, store.current())) return
 * store.dispatch(event)
 * early.settled(event, store.current()).forEach(store.dispatch)
 */
export interface EarlyStatuses {
  /** True when `status` is kept for later: its message is not held, and a send of its conversation is still pending. */
  readonly kept: (status: StatusEvent, state: MessagingState) => boolean
  /** After `event` was applied: the status kept for the message a send's answer named; the conversation's others go once none of its sends is pending. */
  readonly settled: (event: MessagingEvent, state: MessagingState) => readonly StatusEvent[]
}

const pendingSends = (state: MessagingState, { destination, chatType }: Target): number => {
  const conversation = findConversation(state, destination, chatType)
  return conversation === undefined ? 0 : logOf(conversation).pending
}

/** The early statuses of one messaging feature, at most `limit` of them. */
export function createEarlyStatuses(limit = earlyStatusLimit): EarlyStatuses {
  // By message id, oldest first.
  const early = new Map<string, StatusEvent>()
  return {
    kept: (status, state) => {
      const conversation = findConversation(state, status.destination, status.chatType)
      const log = conversation === undefined ? undefined : logOf(conversation)
      if (log === undefined || log.pending === 0 || log.holds(status.messageId)) return false
      early.delete(status.messageId)
      early.set(status.messageId, status)
      if (early.size > limit) early.delete(early.keys().next().value as string)
      return true
    },
    settled: (event, state) => {
      if (early.size === 0 || (event.type !== 'messageSent' && event.type !== 'messageSendFailed')) return []
      const found = event.type === 'messageSent' ? early.get(event.messageId) : undefined
      if (found !== undefined) early.delete(found.messageId)
      if (pendingSends(state, event) === 0) {
        const key = conversationKey(event.destination, event.chatType)
        for (const [messageId, status] of early) if (conversationKey(status.destination, status.chatType) === key) early.delete(messageId)
      }
      return found === undefined ? [] : [found]
    },
  }
}
