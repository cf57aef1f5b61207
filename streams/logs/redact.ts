import { isPlainObject } from '../guards.js'
import { errorFields } from './flatten.js'

/** What replaces a secret in a log line. */
export const REDACTED = '[REDACTED]'

/** Field names whose string values are secrets (access/id/refresh tokens, passwords, credentials). */
const secretKey = /^(access_?token|id_?token|refresh_?token|token|password|passwd|authorization|credential|secret)$/i

/** True for a field name whose string values are secrets (`accessToken`, `password`, `credential`, …). */
export const isSecretKey = (key: string): boolean => secretKey.test(key)

/** A JWT (`eyJ…` header, then dot-separated base64url parts) anywhere in a string. */
const jwt = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)?/g

/** A token carried in a query string or an Authorization header value. */
const inlineToken = /((?:access_token|id_token|token)=)[^&\s"']+|(Bearer\s+)[A-Za-z0-9._~+/-]+=*/gi

/**
 * A string with every JWT and inline token (`access_token=…`, `Bearer …`) replaced by `[REDACTED]`.
 *
 * redactText('wss://host/?access_token=abc') // 'wss://host/?access_token=[REDACTED]'
 */
export function redactText(text: string): string {
  return text
    .replace(jwt, REDACTED)
    .replace(inlineToken, (_match, query: string | undefined, bearer: string | undefined) => `${query ?? bearer ?? ''}${REDACTED}`)
}

const redactError = (error: Error): unknown => {
  const message = redactText(error.message)
  if (message === error.message && (error.stack === undefined || redactText(error.stack) === error.stack)) return error
  return { ...errorFields(error), message }
}

/**
 * A copy of `value` safe to log: string fields named like a secret and JWT-looking strings anywhere become `[REDACTED]`. Plain objects and arrays
 * are copied (cycles cut), errors rewritten only when their text holds a token, other objects (streams, peer connections, dates) passed as they are.
 *
 * redact({ user: 'bob', accessToken: 'eyJ…' }) // { user: 'bob', accessToken: '[REDACTED]' }
 */
export function redact(value: unknown): unknown {
  const seen = new WeakSet<object>()
  const walk = (current: unknown, key: string | undefined): unknown => {
    if (typeof current === 'string') return key !== undefined && secretKey.test(key) ? REDACTED : redactText(current)
    if (typeof current !== 'object' || current === null) return current
    if (current instanceof Error) return redactError(current)
    if (!Array.isArray(current) && !isPlainObject(current)) return current
    if (seen.has(current)) return '[Circular]'
    seen.add(current)
    const copy = Array.isArray(current)
      ? current.map((item) => walk(item, undefined))
      : Object.fromEntries(Object.entries(current).map(([k, v]) => [k, walk(v, k)]))
    seen.delete(current)
    return copy
  }
  return walk(value, undefined)
}
