import { expect } from 'chai'
import { createEarlyStatuses, type EarlyStatuses, type StatusEvent } from '../../../streams/messaging/early-statuses.js'
import { initialMessagingState, messagingReducer, type MessagingEvent, type MessagingState } from '../../../streams/messaging/state.js'

// The buffer's bounds, which the integration spec (a receipt before its send's answer) cannot reach.
const sms = { destination: ['+15551230002'], chatType: 'sms' } as const

const sending = (localId: string): MessagingEvent => ({
  type: 'messageSending',
  ...sms,
  message: { messageId: undefined, localId, sender: 'alice@example.com', timestamp: 1, parts: [{ type: 'text', text: localId }], isPending: true, read: false, type: 'sms' },
})
const sent = (localId: string, messageId: string): MessagingEvent => ({ type: 'messageSent', ...sms, localId, messageId, sender: 'alice@example.com', deliveryStatus: 'Pending', parts: [] })
const receipt = (messageId: string): StatusEvent => ({ type: 'deliveryStatusChanged', ...sms, messageId, deliveryStatus: 'Delivered' })

/** Applies `event` as the feature does: a status may be kept back; after any event, the kept statuses it settles. */
function apply(early: EarlyStatuses, state: MessagingState, event: MessagingEvent): { readonly state: MessagingState; readonly applied: readonly StatusEvent[] } {
  if (event.type === 'deliveryStatusChanged' && early.kept(event, state)) return { state, applied: [] }
  const next = messagingReducer(state, event)
  const applied = early.settled(event, next)
  return { state: applied.reduce<MessagingState>(messagingReducer, next), applied }
}

function run(early: EarlyStatuses, events: readonly MessagingEvent[]): { readonly state: MessagingState; readonly applied: readonly StatusEvent[] } {
  return events.reduce(({ state, applied }, event) => {
    const step = apply(early, state, event)
    return { state: step.state, applied: [...applied, ...step.applied] }
  }, { state: initialMessagingState, applied: [] as readonly StatusEvent[] })
}

describe('messaging: early delivery statuses', () => {
  it('keeps a status for a message not held while a send is pending, and applies it when the answer names the message', () => {
    const { applied } = run(createEarlyStatuses(), [sending('l1'), receipt('m1'), sent('l1', 'm1')])
    expect(applied).to.deep.equal([receipt('m1')])
  })

  it('keeps nothing when no send of the conversation is pending: the status is applied (and changes nothing) as before', () => {
    const early = createEarlyStatuses()
    expect(early.kept(receipt('m1'), run(early, [sending('l1'), sent('l1', 'm0')]).state)).to.equal(false)
  })

  it('keeps at most its limit: past it the oldest goes', () => {
    const { applied } = run(createEarlyStatuses(2), [sending('l1'), receipt('m1'), receipt('m2'), receipt('m3'), sent('l1', 'm1')])
    expect(applied).to.deep.equal([])
  })

  it("drops a conversation's statuses once none of its sends is pending", () => {
    const { applied } = run(createEarlyStatuses(), [sending('l1'), receipt('m2'), sent('l1', 'm1'), sending('l2'), sent('l2', 'm2')])
    expect(applied).to.deep.equal([])
  })
})
