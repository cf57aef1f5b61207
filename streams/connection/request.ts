import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { Observable, throwError, timeout } from 'rxjs'
import type { ConfigFeature } from '../config/feature.js'
import type { Config } from '../config/state.js'
import type { Environment } from '../environment.js'
import { BasicError, errorCodes, type ErrorCode } from '../errors.js'
import { RequestErrorBody, type RequestException } from './codecs.js'
import { describeDecodeErrors } from './decode.js'
import type { AuthUser, RequestSpec } from './link.js'

/** How long a REST call may take before it fails with `TimeoutError` (ms). */
const requestTimeout = 30000

/** Code of a 2xx response whose body does not match the operation's codec (an SDK string, `protocol/events.md` §12.2). */
export const invalidResponseCode = 'INVALID_RESPONSE'

/** `<protocol>://<base>:<port>`, the port always written (`protocol/README.md`); undefined while `base` is not configured. */
export const baseUrl = (server: Config['authentication']['server']): string | undefined =>
  server.base === undefined || server.base === '' ? undefined : `${server.protocol}://${server.base}:${server.port}`

/** Why a request or the socket cannot start while `authentication.server.base` is not configured. */
export const noBase = 'authentication.server.base is not configured'

/** RFC 3986 strict: `encodeURIComponent` plus `!'()*`. */
const encodeStrict = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)

/**
 * A value (an id, an address) as one path segment: `@`, `+` and `:` stay raw, as the reference sends them; the rest is escaped, so that `?`, `#`, `%` or `/` in an id cannot end the path.
 *
 * pathSegment('bob@example.com') // 'bob@example.com'; pathSegment('a?b') // 'a%3Fb'
 */
export const pathSegment = (value: string): string => encodeURIComponent(value).replace(/%40/g, '@').replace(/%2B/g, '+').replace(/%3A/g, ':')

/**
 * A query string as the reference builds it: keys sorted, values percent-encoded (RFC 3986 strict), `undefined` skipped; `''` when nothing remains.
 *
 * queryString({ userName: 'bob', max: 10, order: 'asc' }) // '?max=10&order=asc&userName=bob'
 */
