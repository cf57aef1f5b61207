import * as t from 'io-ts'
import { requestBody } from '../connection/codecs.js'

// Wire payloads of groups (`protocol/presence-groups-users.md` §2, `notifications.md` §8), shared by the SDK and the local platform.

/** A participant on the wire; other fields are kept as they are. */
export const WireParticipant = t.intersection([
  t.type({ address: t.string }),
  t.partial({ 'x-isAdmin': t.boolean, status: t.string, resourceURL: t.string }),
])
export type WireParticipant = t.TypeOf<typeof WireParticipant>

/** A participant as the SDK sends it: an address, and whether they administer the group. */
const NewParticipant = /* @__PURE__ */ requestBody(() => t.intersection([t.type({ address: t.string }), t.partial({ 'x-isAdmin': t.boolean })]))

/** The group object (§2.1): `resourceURL` and `participant` are required. */
export const WireGroup = t.intersection([
  t.type({ resourceURL: t.string, participant: t.array(WireParticipant) }),
  t.partial({ 'x-name': t.string, subject: t.string, 'x-image': t.string, 'x-type': t.string }),
])
export type WireGroup = t.TypeOf<typeof WireGroup>

/** `POST .../group` body (§2.2): the creator first, as administrator. */
export const CreateGroupRequest = /* @__PURE__ */ requestBody(() =>
  t.type({
    groupChatSessionInformation: t.intersection([
      t.type({ participant: t.array(NewParticipant) }),
      t.partial({ subject: t.string, 'x-image': t.string, 'x-name': t.string, 'x-type': t.string }),
    ]),
  }),
)
export type CreateGroupRequest = t.TypeOf<typeof CreateGroupRequest>

/** `POST .../group` and `GET .../group/<groupId>` responses (required). */
export const GroupResponse = t.type({ groupChatSessionInformation: WireGroup })
export type GroupResponse = t.TypeOf<typeof GroupResponse>

/** `GET .../group` response (required); the list MUST be an array (§2.3). */
export const GroupListResponse = t.type({
  groupChatSessionInformationList: t.type({ groupChatSessionInformation: t.array(WireGroup) }),
})

/** `POST .../group/<groupId>/participants` body (§2.5). */
export const AddParticipantRequest = /* @__PURE__ */ requestBody(() => t.type({ participantInformation: NewParticipant }))
export type AddParticipantRequest = t.TypeOf<typeof AddParticipantRequest>

/** Its response (required, 201). */
export const AddParticipantResponse = t.type({ participantInformation: WireParticipant })

/** `PUT .../participants/<ownIdentity>/status` body (§2.4). */
export const ParticipantStatusRequest = /* @__PURE__ */ requestBody(() => t.type({ participantSessionStatus: t.type({ status: t.string }) }))
export type ParticipantStatusRequest = t.TypeOf<typeof ParticipantStatusRequest>

const Link = t.type({ rel: t.string, href: t.string })

/** `groupChatSessionInvitationNotification` (`notifications.md` §8.1). */
export const GroupInvitationNotification = t.intersection([
  t.type({ participant: t.array(WireParticipant), link: t.array(Link) }),
  t.partial({ 'x-name': t.string, subject: t.string }),
])

/** `chatParticipantStatusNotification` (§8.2): at least one participant. */
export const ParticipantStatusNotification = t.intersection([
  t.type({ participant: t.refinement(t.array(WireParticipant), (list) => list.length > 0, 'NonEmptyParticipants'), link: t.array(Link) }),
  t.partial({ 'x-name': t.string }),
])

/** `chatEventNotification` (§8.3): `SessionEnded` or `SessionCancelled`. */
export const GroupEventNotification = t.type({ eventType: t.string, link: t.array(Link) })

/** The last path segment of a resource URL: a group id. */
export const groupIdOf = (resourceURL: string): string => resourceURL.split('/').filter((part) => part !== '').pop() ?? ''

/** The group id a group notification is about: the last segment of its `groupChatSessionInformation` link. */
export const notifiedGroupId = (links: readonly { rel: string; href: string }[]): string | undefined => {
  const link = links.find((entry) => entry.rel === 'groupChatSessionInformation')
  return link === undefined ? undefined : groupIdOf(link.href)
}
