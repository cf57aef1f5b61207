// A WebSocket stand-in for the Node benchmarks that time the SDK's inbound path without a network:
// it opens on the next tick, counts what the SDK sends and `deliver` hands it frames as the host would.
import { firstValueFrom } from 'rxjs'
import { createAuth } from '../streams/auth/feature.js'
import { createConfig } from '../streams/config/feature.js'
import { createConnection } from '../streams/connection/feature.js'
import { createEnvironment, type WebSocketConstructor } from '../streams/environment.js'
import { createLogs } from '../streams/logs/feature.js'

export class InProcessSocket {
  /** The socket the SDK opened last. */
  static last: InProcessSocket | undefined
  readyState = 0
  binaryType = 'arraybuffer'
  onopen: ((event: unknown) => void) | null = null
  onclose: ((event: unknown) => void) | null = null
  onmessage: ((event: { data: string }) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  sent = 0

  constructor(readonly url: string) {
    InProcessSocket.last = this
    setTimeout(() => {
      this.readyState = 1
      this.onopen?.({})
    })
  }

  send(): void {
    this.sent += 1
  }

  close(): void {
    this.readyState = 3
  }

  deliver(data: string): void {
    this.onmessage?.({ data })
  }
}

/** A token of the shape the SDK reads (header, payload, signature), unsigned. */
export const jwt = (payload: object): string => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`

/**
 * A connection of `username` over an in-process socket, opened: what the Node notification
 * benchmarks build before they hand frames to `socket.deliver`.
 */
export async function connectedInProcess(username: string) {
  const config = createConfig({ logs: { logLevel: 'silent' }, authentication: { server: { base: 'platform.test', protocol: 'http', port: 80 } } })
  const environment = createEnvironment({ WebSocket: InProcessSocket as unknown as WebSocketConstructor })
  const logs = createLogs(config, environment)
  const auth = createAuth({ logs })
  auth.commands.setTokens({ accessToken: 'a', idToken: jwt({ preferred_username: username }) })
  const connection = createConnection({ config, environment, logs, auth })
  await firstValueFrom(connection.commands.connect('/channels/bench/websocket'))
  return { config, logs, auth, connection, socket: InProcessSocket.last! }
}
