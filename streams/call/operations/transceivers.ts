import { BasicError, errorCodes } from '../../errors.js'
import type { Peer } from '../peer.js'

/** A transceiver still in use: a stopped one (a joined call's video) takes no direction. Its `direction` says 'stopped' from stop() on (webrtc-pc §5.4), before its m-line is negotiated away. */
const inUse = (transceiver: RTCRtpTransceiver): boolean => transceiver.direction !== 'stopped'

/** Sets directions, returning how to put the previous ones back. */
export function direct(peer: Peer, direction: (transceiver: RTCRtpTransceiver) => RTCRtpTransceiverDirection): () => void {
  const previous = peer.connection.getTransceivers().filter(inUse).map((transceiver) => [transceiver, transceiver.direction] as const)
  for (const [transceiver] of previous) transceiver.direction = direction(transceiver)
  return () => {
    for (const [transceiver, was] of previous) if (inUse(transceiver)) transceiver.direction = was
  }
}

/** Our wish when not holding: send what we have a track for, receive everything; a spare transceiver (never negotiated, no track) stays inactive. */
export const openDirection = (transceiver: RTCRtpTransceiver): RTCRtpTransceiverDirection =>
  transceiver.sender.track !== null ? 'sendrecv' : transceiver.mid === null ? 'inactive' : 'recvonly'

export function transceiverOf(peer: Peer, sender: RTCRtpSender): RTCRtpTransceiver {
  const found = peer.connection.getTransceivers().find((transceiver) => transceiver.sender === sender)
  if (found === undefined) throw new BasicError(errorCodes.call.STATE_DESYNC, 'A sender without its transceiver.')
  return found
}
