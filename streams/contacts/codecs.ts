import * as t from 'io-ts'
import { requestBody } from '../connection/codecs.js'

// Wire payloads of the personal address book (`protocol/presence-groups-users.md` §3), shared by the SDK and the local platform.

/** One contact property on the wire; the value is always a string. */
export const Attribute = t.type({ name: t.string, value: t.string })
export type Attribute = t.TypeOf<typeof Attribute>

const AttributeList = t.type({ attribute: t.array(Attribute) })

/** A contact as the platform returns it. */
export const WireContact = t.type({ contactId: t.string, attributeList: AttributeList })
export type WireContact = t.TypeOf<typeof WireContact>

/** `POST .../contacts` and `PUT .../contacts/<contactId>` body. */
export const ContactRequest = /* @__PURE__ */ requestBody(() =>
  t.type({ contact: t.intersection([t.type({ attributeList: AttributeList }), t.partial({ contactId: t.string })]) }),
)
export type ContactRequest = t.TypeOf<typeof ContactRequest>

/** `GET .../contacts/<contactId>` response (required); also what add and update answer. */
export const ContactResponse = t.type({ contact: WireContact })

/** `GET .../contacts` response (required): `contactCollection.contact` is an array. */
export const ContactCollection = t.type({ contactCollection: t.type({ contact: t.array(WireContact) }) })

/** The contact list a contact goes to when none is named. */
export const defaultContactList = 'friends'
