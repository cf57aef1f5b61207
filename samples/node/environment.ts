// The SDK in Node: the environment overrides for `create(config, environment)` (and
// `createStreams`): `ws` as WebSocket, @roamhq/wrtc for WebRTC, synthetic devices for
// getUserMedia, and optionally trust in a local platform's self-signed certificate.
//
//   import { create } from 'kandy-rx'
//   const environment = nodeEnvironment()
//   const client = create({ authentication: { server: { base: '127.0.0.1', port: 8080, protocol: 'http' } } }, environment)
//   environment.media.remote(trackId)   // the wrtc track of a remote track id, to read its audio
import { request as httpsRequest } from 'node:https'
import { rootCertificates } from 'node:tls'
import wrtc from '@roamhq/wrtc'
import { WebSocket as NodeWebSocket } from 'ws'
import type { Environment, MediaDevicesLike, WebSocketConstructor } from '../../streams/environment.js'
import { createSyntheticMedia, type SyntheticMedia, type SyntheticMediaOptions, type SyntheticTrack } from './media.js'

export interface NodeEnvironmentOptions extends SyntheticMediaOptions {
  /**
   * A certificate (PEM) to trust for `https:` and `wss:`, besides the system's: the local
   * platform's self-signed one (`npm start -- --tls`).
   */
  readonly ca?: string
}

/** The media of a Node environment: its synthetic local tracks and the remote tracks its peer connections received. */
export interface NodeMedia extends SyntheticMedia {
  /** The wrtc track of a remote track id (as in `call.remoteTracks`), while its peer connection is open. */
  remote(trackId: string): MediaStreamTrack | undefined
  /** Every remote track received by a peer connection still open. */
  remotes(): MediaStreamTrack[]
  /** The (open) peer connection that received a remote track: its `connectionState` says whether media still flows. */
  connectionOf(trackId: string): RTCPeerConnection | undefined
}

/** The members of the environment Node needs, plus `media` (ignored by the SDK, for the application). */
export interface NodeEnvironment extends Partial<Environment> {
  readonly WebSocket: WebSocketConstructor
  readonly RTCPeerConnection: typeof RTCPeerConnection
  readonly MediaStream: typeof MediaStream
  readonly mediaDevices: MediaDevicesLike
  readonly media: NodeMedia
}

export type { SyntheticTrack }

/** A `fetch` that trusts `ca` for https URLs (Node's own fetch takes no certificate option). */
function fetchTrusting(ca: readonly string[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init)
    if (!request.url.startsWith('https:')) return fetch(request)
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer())
    return new Promise<Response>((resolve, reject) => {
      const outgoing = httpsRequest(request.url, { method: request.method, headers: Object.fromEntries(request.headers), ca: [...ca] }, (incoming) => {
        const chunks: Buffer[] = []
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
        incoming.on('error', reject)
        incoming.on('end', () => {
          const status = incoming.statusCode ?? 500
          const headers = new Headers()
          for (const [name, value] of Object.entries(incoming.headers)) {
            for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one)
          }
          const nullBody = status === 204 || status === 304 || request.method === 'HEAD'
          resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: incoming.statusMessage ?? '', headers }))
        })
      })
      outgoing.on('error', reject)
      request.signal.addEventListener('abort', () => outgoing.destroy(new Error('aborted')))
      outgoing.end(body)
    })
  }
}

/**
 * The environment overrides that make the SDK run in Node 20: `ws` as WebSocket, `@roamhq/wrtc`
 * for RTCPeerConnection and MediaStream, and synthetic devices (`getUserMedia` gives tracks that
 * play a tone and moving bars, see `media.ts`). Pass it as the second argument of `create`.
 *
 * const client = create(config, nodeEnvironment({ audio: tone(1000) }))
 */
export function nodeEnvironment(options: NodeEnvironmentOptions = {}): NodeEnvironment {
  const synthetic = createSyntheticMedia(options)
  /** Remote tracks by id, with the connection that received them. */
  const remoteTracks = new Map<string, { readonly track: MediaStreamTrack; readonly owner: RTCPeerConnection }>()
  const forget = (owner: RTCPeerConnection): void => {
    for (const [id, entry] of remoteTracks) if (entry.owner === owner) remoteTracks.delete(id)
  }

  const Base = wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection
  /** wrtc's RTCPeerConnection, remembering the tracks it receives. */
  class NodePeerConnection extends Base {
    constructor(configuration?: RTCConfiguration) {
      super(configuration)
      this.addEventListener('track', (event) => remoteTracks.set(event.track.id, { track: event.track, owner: this }))
    }

    override close(): void {
      forget(this)
      super.close()
    }
  }

  // `ca` replaces Node's trusted roots: keep them, so a certificate issued by a public CA works too.
  const ca = options.ca === undefined ? undefined : [...rootCertificates, options.ca]
  const trusting = (trusted: readonly string[]) =>
    class extends NodeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, { ca: [...trusted] })
      }
    }
  const TrustingWebSocket = ca === undefined ? NodeWebSocket : trusting(ca)

  return {
    WebSocket: TrustingWebSocket as unknown as WebSocketConstructor,
    RTCPeerConnection: NodePeerConnection,
    MediaStream: wrtc.MediaStream as unknown as typeof MediaStream,
    mediaDevices: synthetic.mediaDevices,
    ...(ca === undefined ? {} : { fetch: fetchTrusting(ca) }),
    media: {
      ...synthetic,
      remote: (trackId) => remoteTracks.get(trackId)?.track,
      remotes: () => [...remoteTracks.values()].map((entry) => entry.track),
      connectionOf: (trackId) => remoteTracks.get(trackId)?.owner,
    },
  }
}
