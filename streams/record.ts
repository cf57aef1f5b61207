/**
 * The entry of a record under a key an app or the wire chose: own properties only, so that
 * `'__proto__'`, `'toString'` or `'constructor'` find nothing instead of `Object.prototype`'s members.
 *
 * entryOf(state.calls, callId) // CallRecord | undefined
 */
export const entryOf = <V>(record: Readonly<Record<string, V>>, key: string): V | undefined => (Object.hasOwn(record, key) ? record[key] : undefined)
