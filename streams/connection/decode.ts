import * as E from 'fp-ts/Either'
import type * as t from 'io-ts'

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value)

/** Combinators whose context entries name a member codec, not a property. */
const transparent = new Set(['IntersectionType', 'UnionType'])

const pathOf = (context: t.Context): string =>
  context
    .filter((entry, index) => entry.key !== '' && !transparent.has(String((context[index - 1]?.type as { _tag?: unknown } | undefined)?._tag)))
    .map((entry) => entry.key)
    .join('.')

/**
 * Why a value failed its codec: path and expected type of the first few failures (values are never quoted: they may hold tokens or messages).
 *
 * describeDecodeErrors(errors) // 'notificationChannel.resourceURL: expected string, got undefined'
 */
export function describeDecodeErrors(errors: t.Errors, max = 3): string {
  const lines = errors.slice(0, max).map((error) => {
    const path = pathOf(error.context)
    const expected = error.context[error.context.length - 1]?.type.name ?? 'unknown'
    return `${path === '' ? '(root)' : path}: expected ${expected}, got ${kindOf(error.value)}`
  })
  return lines.join('; ') + (errors.length > max ? ` (and ${errors.length - max} more)` : '')
}

/**
 * The value as a codec that does not transform (no `new t.Type` with its own decode) reads it: the value itself when the codec's guard
 * takes it, which builds no context per field, else the codec's decode, for its errors.
 *
 * checked(ChatMessageNotification, body) // E.right(body) for a well-formed body
 */
export const checked = <A>(codec: t.Type<A, unknown, unknown>, value: unknown): t.Validation<A> => (codec.is(value) ? E.right(value) : codec.decode(value))
