/**
 * The entry of a record under a key an app or the wire chose: own properties only, so that
 * `'__proto__'`, `'toString'` or `'constructor'` find nothing instead of `Object.prototype`'s members.
 *
 * entryOf(state.calls, callId) // CallRecord | undefined
 */
export const entryOf = <V>(record: Readonly<Record<string, V>>, key: string): V | undefined => (Object.hasOwn(record, key) ? record[key] : undefined)

/**
 * The fields of a record whose value is defined: optional fields stay absent instead of `undefined`.
 *
 * definedFields({ id: session.sessionId, address: undefined }) // { id } or {}
 */
export const definedFields = <T extends object>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> }
