// A UDP relay in front of coturn's listening port: clients talk to the relay, the relay forwards
// each client's datagrams to coturn from a socket of its own (and back), so that media faults
// (blackhole, loss, delay) apply to every relayed packet without touching coturn.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram'

/** Impairment of relayed media (`POST /_admin/media`). */
export interface MediaImpairment {
  /** Every datagram dropped, both ways. */
  readonly blackhole: boolean
  /** Share of datagrams dropped at random, 0..100. */
  readonly lossPercent: number
  /** Added to every datagram's trip, both ways, in ms. */
  readonly delayMs: number
}

export const noImpairment: MediaImpairment = { blackhole: false, lossPercent: 0, delayMs: 0 }

/** The relay: its port is what clients get in the TURN URLs. */
export interface UdpRelay {
  readonly port: number
  readonly impairment: MediaImpairment
  impair(change: Partial<MediaImpairment>): MediaImpairment
  /** Forgets every client (their coturn-side sockets close), as when clients move to another network. */
  reset(): void
  stop(): Promise<void>
}

/** A client's coturn-side socket, closed after this long without traffic. */
const idleLimit = 15 * 60_000

interface Client {
  readonly upstream: Socket
  lastSeen: number
}

/** Applies the impairment to one datagram, then sends it (or not). */
function impaired(impairment: MediaImpairment, send: () => void): void {
  if (impairment.blackhole) return
  if (impairment.lossPercent > 0 && Math.random() * 100 < impairment.lossPercent) return
  // A socket closed meanwhile (reset, stop) throws: the datagram is lost, as on a network.
  const attempt = (): void => {
    try {
      send()
    } catch {}
  }
  if (impairment.delayMs > 0) setTimeout(attempt, impairment.delayMs).unref()
  else attempt()
}

/** Starts a relay on `host` (a free port) forwarding to `target()` (coturn's address, read per datagram). */
export function startRelay(host: string, target: () => { readonly host: string; readonly port: number }): Promise<UdpRelay> {
  const downstream = createSocket('udp4')
  const clients = new Map<string, Client>()
  let impairment = noImpairment

  const pass = (send: () => void): void => impaired(impairment, send)

  const clientOf = (from: RemoteInfo): Client => {
    const key = `${from.address}:${from.port}`
    let client = clients.get(key)
    if (client === undefined) {
      const upstream = createSocket('udp4')
      upstream.on('error', () => undefined)
      upstream.on('message', (message) => pass(() => downstream.send(message, from.port, from.address)))
      upstream.bind(0, host)
      client = { upstream, lastSeen: Date.now() }
      clients.set(key, client)
    }
    client.lastSeen = Date.now()
    return client
  }

  const forget = (key: string, client: Client): void => {
    clients.delete(key)
    client.upstream.close()
  }

  downstream.on('message', (message, from) => {
    const { upstream } = clientOf(from)
    pass(() => {
      const to = target()
      upstream.send(message, to.port, to.host)
    })
  })
  downstream.on('error', () => undefined)

  const sweep = setInterval(() => {
    const now = Date.now()
    for (const [key, client] of clients) if (now - client.lastSeen > idleLimit) forget(key, client)
  }, 60_000)
  sweep.unref()

  return new Promise((resolve, reject) => {
    downstream.once('error', reject)
    downstream.bind(0, host, () => {
      downstream.off('error', reject)
      resolve({
        port: downstream.address().port,
        get impairment() {
          return impairment
        },
        impair: (change) => {
          impairment = {
            blackhole: change.blackhole ?? impairment.blackhole,
            lossPercent: change.lossPercent ?? impairment.lossPercent,
            delayMs: change.delayMs ?? impairment.delayMs,
          }
          return impairment
        },
        reset: () => {
          for (const [key, client] of clients) forget(key, client)
        },
        stop: () =>
          new Promise((closed) => {
            clearInterval(sweep)
            for (const [key, client] of clients) forget(key, client)
            downstream.close(() => closed())
          }),
      })
    })
  })
}
