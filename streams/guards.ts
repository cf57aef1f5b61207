import * as E from 'fp-ts/Either'
import type { AuthUser, PlatformLink } from './connection/link.js'
import { BasicError, errorCodes, type ErrorCode } from './errors.js'

/** An object that is not an array (its keys can be read). */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** An object literal, or one made with `Object.create(null)` (apps and JSON parsers make both). */
export const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (!isRecord(value)) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** An array of strings (ids, a destination, track ids), as an app in JavaScript may or may not give one. */
export const isStrings = (value: unknown): value is readonly string[] => Array.isArray(value) && value.every((item) => typeof item === 'string')

/** An id an app gave: a non-empty string. */
export const isId = (value: unknown): value is string => typeof value === 'string' && value !== ''

/** Absent: `undefined` or `null` (apps pass both for "not given"). */
export const isAbsent = (value: unknown): value is undefined | null => value === undefined || value === null

/**
 * The signed-in user, or the error a request made without one reports.
 *
 * signedIn(link, 'Add Contact Request') // E.left(BasicError BAD_INPUT 'Add Contact Request failed: no user (set tokens first)')
 */
export const signedIn = (link: Pick<PlatformLink, 'user'>, operation: string, code: ErrorCode = errorCodes.general.BAD_INPUT): E.Either<BasicError, AuthUser> => {
  const user = link.user()
  return user === undefined ? E.left(new BasicError(code, `${operation} failed: no user (set tokens first)`)) : E.right(user)
}
