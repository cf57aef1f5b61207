import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { requestBody } from '../connection/codecs.js'

// Wire codecs of WebRTC call signalling (`protocol/calls.md` §1–§12, `notifications.md` §4), shared with the local platform (`platform/features/calls.ts`).
// The TURN credential codecs live with the subscription that fetches them (`streams/subscription/codecs.ts`).

/** The correlator every request body may carry. */
const clientCorrelator = /* @__PURE__ */ requestBody(() => t.partial({ clientCorrelator: t.string }))

/** An SDP carrier that may be empty: `{}` means "no SDP" (slow start, `calls.md` §6, §8.2). */
const MaybeSdp = t.partial({ sdp: t.string })

/** `POST .../sessions` body: a new call (`calls.md` §3.2). `offer: {}` is a slow-start caller (a gateway). */
export const CreateSessionRequest = /* @__PURE__ */ requestBody(() =>
  t.type({
    wrtcsSession: t.intersection([
      t.type({ tParticipantAddress: t.string, offer: MaybeSdp }),
      clientCorrelator,
      t.partial({ tParticipantName: t.string }),
    ]),
  }),
)
export type CreateSessionRequest = t.TypeOf<typeof CreateSessionRequest>

/** `POST .../sessions` response (201): only `resourceURL` is read (session id = text after `sessions/`). */
export const CreateSessionResponse = t.type({
  wrtcsSession: t.intersection([t.type({ resourceURL: t.string }), t.partial({ tParticipantAddress: t.string, offer: MaybeSdp })]),
})

/** What a party reports with `PUT .../status`: ringing, or the audit keep-alive (`calls.md` §4, §12). */
export const ReportedStatus = /* @__PURE__ */ requestBody(() => t.keyof({ Ringing: null, Connected: null }))
export type ReportedStatus = t.TypeOf<typeof ReportedStatus>

/** `PUT .../sessions/<id>/status` body. */
export const SessionStatusRequest = /* @__PURE__ */ requestBody(() =>
  t.type({ wrtcsSessionStatus: t.intersection([t.type({ status: ReportedStatus }), clientCorrelator]) }),
)
export type SessionStatusRequest = t.TypeOf<typeof SessionStatusRequest>

/** `PUT .../status` response (required): `Ringing`, `Connected` or `Closed` (any other value is tolerated). */
export const SessionStatusResponse = t.type({ wrtcsSessionStatus: t.type({ status: t.string }) })

/** `PUT .../sessions/<id>/answer` body: an answer, or our offer replying to a slow-start request. */
export const AnswerRequest = /* @__PURE__ */ requestBody(() => t.type({ wrtcsAnswer: t.intersection([t.type({ sdp: t.string }), clientCorrelator]) }))
export type AnswerRequest = t.TypeOf<typeof AnswerRequest>

/**
 * `PUT .../sessions/<id>/update` body: a re-offer (hold, unhold, add / remove media, `calls.md` §7). The SDK always sends an SDP; the local platform
 * also takes an offer-less update (a gateway's re-INVITE without SDP) and relays it as a slow-start re-offer (`calls.md` §8.2).
 */
export const OfferRequest = /* @__PURE__ */ requestBody(() => t.type({ wrtcsOffer: t.intersection([MaybeSdp, clientCorrelator]) }))
export type OfferRequest = t.TypeOf<typeof OfferRequest>

/** `PUT .../sessions/<id>/transfer` body: direct (address) or consultative (address + the other session id). */
export const TransferRequest = /* @__PURE__ */ requestBody(() =>
  t.type({ wrtcsTransfer: t.intersection([t.type({ address: t.string }), clientCorrelator, t.partial({ sessionId: t.string })]) }),
)
export type TransferRequest = t.TypeOf<typeof TransferRequest>

/** `{ rel, href }`: the session id is the text after `sessions/` in `link[0].href`; `rel` is not examined, whatever its type. */
const Link = t.intersection([t.type({ href: t.string }), t.partial({ rel: t.unknown })])
export type Link = t.TypeOf<typeof Link>

// `id` (the connection de-duplicates on it and takes a number too) and `dateTime` are read by no call handler: taken whatever their type.
const notification = <P extends t.Props>(props: P) =>
  t.intersection([t.type({ id: t.unknown, link: t.array(Link) }), t.type(props), t.partial({ dateTime: t.unknown })])