export function queryString(query: RequestSpec<unknown>['query']): string {
  if (query === undefined) return ''
  const pairs = Object.keys(query)
    .sort()
    .flatMap((key) => {
      const value = query[key]
      return value === undefined ? [] : [`${encodeStrict(key)}=${encodeStrict(String(value))}`]
    })
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`
}

/** `text` with `%1`, `%2`, … replaced by `variables[n-1]` (placeholders without a variable stay). */
const fillPlaceholders = ({ text, variables = [] }: RequestException): string =>
  text.replace(/%(\d+)/g, (placeholder, index: string) => {
    const value = variables[Number(index) - 1]
    return value === undefined ? placeholder : String(value)
  })

const statuses = new WeakMap<BasicError, number>()

/** The HTTP status of a request's failure, when the platform answered (e.g. 404: the resource is gone). */
export const httpStatusOf = (error: unknown): number | undefined => (error instanceof BasicError ? statuses.get(error) : undefined)

/** Marks `error` as caused by a response with this HTTP status (read back with `httpStatusOf`). */
export const withHttpStatus = (error: BasicError, status: number): BasicError => {
  statuses.set(error, status)
  return error
}

/**
 * The BasicError of a failed request (`protocol/README.md`, Mapping to BasicError, Recommendation): a fixed code is kept so apps written for the
 * reference still match (`messageId` and text go into the message); otherwise the platform's `messageId`, else the HTTP status or error name.
 */
function requestFailure(spec: Pick<RequestSpec<unknown>, 'operation' | 'fixedCode'>, natural: ErrorCode, detail: string, exception?: RequestException): BasicError {
  if (spec.fixedCode !== undefined) {
    const reason = exception === undefined ? detail : `${fillPlaceholders(exception)} (${exception.messageId})`
    return new BasicError(spec.fixedCode, `${spec.operation} request failed: ${reason}`)
  }
  if (exception !== undefined) return new BasicError(exception.messageId, fillPlaceholders(exception))
  return new BasicError(natural, `${spec.operation} request failed: ${detail}`)
}

const isJson = (response: Response): boolean => (response.headers.get('content-type') ?? '').toLowerCase().includes('application/json')

const errorName = (error: unknown): string => (typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : 'Error')

const errorMessage = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error)
  const cause = (error as { cause?: unknown }).cause
  return cause instanceof Error && cause.message !== '' ? `${error.message} (${cause.message})` : error.message
}

const parseJson = (text: string): E.Either<unknown, unknown> => E.tryCatch(() => JSON.parse(text) as unknown, (error) => error)

/** The body of a 2xx response, decoded per the spec; or why it cannot be (a body that is not JSON throws the parser's error). */
async function successBody<A>(response: Response, spec: RequestSpec<A>): Promise<E.Either<BasicError, A>> {
  if (spec.responseType === 'blob') return E.right((await response.blob()) as A)
  const body: unknown = response.status !== 204 && isJson(response) ? JSON.parse(await response.text()) : {}
  if (spec.response === undefined) return E.right(undefined as A)
  return pipe(
    spec.response.decode(body),
    E.mapLeft((errors) => requestFailure(spec, invalidResponseCode, `unexpected response body (${describeDecodeErrors(errors)})`)),
  )
}

/** The error of a non-2xx response, reading the platform's `requestError` body when there is one. */
async function failureBody(response: Response, spec: RequestSpec<unknown>): Promise<BasicError> {
  const statusText = response.statusText === '' ? `HTTP ${response.status}` : response.statusText
  const exception = pipe(
    isJson(response) ? parseJson(await response.text()) : E.left(undefined),
    E.chainW((body) => RequestErrorBody.decode(body)),
    E.map(({ requestError }) => requestError.serviceException ?? requestError.policyException),
    E.getOrElseW(() => undefined),
  )
  return withHttpStatus(requestFailure(spec, response.status, statusText, exception), response.status)
}

interface RequestDeps {
  readonly config: Pick<ConfigFeature, 'current'>
  readonly environment: Pick<Environment, 'fetch' | 'scheduler'>
  /** The current user: its access token is read when each request starts (so `setTokens` applies to later calls). */
  readonly user: () => AuthUser | undefined
  /** Milliseconds before a request fails with `TimeoutError` (default `requestTimeout`). */
  readonly timeout?: number
  /** True once the client is disposed: a request is then refused unsent (`BAD_INPUT`). */
  readonly disposed?: () => boolean
}

/**
 * REST calls to the platform as cold Observables (`PlatformLink.request`), with the bearer token and headers of `protocol/README.md`:
 * the 2xx body is decoded with the spec's codec, unsubscribing aborts, and every failure is a BasicError.
 *
 * const request = createRequest({ config, environment, user: auth.user })
 * request({ method: 'GET', path: `/cpaas/presence/v1/${userId}/presenceLists`, operation: 'Get presence lists', response: PresenceListCollection })
 */
export function createRequest(deps: RequestDeps): <A = void>(spec: RequestSpec<A>) => Observable<A> {
  const limit = deps.timeout ?? requestTimeout

  return function request<A = void>(spec: RequestSpec<A>): Observable<A> {
    const call$ = new Observable<A>((subscriber) => {
      if (deps.disposed?.() === true) return subscriber.error(requestFailure(spec, errorCodes.general.BAD_INPUT, 'the client is disposed'))
      const user = deps.user()
      const { server } = deps.config.current().authentication
      if (user === undefined) return subscriber.error(requestFailure(spec, errorCodes.authentication.INVALID_CREDENTIALS, 'no access token; call setTokens first'))
      const base = baseUrl(server)
      if (base === undefined) return subscriber.error(requestFailure(spec, errorCodes.general.BAD_INPUT, noBase))

      const controller = new AbortController()
      const init: RequestInit = {
        method: spec.method,
        headers: { Authorization: `Bearer ${user.accessToken}`, Accept: 'application/json', ...(spec.form === undefined ? { 'Content-Type': 'application/json' } : {}) },
        signal: controller.signal,
        // JSON.stringify(undefined) is undefined: a spec without a body sends none.
        body: spec.form ?? JSON.stringify(spec.body),
      }
      const url = `${base}${spec.path}${queryString(spec.query)}`

      // Whatever throws (the host's fetch, a body that is not JSON) fails the request, named after the thrown error.
      const settle = async (): Promise<void> => {
        const response = await deps.environment.fetch(url, init)
        const outcome = response.ok ? await successBody(response, spec) : E.left(await failureBody(response, spec as RequestSpec<unknown>))
        if (E.isLeft(outcome)) subscriber.error(outcome.left)
        else {
          subscriber.next(outcome.right)
          subscriber.complete()
        }
      }
      settle().catch((error: unknown) => subscriber.error(requestFailure(spec, errorName(error), errorMessage(error))))

      return () => controller.abort()
    })

    return call$.pipe(
      timeout({
        first: limit,
        scheduler: deps.environment.scheduler,
        with: () => throwError(() => requestFailure(spec, 'TimeoutError', `no response within ${limit} ms`)),
      }),
    )
  }
}
