import { each } from '../../streams/each.js'
import type { ConnectionFeature } from '../../streams/connection/feature.js'
import type { ConnectionEvent, ConnectionState } from '../../streams/connection/state.js'
import { badInput } from '../../streams/errors.js'
import type { PublicEvent } from '../events.js'
import type { Namespace } from '../namespace.js'

/** The state of the notification WebSocket, as `connection.getSocketState('cpaas')` returns it. */
export type SocketState = ConnectionState

/** The documented `connection` namespace (api-reference, Connectivity). */
export interface ConnectionApi {
  /**
   * Gets the state of the websocket of a backend platform: pass `'cpaas'` (the notification socket). Any other platform, including
   * the default `'link'`, has no socket: as the original SDK, the result is then an `Error` (returned, not thrown) whose message
   * reads `No sockets are up. Have you attempted to connect?`.
   *
   * const { connected, pinging } = client.connection.getSocketState('cpaas')
   * @throws BasicError `BAD_INPUT` when `platform` is not a string.
   */
  getSocketState(platform: 'cpaas'): SocketState
  getSocketState(platform?: string): SocketState | Error
  /**
   * Enables or disables connectivity checking at run time (both ways); the configured `connectivity.method` and `pingInterval` apply.
   *
   * client.connection.enableConnectivityChecking(true)
   * @throws BasicError `BAD_INPUT` when `enable` is not a boolean.
   */
  enableConnectivityChecking(enable: boolean): void
}

/** What `getSocketState` returns for a platform without a socket: the original SDK's Error, a new one per call. */
const noSocket = (): Error => new Error('No sockets are up. Have you attempted to connect?')

const wsChange: PublicEvent = { type: 'ws:change', payload: { platform: 'cpaas' } }

/** The documented events of the connection feature (`protocol/events.md` §4–5). */
const connectionPublicEvents = (event: ConnectionEvent): PublicEvent[] => {
  switch (event.type) {
    case 'connecting':
    case 'opened':
    case 'lost':
    case 'reconnecting':
    case 'closed':
      return [wsChange]
    case 'notificationReceived':
      return [{ type: 'notification:received', payload: { payload: event.notification.frame } }]
    case 'frameRejected':
      return [{ type: 'notifications:error', payload: { channel: 'websocket', error: event.error } }]
    case 'settingsChanged':
    case 'checkingSwitched':
    case 'attemptFailed':
    case 'gaveUp':
      return []
  }
}

/** The `connection` namespace over the connection feature. */
export function connectionApi({ connection }: { readonly connection: ConnectionFeature }): Namespace<ConnectionApi> {
  function getSocketState(platform: 'cpaas'): SocketState
  function getSocketState(platform?: string): SocketState | Error
  function getSocketState(platform: unknown = 'link'): SocketState | Error {
    if (typeof platform !== 'string') throw badInput('connection.getSocketState(platform): platform must be a string')
    return platform === 'cpaas' ? { ...connection.current() } : noSocket()
  }
  return {
    api: {
      getSocketState,
      enableConnectivityChecking: (enable) => {
        if (typeof enable !== 'boolean') throw badInput('connection.enableConnectivityChecking(enable): enable must be a boolean')
        connection.commands.enableConnectivityChecking(enable)
      },
    },
    events$: connection.events$.pipe(each(connectionPublicEvents)),
  }
}
