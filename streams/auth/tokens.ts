import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { AuthUser } from '../connection/link.js'
import { describeDecodeErrors } from '../connection/decode.js'
import { BasicError, badInput, errorCodes } from '../errors.js'
import { isId, isRecord } from '../guards.js'
import { IdTokenClaims } from './codecs.js'

/** What `setTokens` takes. */
export interface Tokens {
  readonly accessToken: string
  readonly idToken: string
}

const badTokens = (message: string): BasicError => badInput(`setTokens: ${message}`)
const badToken = (message: string): BasicError => new BasicError(errorCodes.authentication.INVALID_CREDENTIALS, `setTokens: ${message}`)

/** The bytes of a base64url string (padding tolerated), or undefined when it is not one. */
const base64urlBytes = (text: string): Uint8Array | undefined => {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(text)) return undefined
  const base64 = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/')
  try {
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4))
    return Uint8Array.from(binary, (char) => char.charCodeAt(0))
  } catch {
    return undefined
  }
}

/** The JSON payload of a JWT (no signature check: the platform checks its own tokens). */
function jwtPayload(token: string): E.Either<BasicError, unknown> {
  const parts = token.split('.')
  if (parts.length !== 3) return E.left(badToken('the idToken is not a JWT (expected three dot-separated parts)'))
  const bytes = base64urlBytes(parts[1] ?? '')
  if (bytes === undefined) return E.left(badToken('the idToken payload is not base64url'))
  return E.tryCatch(
    () => JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown,
    () => badToken('the idToken payload is not UTF-8 JSON'),
  )
}

/** The text after the last `@`, if any. */
const domainOf = (address: string | undefined): string | undefined => {
  const at = address?.lastIndexOf('@') ?? -1
  return address !== undefined && at > 0 && at < address.length - 1 ? address.slice(at + 1) : undefined
}

/**
 * The user of a pair of tokens: the id token's `preferred_username` and `services-identity`, the domain after the identity's `@` (else the username's).
 * Anything else (not an object, an empty token, an id token not a JWT or without the claims) is a BasicError saying what is wrong.
 *
 * userFromTokens({ accessToken, idToken }) // E.right({ username: 'alice@example.com', identity: 'alice@example.com', domain: 'example.com', ... })
 */
export function userFromTokens(params: unknown): E.Either<BasicError, AuthUser> {
  if (!isRecord(params)) return E.left(badTokens('expected an object { accessToken, idToken }'))
  const { accessToken, idToken } = params
  if (!isId(accessToken)) return E.left(badTokens('accessToken must be a non-empty string'))
  if (!isId(idToken)) return E.left(badTokens('idToken must be a non-empty string'))
  return pipe(
    jwtPayload(idToken),
    E.chain((payload) =>
      pipe(IdTokenClaims.decode(payload), E.mapLeft((errors) => badToken(`the idToken lacks the claims the SDK needs (${describeDecodeErrors(errors)})`))),
    ),
    E.map(({ preferred_username: username, 'services-identity': identity }) => ({ username, identity, domain: domainOf(identity) ?? domainOf(username), accessToken, idToken })),
  )
}
