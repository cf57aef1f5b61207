/**
 * One log detail as a string, for `logs.flatten`: strings as they are, the rest as JSON
 * (errors as `{ name, code, message }`, cycles as `[Circular]`, functions by name).
 *
 * flattenDetail({ a: 1 }) // '{"a":1}'
 */
export function flattenDetail(value: unknown): string {
  if (typeof value === 'string') return value
  if (value instanceof Error) return flattenDetail(errorFields(value))
  const seen = new WeakSet<object>()
  try {
    return (
      JSON.stringify(value, (_key, current: unknown) => {
        if (typeof current === 'bigint') return current.toString()
        if (typeof current === 'function') return `[Function ${current.name || 'anonymous'}]`
        if (current instanceof Error) return errorFields(current)
        if (typeof current === 'object' && current !== null) {
          if (seen.has(current)) return '[Circular]'
          seen.add(current)
        }
        return current
      }) ?? String(value)
    )
  } catch {
    return String(value)
  }
}

/** An error as plain fields: `{ name, code?, message }` (`code` only when it has one). */
export const errorFields = (error: Error): { name: string; code?: unknown; message: string } => {
  const code = (error as { code?: unknown }).code
  return code === undefined ? { name: error.name, message: error.message } : { name: error.name, code, message: error.message }
}
