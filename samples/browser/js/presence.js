// A presence in words. Shared by both samples (the Angular one imports it with the types of
// presence.d.ts): the SDK's wire values (`presence.statuses` × `presence.activities`) are names
// for programs ("OnThePhone", "ActivitiesOther"), not for people.

const activityWords = {
  Available: { key: 'available', label: 'Available' },
  Busy: { key: 'busy', label: 'Busy' },
  OnThePhone: { key: 'busy', label: 'On the phone' },
  Lunch: { key: 'away', label: 'At lunch' },
  Vacation: { key: 'away', label: 'On vacation' },
  ActivitiesOther: { key: 'away', label: 'Other activity' },
  ActivitiesUnknown: { key: 'available', label: 'Online' },
}

/**
 * `{ key, label }` of a presence `{ status, activity, note }`: `key` for the colour of a dot
 * (`available`, `busy`, `away`, `offline`, `unknown`), `label` to read ("On the phone"; the
 * note of an "other" activity when it has one).
 *
 * presenceOf({ status: 'Open', activity: 'OnThePhone' }) → { key: 'busy', label: 'On the phone' }
 */
export function presenceOf(entry) {
  if (entry === undefined || entry === null || entry.status === undefined || entry.status === null) return { key: 'unknown', label: 'Unknown' }
  if (entry.status === 'Closed') return { key: 'offline', label: 'Offline' }
  const words = activityWords[entry.activity] ?? activityWords.ActivitiesUnknown
  const note = typeof entry.note === 'string' && entry.note.trim() !== '' ? entry.note : undefined
  return entry.activity === 'ActivitiesOther' && note !== undefined ? { key: words.key, label: note } : words
}

/** The activities a person can choose for themselves, with their words (value = the wire activity). */
export const ownActivities = ['Available', 'Busy', 'OnThePhone', 'Lunch', 'Vacation'].map((activity) => ({ activity, label: activityWords[activity].label }))
