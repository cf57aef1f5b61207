/**
 * The entry of a record under a key an app or the wire chose: own properties only, so `'__proto__'` or `'toString'` find nothing, not `Object.prototype`'s.
 *
 * entryOf(state.calls, callId) // CallRecord | undefined
 */
export const entryOf = <V>(record: Readonly<Record<string, V>>, key: string): V | undefined => (Object.hasOwn(record, key) ? record[key] : undefined)

/**
 * The list with `item` in place of the one with the same key, or appended when there is none.
 *
 * upsertBy(state.groups, group, (known) => known.id)
 */
export const upsertBy = <T>(items: readonly T[], item: T, key: (item: T) => string): readonly T[] =>
  items.some((known) => key(known) === key(item)) ? items.map((known) => (key(known) === key(item) ? item : known)) : [...items, item]

/**
 * The fields of a record whose value is defined: optional fields stay absent instead of `undefined`.
 *
 * definedFields({ id: session.sessionId, address: undefined }) // { id } or {}
 */
export function definedFields<T extends object>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  // A loop, not entries → filter → fromEntries: it runs per received message. The keys are the caller's literal ones.
  const defined: Partial<T> = {}
  for (const key of Object.keys(record) as (keyof T)[]) if (record[key] !== undefined) defined[key] = record[key]
  return defined as { [K in keyof T]?: Exclude<T[K], undefined> }
}
