import * as t from 'io-ts'
import type { Account, PlatformContext } from '../../context.js'
import { coreOf } from '../../core.js'
import { badInput, forbidden } from '../../errors.js'
import { SmsSendBody } from '../../../streams/messaging/codecs.js'
import type { Timeouts } from '../../timers.js'
import { bareNumber, ownNumber, type Conversations, type StoredMessage } from './conversations.js'

/** Delivery receipts of SMS to emulated users follow the send by this long (a phone network is not instant). */
const smsDeliveryDelayMs = 200
const e164 = /^\+[1-9][0-9]{2,14}$/

const InjectSms = t.intersection([t.type({ from: t.string, to: t.string, text: t.string }), t.partial({ dateTime: t.number })])

/** Files an SMS in the recipient's history and notifies them (`smsinbound`); the recipient's message id. */
function deliverSms(ctx: PlatformContext, conversations: Conversations, recipient: Account, from: string, to: string, text: string, dateTime: number): string {
  const session = conversations.open(recipient.userId, { kind: 'sms', remote: from, local: to })
  const copy: StoredMessage = { id: ctx.id(), sender: from, destination: to, text, dateTime, direction: 'inbound', status: 'DeliveredToTerminal' }
  session.messages.push(copy)
  conversations.save()
  ctx.notify(recipient.userId, 'smsinbound', {
    inboundSMSMessageNotification: {
      dateTime,
      inboundSMSMessage: { dateTime, destinationAddress: to, message: text, messageId: copy.id, senderAddress: from },
    },
  })
  return copy.id
}

/** The sender's `deliveryInfoNotification` `DeliveredToTerminal`, a little after the send. */
function receiptLater(ctx: PlatformContext, conversations: Conversations, timers: Timeouts, user: Account, sent: StoredMessage): void {
  timers.later(smsDeliveryDelayMs, () => {
    sent.status = 'DeliveredToTerminal'
    conversations.save()
    ctx.notify(user.userId, ctx.subscriptions.has(user.userId, 'smsoutbound') ? 'smsoutbound' : 'smsinbound', {
      deliveryInfoNotification: { deliveryInfo: { address: sent.destination, deliveryStatus: 'DeliveredToTerminal', messageId: sent.id } },
    })
  })
}

/**
 * SMS (`messaging.md` §9): to an emulated user's number it arrives as
 * `inboundSMSMessageNotification` and the sender gets `DeliveredToTerminal`; to any other number
 * it is accepted and recorded as sent (`DeliveredToNetwork`). `POST /_admin/sms { from, to, text }`
 * (admin API only) injects an SMS from outside.
 */
export function smsRoutes(ctx: PlatformContext, conversations: Conversations, timers: Timeouts): void {
  ctx.route('POST', '/cpaas/smsmessaging/:version/:userId/outbound/:sender/requests', { body: SmsSendBody }, ({ user, params, body }) => {
    const request = body.outboundSMSMessageRequest
    const from = ownNumber(ctx, user, params.sender!)
    if (from === undefined) return forbidden(`${params.sender} is not a number of ${user.identity}`)
    const to = request.address[0] === undefined ? undefined : bareNumber(request.address[0])
    if (to === undefined || !e164.test(to)) return badInput('outboundSMSMessageRequest.address')
    const text = request.outboundSMSTextMessage.message
    const dateTime = ctx.now()
    const sent: StoredMessage = { id: ctx.id(), sender: from, destination: to, text, dateTime, direction: 'outbound', status: 'DeliveredToNetwork' }
    conversations.open(user.userId, { kind: 'sms', remote: to, local: from }).messages.push(sent)
    conversations.save()
    const recipient = ctx.accounts.find(to)
    if (recipient !== undefined) {
      deliverSms(ctx, conversations, recipient, from, to, text, dateTime)
      receiptLater(ctx, conversations, timers, user, sent)
    }
    const resourceURL = `/cpaas/smsmessaging/v1/${user.userId}/remoteAddresses/${to}/messages/${sent.id}`
    const outboundSMSMessageRequest = {
      address: [to],
      ...(request.clientCorrelator === undefined ? {} : { clientCorrelator: request.clientCorrelator }),
      deliveryInfoList: { deliveryInfo: [{ address: to, deliveryStatus: 'DeliveredToNetwork' }], resourceURL: `${resourceURL}/deliveryInfos` },
      outboundSMSTextMessage: { message: text },
      resourceURL,
      senderAddress: from,
    }
    return { status: 201, body: { outboundSMSMessageRequest } }
  })

  if (!coreOf(ctx).options.admin) return
  ctx.route('POST', '/_admin/sms', { public: true, body: InjectSms }, ({ body }) => {
    const recipient = ctx.accounts.find(body.to)
    if (recipient === undefined) return badInput(`to: no user has the number ${body.to}`)
    if (!e164.test(body.from)) return badInput('from')
    const to = body.to.startsWith('+') ? body.to : recipient.phoneNumber
    return { status: 200, body: { messageId: deliverSms(ctx, conversations, recipient, body.from, to, body.text, body.dateTime ?? ctx.now()) } }
  })
}
