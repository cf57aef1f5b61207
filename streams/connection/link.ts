import type { Observable } from 'rxjs'
import type * as t from 'io-ts'

/** The authenticated user, decoded from the id token (`protocol/README.md`). */
export interface AuthUser {
  /** The id token's `preferred_username`: the `<userId>` segment of every REST path. */
  readonly username: string
  /** The id token's `services-identity` (`name@domain`), when present. */
  readonly identity: string | undefined
  /** The text after `@` of the identity (or of the username). */
  readonly domain: string | undefined
  readonly accessToken: string
  readonly idToken: string
}

/** One REST call to the platform. */
export interface RequestSpec<A> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** The path from `/cpaas/...`; ids as `pathSegment` writes them (`@`, `+`, `:` raw, as the platform expects: `protocol/README.md`). */
  readonly path: string
  /** JSON body. */
  readonly body?: unknown
  /** Multipart body (file upload); sent without a Content-Type so the host sets the boundary. */
  readonly form?: FormData
  /** Query parameters; `undefined` values are skipped, keys sorted. */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>
  /** The reference's operation name, used in error messages (`Create session`, ...). */
  readonly operation: string
  /** The reference's fixed error code for this operation, where it has one (`messaging:5`). */
  readonly fixedCode?: string
  /** Decoder of a 2xx body; without one the body is ignored. A body that fails to decode is an error. */
  readonly response?: t.Decoder<unknown, A>
  /** What to read the body as: JSON (default) or a Blob (attachment download). */
  readonly responseType?: 'json' | 'blob'
}

/** One inbound notification, unwrapped: `{ "<kind>": { id, ... } }`. */
export interface InboundNotification {
  /** The top-level key naming the kind (`chatMessageNotification`, ...). */
  readonly kind: string
  /** The notification id used for de-duplication. */
  readonly id: string
  /** The value under the kind key. */
  readonly body: Readonly<Record<string, unknown>>
  /** The whole frame as received. */
  readonly frame: Readonly<Record<string, unknown>>
}

/** What every feature uses to reach the platform: REST requests as cold Observables, and the de-duplicated notifications of the one shared WebSocket. */
export interface PlatformLink {
  /** Hot; the current user (undefined until valid tokens are set). */
  readonly user$: Observable<AuthUser | undefined>
  readonly user: () => AuthUser | undefined
  /** A cold Observable of one REST call; errors are `BasicError`s with the protocol's codes. Unsubscribing aborts. */
  request<A = void>(spec: RequestSpec<A>): Observable<A>
  /** Hot; every accepted notification, once, in arrival order. Features filter by `kind`. */
  readonly notifications$: Observable<InboundNotification>
}
