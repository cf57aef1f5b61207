// The platform's perimeter: which Host names it answers to (DNS rebinding) and who may use the
// admin API (a secret, JSON only, no CORS). Applied centrally by the core to every request and
// WebSocket upgrade, so routes added by any feature module get the same rules.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { hostname, networkInterfaces } from 'node:os'
import type { PlatformReply } from './context.js'
import { adminUnauthorized, hostRefused, preflightRefused, unsupportedMediaType } from './errors.js'

/** A fresh admin secret: 32 random bytes, base64url (43 characters). */
export const newAdminSecret = (): string => randomBytes(32).toString('base64url')

/** True for every path of the admin API (`/_admin` and below). */
export const isAdminPath = (path: string): boolean => path === '/_admin' || path.startsWith('/_admin/')

const wildcards = new Set(['0.0.0.0', '::', '[::]'])

/** Host names as they appear in a `Host` header (`[::1]` for IPv6), lower case. */
const hostForm = (name: string): string => {
  const lower = name.toLowerCase()
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower
}

/**
 * The names the platform answers to: the bound host, `localhost`, `127.0.0.1` and `[::1]`, and,
 * when bound to every interface, the machine's addresses and host name.
 */
export function ownHostNames(boundHost: string): Set<string> {
  const names = new Set([boundHost, 'localhost', '127.0.0.1', '::1'].map(hostForm))
  if (wildcards.has(boundHost)) {
    for (const addresses of Object.values(networkInterfaces())) for (const address of addresses ?? []) names.add(hostForm(address.address))
    names.add(hostForm(hostname()))
  }
  return names
}

/**
 * True when a `Host` header names this platform: one of `names` with the listening `port`, or
 * without a port when `port` is the scheme's default. Anything else (a rebinding domain, no Host) is refused.
 */
export function hostAllowed(header: string | undefined, names: ReadonlySet<string>, port: number, defaultPort: number): boolean {
  if (header === undefined) return false
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(header.trim())
  if (match === null || !names.has(match[1]!.toLowerCase())) return false
  const given = match[2] === undefined ? defaultPort : Number(match[2])
  return given === port
}

/** The reply refusing a request whose `Host` is not the platform's own, or undefined when it is. */
export function hostRefusal(request: IncomingMessage, names: ReadonlySet<string>, port: number, defaultPort: number): PlatformReply | undefined {
  return hostAllowed(request.headers.host, names, port, defaultPort) ? undefined : hostRefused(request.headers.host ?? '')
}

/** Compares in constant time (over digests, so the length leaks nothing either). */
export function sameSecret(given: string, secret: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest()
  return timingSafeEqual(digest(given), digest(secret))
}

/** The secret an admin request carries: `Authorization: Bearer <secret>` or `X-Admin-Secret: <secret>`. */
export function adminSecretOf(request: IncomingMessage): string | undefined {
  const header = request.headers['x-admin-secret']
  if (typeof header === 'string' && header !== '') return header
  return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1]
}

const hasBody = (request: IncomingMessage): boolean =>
  request.headers['transfer-encoding'] !== undefined || (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0')

/**
 * Why an admin request is refused, or undefined when it may proceed: preflights are refused (no
 * page on another origin may call it), the secret must match, and a body must be `application/json`
 * (a form, which a browser posts cross-site without a preflight, never works).
 */
export function adminRefusal(request: IncomingMessage, secret: string): PlatformReply | undefined {
  if (request.method === 'OPTIONS') return preflightRefused()
  const given = adminSecretOf(request)
  if (given === undefined || !sameSecret(given, secret)) return adminUnauthorized()
  const type = request.headers['content-type']
  const json = type !== undefined && type.split(';')[0]!.trim().toLowerCase() === 'application/json'
  if ((type !== undefined || hasBody(request)) && !json) return unsupportedMediaType(type ?? '(none)')
  return undefined
}
