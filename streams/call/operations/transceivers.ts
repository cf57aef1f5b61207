import { BasicError, errorCodes } from '../../errors.js'
import type { Peer } from '../peer.js'

/** The transceivers still in use (a stopped one, e.g. of a failed addMedia, takes no direction). */
const inUse = (peer: Peer): RTCRtpTransceiver[] =>
  peer.connection.getTransceivers().filter((transceiver) => transceiver.direction !== 'stopped' && transceiver.currentDirection !== 'stopped')

/** Sets directions, returning how to put the previous ones back. */
export function direct(peer: Peer, direction: (transceiver: RTCRtpTransceiver) => RTCRtpTransceiverDirection): () => void {
  const previous = inUse(peer).map((transceiver) => [transceiver, transceiver.direction] as const)
  for (const [transceiver] of previous) transceiver.direction = direction(transceiver)
  return () => {
    for (const [transceiver, was] of previous) if (transceiver.direction !== 'stopped' && transceiver.currentDirection !== 'stopped') transceiver.direction = was
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
