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

/** A value as given by an application (documented or legacy), in its wire form; undefined when invalid. */
const toWire =
  <W extends string>(wire: readonly W[], legacy: Readonly<Record<string, W>>) =>
  (value: unknown): W | undefined => {
    if (typeof value !== 'string') return undefined
    const converted = Object.hasOwn(legacy, value) ? legacy[value]! : value
    return (wire as readonly string[]).includes(converted) ? (converted as W) : undefined
  }

/** A status as given by an application (documented or legacy value), in its wire form; undefined when invalid. */
export const toWireStatus = toWire(wireStatuses, legacyStatuses)

/** An activity as given by an application (documented or legacy value), in its wire form; undefined when invalid. */
export const toWireActivity = toWire(wireActivities, legacyActivities)
