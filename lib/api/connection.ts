import { mergeMap, type Observable } from 'rxjs'
import type { ConnectionFeature } from '../../streams/connection/feature.js'
import type { ConnectionEvent, ConnectionState } from '../../streams/connection/state.js'
import { BasicError, errorCodes } from '../../streams/errors.js'
import type { PublicEvent } from '../events.js'
import type { Namespace } from '../namespace.js'

/** The state of the notification WebSocket, as `connection.getSocketState('cpaas')` returns it. */
export type SocketState = ConnectionState

/** The documented `connection` namespace (api-reference, Connectivity). */
export interface ConnectionApi {
  /**
   * Gets the state of the websocket of a backend platform: pass `'cpaas'` (the notification
   * socket); any other platform, including the default `'link'`, has none (`undefined`).
   *
   * const { connected, pinging } = client.connection.getSocketState('cpaas')
   * @param platform Backend platform for which to request the websocket's state (default `'link'`).
   * @throws BasicError `BAD_INPUT` when `platform` is not a string.
   */
  getSocketState(platform?: string): SocketState | undefined
  /**
   * Enables or disables connectivity checking at run time (both ways); the configured
   * `connectivity.method` and `pingInterval` apply.
   *
   * client.connection.enableConnectivityChecking(true)
   * @param enable Enable connectivity checking.
   * @throws BasicError `BAD_INPUT` when `enable` is not a boolean.
   */
  enableConnectivityChecking(enable: boolean): void
}

const wsChange: PublicEvent = { type: 'ws:change', payload: { platform: 'cpaas' } }

/** The documented events of the connection feature (`protocol/events.md` §4–5). */
export const connectionPublicEvents = (event: ConnectionEvent): PublicEvent[] => {
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
export function connectionApi(streams: { readonly connection: ConnectionFeature }): Namespace<ConnectionApi> {
  const { connection } = streams
  const events$: Observable<PublicEvent> = connection.events$.pipe(mergeMap(connectionPublicEvents))
  return {
    api: {
      getSocketState: (platform = 'link') => {
        if (typeof platform !== 'string') throw new BasicError(errorCodes.general.BAD_INPUT, 'connection.getSocketState(platform): platform must be a string')
        if (platform !== 'cpaas') return undefined
        return { ...connection.current() }
      },
      enableConnectivityChecking: (enable) => {
        if (typeof enable !== 'boolean') throw new BasicError(errorCodes.general.BAD_INPUT, 'connection.enableConnectivityChecking(enable): enable must be a boolean')
        connection.commands.enableConnectivityChecking(enable)
      },
    },
    events$,
  }
}
