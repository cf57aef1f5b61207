import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type * as t from 'io-ts'
import type { PlatformReply } from './context.js'
import { badInput, unsupportedMediaType } from './errors.js'

// HTTP on the wire: reading bodies, writing replies, refusing upgrades.

/** Largest JSON (or form) request body, in bytes. */
export const jsonBodyLimit = 1024 * 1024
/** Largest body of a route with `raw: true` (file uploads), in bytes. */
export const rawBodyLimit = 50 * 1024 * 1024
/** Bodies above the limit are read and discarded up to this size (so the client sees the 413); beyond it the connection is cut. */
const drainLimit = 64 * 1024 * 1024

/** Writes a reply: JSON unless the body is a Buffer; errors always carry a JSON body. */
export function writeReply(response: ServerResponse, reply: PlatformReply, extraHeaders: Record<string, string>): void {
  if (response.headersSent) return
  const headers: Record<string, string> = { ...extraHeaders, ...reply.headers }
  let payload: Buffer | undefined
  let body = reply.body
  if (body === undefined && reply.status >= 400) body = internalErrorBody(reply.status)
  if (Buffer.isBuffer(body)) {
    payload = body
    headers['Content-Type'] = reply.contentType ?? 'application/octet-stream'
  } else if (body !== undefined && reply.status !== 204 && reply.status !== 304) {
    payload = Buffer.from(JSON.stringify(body))
    headers['Content-Type'] = reply.contentType ?? 'application/json'
  }
  if (payload !== undefined) headers['Content-Length'] = String(payload.length)
  response.writeHead(reply.status, headers)
  response.end(payload)
}

const internalErrorBody = (status: number): unknown => ({
  requestError: { serviceException: { messageId: 'SVC0001', text: 'A service error occurred. Error code is %1', variables: [String(status)] } },
})

/** Answers a refused upgrade with the JSON error (no CORS: WebSocket handshakes do not use it). */
export function refuseUpgrade(socket: Duplex, reply: PlatformReply): void {
  const payload = JSON.stringify(reply.body ?? internalErrorBody(reply.status))
  const lines = [
    `HTTP/1.1 ${reply.status} ${statusText(reply.status)}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(payload)}`,
    'Connection: close',
  ]
  socket.end(`${lines.join('\r\n')}\r\n\r\n${payload}`)
}

const statusTexts: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' }
const statusText = (status: number): string => statusTexts[status] ?? 'Error'

/** The body bytes, or `tooLarge` once past `limit` (the rest is drained so the client gets the answer), or `aborted` when the client went away mid-body. */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'tooLarge' | 'aborted'> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0)
    if (declared > drainLimit) {
      resolve('tooLarge')
      request.socket.destroySoon?.()
      return
    }
    // Gone already (it waited, held by a delay fault, and its client gave up): no `end` or `close` is left to come.
    if (request.destroyed) return resolve('aborted')
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
      else if (size > drainLimit) request.destroy()
    })
    request.on('end', () => resolve(size > limit ? 'tooLarge' : Buffer.concat(chunks)))
    // A client that hangs up mid-body makes the request emit `error` (ECONNRESET, "aborted"): not a failure of ours.
    request.on('error', (error) => (request.complete ? reject(error) : resolve('aborted')))
    request.on('close', () => {
      if (!request.complete) resolve(size > drainLimit ? 'tooLarge' : 'aborted')
    })
  })
}

type Parsed = { readonly kind: 'ok'; readonly value: unknown } | { readonly kind: 'error'; readonly reply: PlatformReply }

export function parseBody(raw: Buffer, contentType: string | undefined): Parsed {
  if (raw.length === 0) return { kind: 'ok', value: undefined }
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase()
  const text = raw.toString('utf8')
  if (type === 'application/x-www-form-urlencoded') return { kind: 'ok', value: Object.fromEntries(new URLSearchParams(text)) }
  if (type !== 'application/json' && !type.endsWith('+json')) return { kind: 'error', reply: unsupportedMediaType(type) }
  try {
    return { kind: 'ok', value: JSON.parse(text) }
  } catch {
    return { kind: 'error', reply: badInput('body: not valid JSON') }
  }
}

/** The field names of one error's path (`['notificationChannel', 'channelType']`). */
function keysOf(error: t.ValidationError): string[] {
  const keys: string[] = []
  error.context.forEach((entry, index) => {
    if (index === 0) return
    const parentTag = (error.context[index - 1]!.type as { _tag?: string })._tag
    if (parentTag === 'IntersectionType' || parentTag === 'UnionType') return
    keys.push(entry.key)
  })
  return keys
}

/**
 * The dotted path of the first failing field (`notificationChannel.channelType`), `body` for the whole body. Of a body that
 * may take several forms (`chatMessage` or `isComposing`), a field of the form the client sent: one whose top-level key is there.
 */
export function failingField(errors: t.Errors): string {
  const sent = (error: t.ValidationError): boolean => {
    const body = error.context[0]?.actual
    const top = keysOf(error)[0]
    return typeof body === 'object' && body !== null && top !== undefined && Object.hasOwn(body, top)
  }
  const first = errors.find(sent) ?? errors[0]
  if (first === undefined) return 'body'
  const keys = keysOf(first)
  return keys.length > 0 ? keys.join('.') : 'body'
}

/** Answers a CORS preflight. */
export function preflight(response: ServerResponse, cors: Record<string, string>): void {
  response.writeHead(204, {
    ...cors,
    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept',
    'Access-Control-Max-Age': '600',
  })
  response.end()
}

/**
 * `<scheme>://<Host>` of a request: the address its client reached the platform by (a LAN address when the platform listens on
 * 0.0.0.0), `base` (the platform's own URL) without a Host. The core checks the Host is one of the platform's own names first.
 */
export function originOf(request: IncomingMessage, base: string): string {
  const host = request.headers.host
  return host === undefined ? base : `${base.slice(0, base.indexOf('://'))}://${host}`
}
