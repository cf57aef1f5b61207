// Types of presence.js, for the Angular sample (TypeScript) that shares it.

/** Which colour a presence dot takes. */
export type PresenceKey = 'available' | 'busy' | 'away' | 'offline' | 'unknown'

/** A presence in words. */
export interface PresenceWords {
  readonly key: PresenceKey
  readonly label: string
}

/** `{ key, label }` of a presence `{ status, activity, note }` (the SDK's wire values). */
export function presenceOf(entry: { readonly status?: string | null; readonly activity?: string | null; readonly note?: string | null } | undefined): PresenceWords

/** The activities a person can choose for themselves, with their words. */
export const ownActivities: readonly { readonly activity: string; readonly label: string }[]
