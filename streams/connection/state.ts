import type { Config, ConnectivityMethod } from '../config/state.js'
import type { BasicError } from '../errors.js'
import type { InboundNotification } from './link.js'

/** The notification WebSocket as `connection.getSocketState('cpaas')` reports it. */
export interface ConnectionState {
  /** The backend platform this socket belongs to (always `cpaas` here). */
  readonly platform: 'cpaas'
  /** The channel path the socket is for, while a connection is wanted (no token in it). */
  readonly channelURL: string | undefined
  readonly connected: boolean
  /** Connectivity checks are running on the open socket. */
  readonly pinging: boolean
  /** Connectivity checking is switched on (`checkConnectivity`, `enableConnectivityChecking`). */
  readonly checkConnectivity: boolean
  readonly method: ConnectivityMethod
  /** Milliseconds between client pings (client-responsible modes). */
  readonly pingInterval: number
  /** A lost connection is being re-established. */
  readonly reconnecting: boolean
  /** Failed attempts in a row in the current connection cycle. */
  readonly failedAttempts: number
}

export type ConnectionEvent =
  /** The configured method or ping interval changed. */
  | { readonly type: 'settingsChanged'; readonly method: ConnectivityMethod; readonly pingInterval: number }
  | { readonly type: 'checkingSwitched'; readonly enabled: boolean }
  /** A connection cycle started for a channel (the first connect). */
  | { readonly type: 'connecting'; readonly channelURL: string }
  | { readonly type: 'opened' }
  /** The open socket failed, closed unexpectedly, or failed its connectivity check. */
  | { readonly type: 'lost'; readonly error: BasicError; readonly reconnecting: boolean }
  /** A reconnection cycle started (right after `lost`). */
  | { readonly type: 'reconnecting' }
  /** An attempt failed (`failures` in a row in this cycle); the next comes after `delay` ms. */
  | { readonly type: 'attemptFailed'; readonly failures: number; readonly delay: number; readonly error: BasicError }
  /** Every attempt failed (`reconnectLimit`). */
  | { readonly type: 'gaveUp'; readonly channelURL: string; readonly error: BasicError }
  /** The socket was closed on purpose. */
  | { readonly type: 'closed' }
  /** A new notification (not a duplicate), in arrival order. */
  | { readonly type: 'notificationReceived'; readonly notification: InboundNotification }
  /** A frame that is not JSON or not a notification; the socket carries on. */
  | { readonly type: 'frameRejected'; readonly error: BasicError }

export const initialConnectionState = (settings: Pick<Config['connectivity'], 'method' | 'pingInterval' | 'checkConnectivity'>): ConnectionState => ({
  platform: 'cpaas',
  channelURL: undefined,
  connected: false,
  pinging: false,
  checkConnectivity: settings.checkConnectivity,
  method: settings.method,
  pingInterval: settings.pingInterval,
  reconnecting: false,
  failedAttempts: 0,
})

const idle = (state: ConnectionState): ConnectionState => ({ ...state, channelURL: undefined, connected: false, pinging: false, reconnecting: false, failedAttempts: 0 })

export const connectionReducer = (state: ConnectionState, event: ConnectionEvent): ConnectionState => {
  switch (event.type) {
    case 'settingsChanged':
      return { ...state, method: event.method, pingInterval: event.pingInterval }
    case 'checkingSwitched':
      return event.enabled === state.checkConnectivity ? state : { ...state, checkConnectivity: event.enabled, pinging: state.connected && event.enabled }
    case 'connecting':
      return { ...idle(state), channelURL: event.channelURL }
    case 'opened':
      return { ...state, connected: true, pinging: state.checkConnectivity, reconnecting: false, failedAttempts: 0 }
    case 'lost':
      return event.reconnecting ? { ...state, connected: false, pinging: false } : idle(state)
    case 'reconnecting':
      return { ...state, reconnecting: true, failedAttempts: 0 }
    case 'attemptFailed':
      return { ...state, failedAttempts: event.failures }
    case 'gaveUp':
    case 'closed':
      return idle(state)
    case 'notificationReceived':
    case 'frameRejected':
      return state
  }
}
