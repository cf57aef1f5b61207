import type { LogLevel, SdpHandlerFunction, UserConfig } from './codecs.js'
import { isPlainObject } from '../guards.js'
import type { IceServer, PeerConfig } from './peer.js'
import { defaultRestartPolicy, type RestartPolicy } from './media-restart.js'
import { defaultQualityThresholds, type QualityThresholds } from './quality.js'

export type { LogLevel, SdpHandlerFunction, SdpHandlerInfo, SdpObject, UserConfig } from './codecs.js'
export type { IceServer } from './peer.js'

export interface LogActionsConfig {
  /** The level action logs are written at (the original SDK's key; `debug`). */
  readonly level: LogLevel
  readonly actionOnly: boolean
  readonly collapsed: boolean
  readonly diff: boolean
  readonly exposePayloads: boolean
}

export interface ConnectivityMethod {
  readonly type: 'keepAlive' | 'pingPong'
  readonly responsibleParty: 'client' | 'server' | undefined
}

/** The whole configuration with every default filled in (what `getConfig()` returns). */
export interface Config {
  readonly logs: {
    readonly logLevel: LogLevel
    readonly flatten: boolean
    /** `false` turns action logs off. */
    readonly logActions: LogActionsConfig | false
    readonly enableFcsLogs: boolean
    readonly enableGrouping: boolean
  }
  readonly authentication: {
    readonly server: {
      readonly base: string | undefined
      readonly protocol: 'https' | 'http'
      readonly port: number | string
      readonly version: string
    }
    readonly clientCorrelator: string | undefined
  }
  readonly call: {
    readonly sdpSemantics: 'unified-plan' | 'plan-b'
    readonly iceServers: readonly IceServer[] | null | undefined
    readonly serverTurnCredentials: boolean
    readonly sdpHandlers: readonly SdpHandlerFunction[]
    readonly removeH264Codecs: boolean
    /** An RTCConfiguration merged into every peer connection (e.g. `{ iceTransportPolicy: 'relay' }`). */
    readonly defaultPeerConfig: PeerConfig
    /** When and how often a call restarts its media by itself (`{ enabled: false }` turns it off). */
    readonly automaticMediaRestart: RestartPolicy
    /** Where each call quality warning rises (`call:qualityWarning`). */
    readonly qualityThresholds: QualityThresholds
    /** `false` sends `call.make` destinations as given (`protocol/calls.md` §3.1). */
    readonly normalizeDestination: boolean
    /** Trickle ICE mode; the original SDK's only value is `NONE` (all candidates in the SDP). */
    readonly trickleIceMode: 'NONE'
  }
  readonly connectivity: {
    readonly method: ConnectivityMethod
    readonly pingInterval: number
    readonly reconnectLimit: number
    readonly reconnectDelay: number
    readonly reconnectTimeMultiplier: number
    readonly reconnectTimeLimit: number
    readonly autoReconnect: boolean
    readonly maxMissedPings: number
    readonly checkConnectivity: boolean
  }
  readonly notifications: { readonly idCacheLength: number }
  readonly subscription: {
    readonly channelLifetime: number
    readonly timeout: number
    /** Undocumented key the reference reads the channel lifetime from; honoured when set. */
    readonly expires: number | undefined
  }
  readonly messaging: {
    /** The user's own E.164 number used as SMS sender and inbound SMS subscription address. */
    readonly smsFrom: string | undefined
    /** The messaging features of conversations (the original SDK's list, also on each Conversation). */
    readonly features: readonly string[]
  }
}

/** Every documented default (`seed/api-reference.md`, config). */
export const defaultConfig: Config = {
  logs: {
    logLevel: 'debug',
    flatten: false,
    logActions: { level: 'debug', actionOnly: true, collapsed: false, diff: false, exposePayloads: false },
    enableFcsLogs: true,
    enableGrouping: true,
  },
  authentication: {
    server: { base: undefined, protocol: 'https', port: 443, version: 'v1' },
    clientCorrelator: undefined,
  },
  call: {
    sdpSemantics: 'unified-plan',
    iceServers: undefined,
    serverTurnCredentials: true,
    sdpHandlers: [],
    removeH264Codecs: true,
    defaultPeerConfig: {},
    automaticMediaRestart: defaultRestartPolicy,
    qualityThresholds: defaultQualityThresholds,
    normalizeDestination: true,
    trickleIceMode: 'NONE',
  },
  connectivity: {
    method: { type: 'keepAlive', responsibleParty: 'client' },
    pingInterval: 30000,
    reconnectLimit: 5,
    reconnectDelay: 5000,
    reconnectTimeMultiplier: 1,
    reconnectTimeLimit: 640000,
    autoReconnect: true,
    maxMissedPings: 3,
    // The original SDK checks by default (its documentation says false; its code, which pages rely on, says true).
    checkConnectivity: true,
  },
  notifications: { idCacheLength: 100 },
  subscription: { channelLifetime: 3600, timeout: 20, expires: undefined },
  messaging: { smsFrom: undefined, features: ['base', 'history', 'rich', 'parts', 'isTyping'] },
}

/**
 * Merges `update` into `base`: objects deeply, everything else (arrays, functions) replaced. The update's objects are copied, never kept,
 * so the result can be frozen without freezing the app's own; an object that contains itself gives a copy that contains itself.
 */
export function deepMerge<T>(base: T, update: unknown, copying = new Map<object, object>()): T {
  if (!isPlainObject(update)) return (update === undefined ? base : update) as T
  const cycle = copying.get(update)
  if (cycle !== undefined) return cycle as T
  const merged: Record<string, unknown> = isPlainObject(base) ? { ...base } : {}
  copying.set(update, merged)
  for (const [key, value] of Object.entries(update)) {
    if (value === undefined) continue
    const current = Object.hasOwn(merged, key) ? merged[key] : undefined
    // defineProperty: a `__proto__` key is data, never the object's prototype.
    Object.defineProperty(merged, key, {
      value: deepMerge(current, value, copying),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  copying.delete(update)
  return merged as T
}

/** The pure reducer of configuration: the current config with an app's values merged in. */
export function mergeConfig(config: Config, values: UserConfig): Config {
  const method = values.connectivity?.method
  const withMethod: UserConfig =
    typeof method === 'string'
      ? { ...values, connectivity: { ...values.connectivity, method: { type: method, responsibleParty: 'client' } } }
      : values
  // Action logs turned back on after `false` start again from their documented defaults.
  const base: Config =
    config.logs.logActions === false && typeof withMethod.logs?.logActions === 'object'
      ? { ...config, logs: { ...config.logs, logActions: defaultConfig.logs.logActions } }
      : config
  return freezeObjects(deepMerge(base, withMethod))
}

/** Freezes the plain objects of a merged configuration (not the app's own arrays or functions), so `getConfig()` cannot be mutated. */
function freezeObjects<T>(value: T): T {
  if (isPlainObject(value) && !Object.isFrozen(value)) {
    // Frozen first: an object that contains itself is not walked again.
    Object.freeze(value)
    for (const child of Object.values(value)) freezeObjects(child)
  }
  return value
}
