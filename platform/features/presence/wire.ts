import type { Account, PlatformReply } from '../../context.js'
import { badInput } from '../../errors.js'
import type { Person } from '../../../streams/presence/codecs.js'
import type { StoredPresence } from './book.js'

// Presence on the wire: paths, entries as clients write them, the unknown presence.

export const presenceRoot = (user: Account): string => `/cpaas/presence/v1/${user.userId}`

/** The entries of a presence-contact path segment or body: one id, an array, or ids joined by commas (§1.5). */
export const entries = (value: string | readonly string[]): string[] =>
  [...new Set((typeof value === 'string' ? value.split(',') : value).map((entry) => entry.trim()).filter((entry) => entry !== ''))]

export const badValue = (part: string, value: string): PlatformReply => badInput(`${part}: ${value}`)

const unknownPresence: Person = {
  'overriding-willingness': { overridingWillingnessValue: 'Closed' },
  activities: { activityValue: 'ActivitiesUnknown' },
}

/** The presence a user is shown as: stored, or unknown (`Closed`, `ActivitiesUnknown`). */
export const shownPerson = (stored: StoredPresence | undefined): Person => stored?.person ?? unknownPresence

