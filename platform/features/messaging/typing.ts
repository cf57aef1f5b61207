import type { ClockTimer } from '../../clock.js'
import type { Account, PlatformContext } from '../../context.js'
import type { IsComposingBody } from '../../../streams/messaging/codecs.js'
import type { Timeouts } from '../../timers.js'
import type { Delivery } from './deliveries.js'
import { chatSessionPath } from './wire.js'

type Composing = IsComposingBody['isComposing']

/**
 * Relays typing indicators to the recipients, and turns one `idle` after `refresh` seconds
 * (1..600, default 60) without a refresh.
 */
export function typingRelay(ctx: PlatformContext, timers: Timeouts): (sender: Account, delivery: Delivery, composing: Composing) => void {
  /** The idle timer of each sender, conversation and recipient. */
  const typing = new Map<string, ClockTimer>()

  return (sender, delivery, composing) => {
    const refreshSeconds = Math.min(Math.max(Number(composing.refresh ?? 60) || 60, 1), 600)
    for (const recipient of delivery.recipients) {
      const key = `${sender.userId}|${delivery.kind}|${delivery.remote}|${recipient.userId}`
      const send = (state: 'active' | 'idle', lastactive: number): void =>
        ctx.notify(recipient.userId, 'chat', {
          chatMessageNotification: {
            isComposing: {
              state,
              senderAddress: sender.identity,
              'x-destinationAddress': delivery.kind === 'group' ? delivery.destination : recipient.local,
              contenttype: composing.contenttype ?? 'text/plain',
              refresh: String(refreshSeconds),
              lastactive,
              'x-type': 'inbound',
            },
            link: [{ rel: 'chatSession', href: chatSessionPath(recipient.userId, recipient) }],
          },
        })
      timers.cancel(typing.get(key))
      typing.delete(key)
      send(composing.state, composing.lastactive ?? ctx.now())
      if (composing.state !== 'active') continue
      const idle = timers.later(refreshSeconds * 1000, () => {
        typing.delete(key)
        send('idle', ctx.now())
      })
      typing.set(key, idle)
    }
  }
}
