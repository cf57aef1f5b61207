/**
 * `client.connection`: the WebSocket's state and connectivity checks. Events: `ws:change`,
 * `notification:received`, `notifications:error`.
 *
 * @module client.connection
 */
export type { ConnectionApi, SocketState } from '../../lib/api/connection.js'