/**
 * `wrtcsSessionInvitationNotification`: an incoming call (`notifications.md` §4.1); `offer: {}` = slow start. The originator fields are taken as they
 * come (the reference does not check them): one of another type must not keep the call from ringing.
 */
export const SessionInvitationNotification = t.intersection([
  notification({ offer: MaybeSdp }),
  t.partial({ originatorAddress: t.unknown, originatorName: t.unknown }),
])
export type SessionInvitationNotification = t.TypeOf<typeof SessionInvitationNotification>

/** `wrtcsAcceptanceNotification` / `wrtcsAnswerNotification`: the remote answer (`notifications.md` §4.2, §4.3). */
export const AnswerNotification = notification({ answer: t.type({ sdp: t.string }) })
export type AnswerNotification = t.TypeOf<typeof AnswerNotification>

/** `wrtcsOfferNotification`: a remote re-offer; `offer: {}` = slow-start re-offer (`notifications.md` §4.4). */
export const OfferNotification = notification({ offer: MaybeSdp })

/**
 * `wrtcsEventNotification`: session status; only `Ringing`, `SessionEnded`, `Cancelled` act (`notifications.md` §4.5). `reasonText` and `statusCode`
 * are taken as they come: the reference reads neither, so a value of another type must not keep a session from ending.
 */
export const EventNotification = t.intersection([
  notification({ eventType: t.string }),
  t.partial({ reasonText: t.unknown, statusCode: t.unknown }),
])
export type EventNotification = t.TypeOf<typeof EventNotification>

const tagged = <K extends string, C extends t.Mixed>(kind: K, body: C) => t.type({ kind: t.literal(kind), body })

/** Each call notification kind (the top-level key of its frame) and its codec of `{ kind, body }`. */
const callNotifications = {
  wrtcsSessionInvitationNotification: tagged('wrtcsSessionInvitationNotification', SessionInvitationNotification),
  wrtcsAcceptanceNotification: tagged('wrtcsAcceptanceNotification', AnswerNotification),
  wrtcsAnswerNotification: tagged('wrtcsAnswerNotification', AnswerNotification),
  wrtcsOfferNotification: tagged('wrtcsOfferNotification', OfferNotification),
  wrtcsEventNotification: tagged('wrtcsEventNotification', EventNotification),
}

export type CallNotificationKind = keyof typeof callNotifications

/** A decoded call notification, tagged with its kind: a switch on `kind` narrows `body`. */
export type CallNotification = t.TypeOf<(typeof callNotifications)[CallNotificationKind]>

/** Decodes the body of a call notification of a known kind into its tagged form. */
export const decodeCallNotification = (kind: CallNotificationKind, body: unknown): t.Validation<CallNotification> => callNotifications[kind].decode({ kind, body })

/** A whole call notification frame as the platform sends it (`id` may be left to the platform core). */
export type CallNotificationFrame = {
  [K in CallNotificationKind]: { readonly [P in K]: Omit<Extract<CallNotification, { kind: P }>['body'], 'id'> & { id?: string } }
}[CallNotificationKind]

export const isCallNotificationKind = (kind: string): kind is CallNotificationKind => Object.hasOwn(callNotifications, kind)

/** The id after `sessions/` in a resource path (`resourceURL`, `link[0].href`), or undefined. */
export function sessionIdOf(path: string): string | undefined {
  return /\/sessions\/([^/?#]+)\/?$/.exec(path)?.[1]
}

/** The session an undecodable notification names in its first link, if it names one (to report it on that call). */
export function linkedSessionId(body: unknown): string | undefined {
  const links = t.type({ link: t.array(t.unknown) }).decode(body)
  const first = E.isRight(links) ? Link.decode(links.right.link[0]) : undefined
  return first !== undefined && E.isRight(first) ? sessionIdOf(first.right.href) : undefined
}

/** The session a notification is about: from `link[0].href` (`rel` is not examined). */
export const notifiedSessionId = (links: readonly Link[]): string | undefined =>
  links.length === 0 ? undefined : sessionIdOf(links[0].href)
