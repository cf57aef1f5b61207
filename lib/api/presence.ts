import { each } from '../../streams/each.js'
import type { PresenceFeature } from '../../streams/presence/feature.js'
import type { PresenceEvent, PresenceValue, SelfPresence, UserPresence } from '../../streams/presence/state.js'
import { activities, statuses } from '../../streams/presence/values.js'
import type { PublicEvent } from '../events.js'
import type { Namespace } from '../namespace.js'
import { stringsArgument } from './arguments.js'

/** The presence of a user, as `presence.get` and `presence.getAll` return it. */
export type PresenceInfo = UserPresence

/**
 * The current user's own presence, as `presence.getSelf` returns it: `{}` (no key at all) until the first `presence.update` is made, then
 * `loading: true` while an update is under way, as in the original SDK.
 */
export type SelfPresenceInfo = SelfPresence | NoSelfPresence

/** `presence.getSelf()` before any update: an empty object. */
export type NoSelfPresence = Readonly<Record<string, never>>

const noSelfPresence: NoSelfPresence = Object.freeze({})

/** True while no update of the own presence was made: none under way, none finished (successfully or not). */
const untouched = (self: SelfPresence): boolean => self.status === undefined && self.error === false && !self.loading

/** The documented `presence` namespace. */
export interface PresenceApi {
  /**
   * Possible presence status values: `OPEN`, `CLOSED`.
   *
   * client.presence.update(client.presence.statuses.OPEN, client.presence.activities.AVAILABLE)
   */
  readonly statuses: typeof statuses
  /** Possible presence activity values: `AVAILABLE`, `BUSY`, `LUNCH`, `VACATION`, `ON_THE_PHONE`, `ACTIVITIES_UNKNOWN`, `ACTIVITIES_OTHER`. */
  readonly activities: typeof activities
  /**
   * Updates the current user's presence (`status` one of `presence.statuses`, `activity` one of `presence.activities`, `note` only with
   * `ACTIVITIES_OTHER`: with another activity, or empty, it is left out, as the original SDK does). `getSelf()` has `loading: true` until
   * it is done; then `presence:selfChange`, and watchers receive `presence:change`. An invalid status gives `presence:error` with code
   * `presence:1`, an invalid activity `presence:2`, a note that is not a string `BAD_INPUT`; nothing is sent then.
   *
   * client.presence.update(statuses.OPEN, activities.ACTIVITIES_OTHER, 'Out for coffee')
   */
  update(status: string, activity: string, note?: string): void
  /**
   * Retrieves the presence information of the given users from local state; users it does not know are left out. Each entry is
   * the app's own copy: the same object until the user's presence changes (as in the original SDK); what the app writes to it stays out
   * of the SDK's state.
   *
   * const [alice] = client.presence.get('alice@example.com')
   * @throws BasicError `BAD_INPUT` when `user` is not a user id or an array of them (undefined gives `[]`, as in the original SDK).
   */
  get(user: string | readonly string[]): PresenceInfo[]
  /** Retrieves the presence information for all available users: a new array of the entries `get` gives. */
  getAll(): PresenceInfo[]
  /** Retrieves the presence information for the current user (set with `presence.update`; `{}` before the first): the app's own copy, as `get` gives. */
  getSelf(): SelfPresenceInfo
  /** Fetches the presence of the given users once; afterwards `presence.get` has it and one `presence:change` is emitted per user. Errors: `presence:error`. */
  fetch(user: string | readonly string[]): void
  /**
   * Subscribes to other users' presence updates: `presence:change` at once with their current presence and whenever it changes.
   * Needs the `presence` service (`services.subscribe`); without it, `presence:error` with code `subscription:5`.
   */
  subscribe(users: string | readonly string[]): void
  /** Unsubscribes from other users' presence updates; they leave `presence.getAll()`. */
  unsubscribe(users: string | readonly string[]): void
}

const change = ({ userId, status, activity, note }: PresenceValue): PublicEvent => ({ type: 'presence:change', payload: { userId, status, activity, note } })

const toPublic = (event: PresenceEvent): PublicEvent[] => {
  switch (event.type) {
    case 'selfPresenceUpdated':
      return [{ type: 'presence:selfChange', payload: {} }]
    case 'presenceReceived':
      return [change(event.presence)]
    case 'presenceFetched':
      return event.presences.map(change)
    case 'presenceFailed':
      return [{ type: 'presence:error', payload: { error: event.error } }]
    default:
      return []
  }
}

/**
 * The app's copy of a state entry: made at its first read, then the same object at every read until the entry changes (the original SDK
 * hands out the same object too). What the app writes to it stays in it: the state, its events and its streams never see it.
 */
function appCopies<Entry extends object>(): (entry: Entry) => Entry {
  const copies = new WeakMap<Entry, Entry>()
  return (entry) => {
    const copy = copies.get(entry) ?? { ...entry }
    copies.set(entry, copy)
    return copy
  }
}

/** The documented `presence` namespace over the presence feature. */
export function presenceApi({ presence }: { readonly presence: PresenceFeature }): Namespace<PresenceApi> {
  const userCopy = appCopies<UserPresence>()
  const selfCopy = appCopies<SelfPresence>()
  const api: PresenceApi = {
    statuses,
    activities,
    update: (status, activity, note) => presence.commands.update(status, activity, note),
    get: (user) =>
      user === undefined ? [] : presence.current().users.pick(stringsArgument(typeof user === 'string' ? [user] : user, 'presence.get: expected a user id or an array of user ids')).map(userCopy),
    getAll: () => presence.current().users.values().map(userCopy),
    getSelf: () => {
      const { self } = presence.current()
      return untouched(self) ? noSelfPresence : selfCopy(self)
    },
    fetch: (user) => presence.commands.fetch(user),
    subscribe: (users) => presence.commands.subscribe(users),
    unsubscribe: (users) => presence.commands.unsubscribe(users),
  }
  return { api, events$: presence.events$.pipe(each(toPublic)) }
}
