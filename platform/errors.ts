import { policyError, serviceError, type PlatformReply } from './context.js'

// The platform's error replies, all with a `requestError` body (`protocol/README.md`, Error bodies).

/** 401: missing, malformed, forged or expired bearer token. */
export const unauthorized = (reason: string): PlatformReply => ({
  ...policyError(401, 'POL0401', 'Authentication failed: %1', [reason]),
  headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
})

/** 403: the token's user is not the user of the path. */
export const forbidden = (detail: string): PlatformReply => policyError(403, 'POL0001', 'A policy error occurred. Error code is %1', [detail])

/** 400: a body, field or parameter is invalid; `part` names it. */
export const badInput = (part: string): PlatformReply => serviceError(400, 'SVC0002', 'Invalid input value for message part %1', [part])

export const methodNotAllowed = (method: string, allowed: readonly string[]): PlatformReply => ({
  ...serviceError(405, 'SVC0005', 'Method %1 not allowed on this resource; allowed: %2', [method, allowed.join(', ')]),
  headers: { Allow: [...allowed, 'OPTIONS'].join(', ') },
})

export const unknownPath = (path: string): PlatformReply => serviceError(404, 'SVC0004', 'No valid addresses provided in message part %1', [path])

export const tooLarge = (limit: number): PlatformReply => serviceError(413, 'SVC0002', 'Invalid input value for message part %1', [`body larger than ${limit} bytes`])

export const unsupportedMediaType = (type: string): PlatformReply =>
  serviceError(415, 'SVC0002', 'Invalid input value for message part %1', [`Content-Type ${type} (expected application/json)`])

export const internalError = (reference: string): PlatformReply => serviceError(500, 'SVC1000', 'Internal server error (reference %1)', [reference])

/** The default body of a failure injected through the admin API. */
export const injectedFault = (status: number): PlatformReply => serviceError(status, 'SVC0001', 'A service error occurred. Error code is %1', [`injected fault ${status}`])

/** 403: the `Host` header is not one of the platform's own names (a DNS-rebinding page, a misdirected request). */
export const hostRefused = (host: string): PlatformReply =>
  policyError(403, 'POL0001', 'A policy error occurred. Error code is %1', [`Host ${JSON.stringify(host.slice(0, 100))} is not this platform's own name`])

/** 401: an admin request without the admin secret. */
export const adminUnauthorized = (): PlatformReply => ({
  ...policyError(401, 'POL0401', 'Authentication failed: %1', ['the admin API needs the admin secret (Authorization: Bearer <secret> or X-Admin-Secret)']),
  headers: { 'WWW-Authenticate': 'Bearer realm="kandy-rx admin"' },
})

/** 403: a CORS preflight to the admin API (no page on another origin may call it). */
export const preflightRefused = (): PlatformReply => policyError(403, 'POL0001', 'A policy error occurred. Error code is %1', ['the admin API answers no cross-origin requests'])
