import * as t from 'io-ts'
import { requestBody } from '../connection/codecs.js'

// Wire payloads of presence (`protocol/presence-groups-users.md` §1, `notifications.md` §7), shared by the SDK and the local platform.

/** Wire values of `overridingWillingnessValue` (§1.1). */
export const wireStatuses = ['Open', 'Closed'] as const
/** Wire values of `activityValue` (§1.1). */
export const wireActivities = ['Available', 'Busy', 'Lunch', 'Vacation', 'OnThePhone', 'ActivitiesUnknown', 'ActivitiesOther'] as const

export type WireStatus = (typeof wireStatuses)[number]
export type WireActivity = (typeof wireActivities)[number]

/** The common "person" object: status, activity and the note of `ActivitiesOther`. */
export const Person = t.type({
  'overriding-willingness': t.type({ overridingWillingnessValue: t.string }),
  activities: t.intersection([t.type({ activityValue: t.string }), t.partial({ other: t.string })]),
})
export type Person = t.TypeOf<typeof Person>

const Presence = t.type({ person: Person })

/** `POST .../presenceSources` body (§1.2). */
export const PresenceSourceRequest = /* @__PURE__ */ requestBody(() =>
  t.type({ presenceSource: t.intersection([t.type({ presence: Presence }), t.partial({ clientCorrelator: t.string })]) }),
)
export type PresenceSourceRequest = t.TypeOf<typeof PresenceSourceRequest>

/** `POST .../presenceSources` response (required, §1.2). */
export const PresenceSourceResponse = t.type({
  presenceSource: t.intersection([t.type({ presence: Presence }), t.partial({ clientCorrelator: t.string, resourceURL: t.string })]),
})

/** One user id, or several (the reference sends arrays in one request, §1.5). */
const OneOrMoreUserIds = t.union([t.string, t.array(t.string)])

/** `POST .../adhocPresenceList` body (§1.3). */
export const AdhocPresenceListRequest = /* @__PURE__ */ requestBody(() => t.type({ adhocPresenceList: t.type({ presentityUserId: OneOrMoreUserIds }) }))
export type AdhocPresenceListRequest = t.TypeOf<typeof AdhocPresenceListRequest>

export const PresenceContact = t.type({ presentityUserId: t.string, presence: Presence })
export type PresenceContact = t.TypeOf<typeof PresenceContact>

/** `POST .../adhocPresenceList` response (required, §1.3); without `presenceContact` nothing changes. */
export const AdhocPresenceListResponse = t.type({ presenceList: t.partial({ presenceContact: t.array(PresenceContact) }) })

/** `POST .../presenceLists` body (§1.4 step 2). */
export const CreatePresenceListRequest = /* @__PURE__ */ requestBody(() =>
  t.type({ presenceList: t.partial({ 'x-listName': t.string, presenceContact: t.array(t.type({ presentityUserId: t.string })) }) }),
)
export type CreatePresenceListRequest = t.TypeOf<typeof CreatePresenceListRequest>

/** `POST .../subscriptions/presenceListSubscriptions/<listId>` body (§1.4 step 3). */
export const PresenceListSubscriptionRequest = /* @__PURE__ */ requestBody(() =>
  t.type({
    presenceListSubscription: t.intersection([
      t.type({ callbackReference: t.type({ notifyURL: t.string }) }),
      t.partial({ clientCorrelator: t.string, duration: t.number }),
    ]),
  }),
)
export type PresenceListSubscriptionRequest = t.TypeOf<typeof PresenceListSubscriptionRequest>

/** `PUT .../presenceLists/<listId>/presenceContacts/<user>` body (§1.5). */
export const PresenceContactRequest = t.type({ presenceContact: t.type({ presentityUserId: OneOrMoreUserIds }) })
export type PresenceContactRequest = t.TypeOf<typeof PresenceContactRequest>

/** Its response (required, 200 or 201), of the same shape. */
export const PresenceContactResponse = PresenceContactRequest

/** The value under `presenceNotification` (`notifications.md` §7); ignored without `presence`. */
export const PresenceNotification = t.intersection([
  t.type({ presentityUserId: t.string }),
  t.partial({ presence: Presence, dateTime: t.number }),
])
export type PresenceNotification = t.TypeOf<typeof PresenceNotification>
