import * as t from 'io-ts'

// `call.defaultPeerConfig`, as later versions of the original SDK name it: an RTCConfiguration merged into every peer connection of a call.

/** An ICE server (as in RTCIceServer). */
export const IceServer = t.intersection([
  t.type({ urls: t.union([t.string, t.readonlyArray(t.string)]) }),
  t.partial({ credential: t.string, username: t.string }),
])
export type IceServer = t.TypeOf<typeof IceServer>

/** A finite number for which `accepts` holds: NaN or Infinity would break timers and checks. */
export const numberWhere = (name: string, accepts: (value: number) => boolean) => t.refinement(t.number, (value) => Number.isFinite(value) && accepts(value), name)

const CandidatePoolSize = numberWhere('CandidatePoolSize', (size) => Number.isInteger(size) && size >= 0 && size <= 255)

/** The RTCConfiguration members an app may set for every call's peer connection. */
export const PeerConfig = t.partial({
  iceTransportPolicy: t.keyof({ all: null, relay: null }),
  // Not `max-bundle`: local SDPs carry no BUNDLE group (calls.md §14.3), which max-bundle refuses to set.
  bundlePolicy: t.keyof({ balanced: null, 'max-compat': null }),
  rtcpMuxPolicy: t.literal('require'),
  iceCandidatePoolSize: CandidatePoolSize,
  iceServers: t.readonlyArray(IceServer),
  /** RTCCertificates from `RTCPeerConnection.generateCertificate`. */
  certificates: t.readonlyArray(t.UnknownRecord),
})
export type PeerConfig = t.TypeOf<typeof PeerConfig>

/**
 * A call's peer connection configuration: `defaultPeerConfig`, with the call's ICE servers (`call.iceServers` with the platform's TURN credentials) before its own.
 *
 * peerConfiguration({ iceTransportPolicy: 'relay' }, servers) // { iceTransportPolicy: 'relay', iceServers: servers }
 */
export function peerConfiguration(defaults: PeerConfig, iceServers: readonly RTCIceServer[]): RTCConfiguration {
  const { iceServers: own = [], certificates, ...rest } = defaults
  return {
    ...rest,
    ...(certificates === undefined ? {} : { certificates: certificates as unknown as RTCCertificate[] }),
    iceServers: [...iceServers, ...own.map((server) => ({ ...server, urls: typeof server.urls === 'string' ? server.urls : [...server.urls] }))],
  }
}
