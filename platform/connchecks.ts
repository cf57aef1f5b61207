import { WebSocket } from 'ws'
import type { ClockTimer, PlatformClock } from './clock.js'
import type { Faults } from './faults.js'

/** Server connChecks a client may leave unanswered before its socket is terminated. */
const maxMissedConnChecks = 3
const connAck = JSON.stringify({ connAck: {} })

/** The channel a socket belongs to, as the checks name it in logs and faults. */
interface CheckedChannel {
  readonly id: string
  readonly userId: string
}

/** Connectivity checks on channel sockets (`x-connCheckRole`), both ways, paused by the admin API's faults. */
export class ConnChecks {
  private readonly timers = new Map<WebSocket, ClockTimer>()
  /** Server connChecks sent and not yet acknowledged, per socket. */
  private readonly missed = new WeakMap<WebSocket, number>()

  constructor(
    private readonly interval: number,
    private readonly clock: PlatformClock,
    private readonly faults: Faults,
    private readonly log: (line: string) => void,
    private readonly terminate: (socket: WebSocket) => void,
  ) {}

  /** Answers a client's `connCheck` (unless paused) and counts its `connAck`s; other frames are accepted and ignored. */
  receive(channel: CheckedChannel, socket: WebSocket, text: string | undefined): void {
    let message: unknown
    try {
      message = text === undefined ? undefined : JSON.parse(text)
    } catch {
      this.log(`channel ${channel.id}: ignored a frame that is not JSON`)
      return
    }
    if (typeof message !== 'object' || message === null) return
    const frame = message as Record<string, unknown>
    if (frame.connCheck) {
      if (!this.faults.connectivityPaused(channel.userId)) socket.send(connAck)
    } else if (frame.connAck) {
      this.missed.set(socket, 0)
    }
    // `{"message_type":"ping"}` (keepAlive) and anything else: accepted, never answered.
  }

  /** Sends `connCheck` every interval on a server-role socket; terminates it after too many go unanswered. */
  start(channel: CheckedChannel, socket: WebSocket): void {
    const interval = this.interval
    const frame = JSON.stringify({ connCheck: { interval } })
    this.missed.set(socket, 0)
    const tick = (): void => {
      // Armed again first, as an interval would be: `terminate` below stops it through `stop`.
      this.timers.set(socket, this.clock.later(interval * 1000, tick))
      if (socket.readyState !== WebSocket.OPEN || this.faults.connectivityPaused(channel.userId)) return
      const count = this.missed.get(socket) ?? 0
      if (count >= maxMissedConnChecks) {
        this.log(`channel ${channel.id}: ${count} connChecks unanswered, terminating the socket`)
        this.terminate(socket)
        return
      }
      this.missed.set(socket, count + 1)
      socket.send(frame)
    }
    this.timers.set(socket, this.clock.later(interval * 1000, tick))
  }

  stop(socket: WebSocket): void {
    this.timers.get(socket)?.cancel()
    this.timers.delete(socket)
  }
}
