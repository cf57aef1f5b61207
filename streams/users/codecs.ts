import * as t from 'io-ts'

// Wire payloads of the directory (`protocol/presence-groups-users.md` §4), shared by the SDK and the local platform.

const DirectoryAttribute = t.type({ name: t.string, value: t.union([t.string, t.number, t.boolean]) })

/** One result: its attributes directly under the item, or (⚠ ambiguity of §4.2) under `attributeList`. */
export const DirectoryItem = t.union([
  t.type({ attribute: t.array(DirectoryAttribute) }),
  t.type({ attributeList: t.type({ attribute: t.array(DirectoryAttribute) }) }),
])
export type DirectoryItem = t.TypeOf<typeof DirectoryItem>

/** `GET /cpaas/directory/v1/<userId>/<directoryId>/search` response (required). */
export const DirectoryResponse = t.type({
  directoryItemList: t.intersection([t.type({ directoryItem: t.array(DirectoryItem) }), t.partial({ next: t.string })]),
})
/** The items of a directory search and the paging token for the next chunk, if any. */
export type DirectoryPage = t.TypeOf<typeof DirectoryResponse>['directoryItemList']

/** The search filters (§4.1), in the order the documentation lists them. */
export const searchFilters = ['userId', 'name', 'firstName', 'lastName', 'userName', 'phoneNumber'] as const

/** The query keys the SDK sends (others are dropped); `userId` is sent as `userName`. */
export const queryKeys = ['name', 'firstName', 'lastName', 'userName', 'phoneNumber', 'sortBy', 'order', 'max', 'next'] as const
export type QueryKey = (typeof queryKeys)[number]
