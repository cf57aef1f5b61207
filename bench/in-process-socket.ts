// A WebSocket stand-in for the Node benchmarks that time the SDK's inbound path without a network:
// it opens on the next tick, counts what the SDK sends and `deliver` hands it frames as the host would.
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
