import { isPlainObject } from '../guards.js'

/** One change between two states: a path (`calls.c1.state`) with its values before and after. */
export interface StateChange {
  readonly kind: 'added' | 'removed' | 'changed'
  readonly path: string
  readonly before?: unknown
  readonly after?: unknown
}

/** A plain object or an array: what the diff walks into. */
const isRecord = (value: unknown): value is Record<string, unknown> => Array.isArray(value) || isPlainObject(value)

/**
 * The changes from `previous` to `next`, leaf by leaf through plain objects and arrays (other values compared by identity).
 *
 * diffStates({ a: 1, b: { c: 2 } }, { a: 1, b: { c: 3 } })
 * // [{ kind: 'changed', path: 'b.c', before: 2, after: 3 }]
 */
export function diffStates(previous: unknown, next: unknown, path = ''): StateChange[] {
  if (Object.is(previous, next)) return []
  if (!isRecord(previous) || !isRecord(next) || Array.isArray(previous) !== Array.isArray(next)) {
    return [{ kind: 'changed', path, before: previous, after: next }]
  }
  const at = (key: string): string => (path === '' ? key : `${path}.${key}`)
  const changes: StateChange[] = []
  for (const key of Object.keys(previous)) {
    if (!(key in next)) changes.push({ kind: 'removed', path: at(key), before: previous[key] })
    else changes.push(...diffStates(previous[key], next[key], at(key)))
  }
  for (const key of Object.keys(next)) {
    if (!(key in previous)) changes.push({ kind: 'added', path: at(key), after: next[key] })
  }
  return changes
}
