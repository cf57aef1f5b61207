import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { describeDecodeErrors } from '../../streams/connection/decode.js'
import { badInput, BasicError, type ErrorCode } from '../../streams/errors.js'
import { isStrings } from '../../streams/guards.js'

// Codecs of public API arguments, checked at the edge where the reference throws for a wrong type (a TypeError from inside; we throw a BasicError).

/** A call id, track id, user id or destination. */
export const Id = t.string

/** A list of service names, track ids or user ids. */
export const Ids = t.readonlyArray(t.unknown)

/**
 * The argument when it is a string; otherwise a `BasicError` with `code` and `message` is thrown.
 *
 * const groupId = stringArgument(value, errorCodes.general.BAD_INPUT, 'groups.get: the group id must be a string')
 */
export function stringArgument(value: unknown, code: ErrorCode, message: string): string {
  if (typeof value !== 'string') throw new BasicError(code, message)
  return value
}

/**
 * A getter's id: `undefined` gives `undefined` (nothing to look up), as the original SDK answers a lookup of the first track of a call
 * with none; another non-string throws a `BasicError` with `code` and `message`.
 *
 * const callId = lookupId(value, errorCodes.general.BAD_INPUT, 'call.getById: the call id must be a string')
 */
export function lookupId(value: unknown, code: ErrorCode, message: string): string | undefined {
  return value === undefined ? undefined : stringArgument(value, code, message)
}

/**
 * The argument when it is an array of strings (ids); otherwise a `BasicError` `BAD_INPUT` with `message` is thrown.
 *
 * const trackIds = stringsArgument(value, 'media.muteTracks: the track ids must be an array of strings')
 */
export function stringsArgument(value: unknown, message: string): readonly string[] {
  if (!isStrings(value)) throw badInput(message)
  return value
}

/**
 * The argument when it passes its codec; otherwise throws a `BasicError` with `code` saying which argument and what was expected (never the value).
 *
 * const destination = argument(Id, value, errorCodes.call.INVALID_PARAM, 'call.make(destination)')
 */
export function argument<A>(codec: t.Decoder<unknown, A>, value: unknown, code: ErrorCode, what: string): A {
  const decoded = codec.decode(value)
  if (E.isRight(decoded)) return decoded.right
  throw new BasicError(code, `${what}: ${describeDecodeErrors(decoded.left)}`)
}
