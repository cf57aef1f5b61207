import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { describeDecodeErrors } from '../connection/decode.js'
import { badInput, BasicError } from '../errors.js'
import { IceServer, numberWhere, PeerConfig } from './peer.js'
import { QualityThresholdsUpdate } from './quality.js'

// What an app may pass to `create(config)` and `updateConfig(values)`, one codec per section. Unknown keys are kept
// (the reference reads some undocumented ones); `undefined` means "leave as it is".

/** A codec that takes a value as it is when `is` holds. */
const guarded = <A>(name: string, is: (value: unknown) => value is A) =>
  new t.Type<A, A, unknown>(name, is, (value, context) => (is(value) ? t.success(value) : t.failure(value, context)), t.identity)

/** A value of `typeof` "function": SDP handlers. */
const fn = <F extends (...args: never[]) => unknown>(name: string) => guarded(name, (value): value is F => typeof value === 'function')

/** A finite number ≥ 0 (delays, limits, lifetimes): NaN or Infinity would break timers. */
const Amount = numberWhere('Amount', (value) => value >= 0)

/** A finite number > 0: an interval of 0 would spin. */
const Interval = numberWhere('Interval', (value) => value > 0)

const logLevels = ['silent', 'error', 'warn', 'info', 'debug'] as const
/** A log level, in any case (`'WARN'` is `'warn'`). */
export type LogLevel = (typeof logLevels)[number]
const isLogLevel = (value: unknown): value is LogLevel | Uppercase<LogLevel> => typeof value === 'string' && (logLevels as readonly string[]).includes(value.toLowerCase())
const LogLevelInput = guarded('LogLevel', isLogLevel)

/** `logs.logActions`: `false` turns action logs off; otherwise flags. */
const LogActionsUpdate = t.union([t.literal(false), t.partial({ level: LogLevelInput, actionOnly: t.boolean, collapsed: t.boolean, diff: t.boolean, exposePayloads: t.boolean })])

const LogsUpdate = t.partial({
  logLevel: LogLevelInput,
  flatten: t.boolean,
  logActions: LogActionsUpdate,
  enableFcsLogs: t.boolean,
  enableGrouping: t.boolean,
})

const AuthenticationUpdate = t.partial({
  server: t.partial({
    base: t.string,
    protocol: t.keyof({ https: null, http: null }),
    port: t.union([Amount, t.string]),
    version: t.string,
  }),
  clientCorrelator: t.string,
})

/** A function that shapes an SDP before it is applied (see `call.sdpHandlers`). */
export type SdpHandlerFunction = (newSdp: SdpObject, info: SdpHandlerInfo, originalSdp: SdpObject) => SdpObject

/** An SDP parsed by sdp-transform (`parse`), the form SDP handlers receive and return. */
export type SdpObject = import('sdp-transform').SessionDescription

/** What an SDP handler is told about the SDP it shapes. */
export interface SdpHandlerInfo {
  readonly type: 'offer' | 'answer'
  readonly endpoint: 'local' | 'remote'
  /** The call's bandwidth controls, where set. */
  readonly bandwidth?: { readonly audio?: number; readonly video?: number }
}

const CallUpdate = t.partial({
  sdpSemantics: t.keyof({ 'unified-plan': null, 'plan-b': null }),
  // `null`: no ICE servers at all, not even the platform's TURN servers.
  iceServers: t.union([t.readonlyArray(IceServer), t.null]),
  serverTurnCredentials: t.boolean,
  sdpHandlers: t.readonlyArray(fn<SdpHandlerFunction>('SdpHandlerFunction')),
  removeH264Codecs: t.boolean,
  defaultPeerConfig: PeerConfig,
  automaticMediaRestart: t.partial({ enabled: t.boolean, gracePeriod: Amount, attempts: Amount, delay: Amount, maxDelay: Amount, timeout: Interval }),
  qualityThresholds: QualityThresholdsUpdate,
  normalizeDestination: t.boolean,
  // The original SDK's only trickle ICE mode: every candidate in the SDP.
  trickleIceMode: t.literal('NONE'),
})

/** A connectivity check method's name. */
const ConnectivityType = t.keyof({ keepAlive: null, pingPong: null })
/** Who sends connectivity checks. */
const ResponsibleParty = t.keyof({ client: null, server: null })

/** The `connectivity` section; `method` is a name or `{ type, responsibleParty }`. */
const ConnectivityUpdate = t.partial({
  method: t.union([ConnectivityType, t.partial({ type: ConnectivityType, responsibleParty: ResponsibleParty })]),
  pingInterval: Interval,
  reconnectLimit: Amount,
  reconnectDelay: Amount,
  reconnectTimeMultiplier: Amount,
  reconnectTimeLimit: Amount,
  autoReconnect: t.boolean,
  maxMissedPings: Amount,
  checkConnectivity: t.boolean,
})

const NotificationsUpdate = t.partial({ idCacheLength: Amount })

/** The `subscription` section (`expires`: the undocumented key the reference reads the lifetime from). */
const SubscriptionUpdate = t.partial({ channelLifetime: Amount, timeout: Amount, expires: Amount })

/** The `messaging` section: the user's own E.164 number (SMS sender and inbound SMS address). */
const MessagingUpdate = t.partial({ smsFrom: t.string, features: t.readonlyArray(t.string) })

/** Every section an application can set, each optional. */
export const UserConfig = t.partial({
  logs: LogsUpdate,
  authentication: AuthenticationUpdate,
  call: CallUpdate,
  connectivity: ConnectivityUpdate,
  notifications: NotificationsUpdate,
  subscription: SubscriptionUpdate,
  messaging: MessagingUpdate,
})
/** What an application passes to `create(config)` and `updateConfig(values)`: any subset. */
export type UserConfig = t.TypeOf<typeof UserConfig>

/**
 * The values checked against the config codecs: the values themselves, or a BasicError `BAD_INPUT` naming (never quoting) the first wrong fields.
 *
 * checkedConfig({ logs: null }, 'updateConfig') // E.left(BasicError BAD_INPUT 'updateConfig: logs: expected …')
 */
export function checkedConfig(values: unknown, operation: string): E.Either<BasicError, UserConfig> {
  const decoded = UserConfig.decode(values)
  return E.isRight(decoded)
    ? E.right(values as UserConfig)
    : E.left(badInput(`${operation}: invalid configuration (${describeDecodeErrors(decoded.left)})`))
}
