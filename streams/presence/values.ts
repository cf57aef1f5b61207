import { wireActivities, wireStatuses, type WireActivity, type WireStatus } from './codecs.js'

/** `presence.statuses`: the documented status values, equal to their wire form (§1.1). */
export const statuses = { OPEN: 'Open', CLOSED: 'Closed' } as const satisfies Record<string, WireStatus>

/** `presence.activities`: the documented activity values, equal to their wire form (§1.1). */
export const activities = {
  AVAILABLE: 'Available',
  BUSY: 'Busy',
  LUNCH: 'Lunch',
  VACATION: 'Vacation',
  ON_THE_PHONE: 'OnThePhone',
  ACTIVITIES_UNKNOWN: 'ActivitiesUnknown',
  ACTIVITIES_OTHER: 'ActivitiesOther',
} as const satisfies Record<string, WireActivity>

const legacyStatuses: Readonly<Record<string, WireStatus>> = { open: 'Open', closed: 'Closed' }

const legacyActivities: Readonly<Record<string, WireActivity>> = {
  active: 'Available',
  idle: 'Busy',
  away: 'Busy',
  busy: 'Busy',
  lunch: 'Lunch',
  vacation: 'Vacation',
  'on-the-phone': 'OnThePhone',
  other: 'ActivitiesOther',
  unknown: 'ActivitiesUnknown',
}

/** A status as given by an application (documented or legacy value), in its wire form; undefined when invalid. */
export const toWireStatus = (status: unknown): WireStatus | undefined => {
  if (typeof status !== 'string') return undefined
  const converted = Object.hasOwn(legacyStatuses, status) ? legacyStatuses[status]! : status
  return (wireStatuses as readonly string[]).includes(converted) ? (converted as WireStatus) : undefined
}

/** An activity as given by an application (documented or legacy value), in its wire form; undefined when invalid. */
export const toWireActivity = (activity: unknown): WireActivity | undefined => {
  if (typeof activity !== 'string') return undefined
  const converted = Object.hasOwn(legacyActivities, activity) ? legacyActivities[activity]! : activity
  return (wireActivities as readonly string[]).includes(converted) ? (converted as WireActivity) : undefined
}
