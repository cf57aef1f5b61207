import * as E from 'fp-ts/Either'
import { catchError, defaultIfEmpty, map, of, throwError, type Observable } from 'rxjs'
import type { ConfigFeature } from '../config/feature.js'
import type { SdpHandlerInfo } from '../config/state.js'
import type { PlatformLink } from '../connection/link.js'
import { BasicError, errorCodes } from '../errors.js'
import type { Logger } from '../logs/logger.js'
import { definedFields } from '../record.js'
import type { TurnCredentials } from '../subscription/codecs.js'
import type { Peer } from './peer.js'
import type { CallScope } from './requests.js'
import { applyBandwidth, dtlsRoleFix, localFixes, sdpHandlersOf, shapeSdp } from './sdp.js'
import type { Bandwidth, CallDirection } from './model.js'

/** The ICE and SDP steps of a call, and where its signalling resources live. */
export type Signalling = ReturnType<typeof createSignalling>

export interface SignallingDeps {
  readonly config: Pick<ConfigFeature, 'current'>
  readonly link: Pick<PlatformLink, 'user'>
  /** TURN credentials of the `call` subscription (`streams/subscription`, calls.md §2). */
  readonly subscription: {
    readonly current: () => { readonly turnCredentials: TurnCredentials | undefined }
    readonly commands: { readonly fetchTurnCredentials: () => Observable<TurnCredentials> }
  }
  readonly logger: Pick<Logger, 'warn'>
}

/** The call feature's signalling over the configuration, the user's link and the subscription's TURN credentials. */
export function createSignalling({ config, link, subscription, logger }: SignallingDeps) {
  /** Where the user's signalling resources live; a `call:6` error before login. */
  const scope = (): E.Either<BasicError, CallScope> => {
    const user = link.user()
    const { authentication } = config.current()
    return user === undefined
      ? E.left(new BasicError(errorCodes.call.INVALID_STATE, 'No user: set the tokens (and subscribe to the call service) first.'))
      : E.right({ version: authentication.server.version, userId: user.username, clientCorrelator: authentication.clientCorrelator })
  }

  /**
   * The configured ICE servers, with the platform's TURN credentials when `serverTurnCredentials` (calls.md §2); `fresh` fetches new ones.
   * Credentials the subscription could not fetch are fetched again now (calls.md §2 recommendation).
   */
  const iceServers = (fresh = false): Observable<RTCIceServer[]> => {
    const { iceServers: configured, serverTurnCredentials } = config.current().call
    const servers = Array.isArray(configured) ? configured : []
    const plain = (): RTCIceServer[] => servers.map((server) => ({ ...server, urls: typeof server.urls === 'string' ? server.urls : [...server.urls] }))
    const withCredentials = (credentials: TurnCredentials): RTCIceServer[] =>
      plain().map((server) => ({ urls: server.urls, username: credentials.username, credential: credentials.password }))
    if (!serverTurnCredentials || servers.length === 0) return of(plain())
    const known = subscription.current().turnCredentials
    if (known !== undefined && !fresh) return of(withCredentials(known))
    return subscription.commands.fetchTurnCredentials().pipe(
      map(withCredentials),
      defaultIfEmpty([]),
      catchError((error: unknown) => {
        logger.warn('Could not fetch TURN credentials; the call has no ICE servers', error)
        return of([])
      }),
    )
  }

  const handlers = () => sdpHandlersOf(config.current().call)

  /** Creates, shapes, sets and gathers a local description; emits the SDP to send (calls.md §14.3). */
  const localSdp = (peer: Peer, type: 'offer' | 'answer', bandwidth: Bandwidth | undefined): Observable<string> => {
    const info: SdpHandlerInfo = { type, endpoint: 'local', ...definedFields({ bandwidth }) }
    const code = type === 'offer' ? errorCodes.call.INVALID_OFFER : errorCodes.call.GENERIC_ERROR
    return peer.localDescription(
      type,
      (sdp) => shapeSdp(sdp, info, [localFixes, ...handlers()], code),
      (sdp) => shapeSdp(sdp, info, [localFixes, applyBandwidth], code),
    )
  }

  /** Shapes and applies a remote description. */
  const remoteSdp = (peer: Peer, type: 'offer' | 'answer', sdp: string, direction: CallDirection): Observable<void> => {
    const fixes = type === 'answer' ? [dtlsRoleFix(direction === 'outgoing' ? 'passive' : 'active')] : []
    const shaped = shapeSdp(sdp, { type, endpoint: 'remote' }, [...handlers(), ...fixes])
    return E.isLeft(shaped) ? throwError(() => shaped.left) : peer.remoteDescription(type, shaped.right)
  }

  return { scope, iceServers, localSdp, remoteSdp }
}
