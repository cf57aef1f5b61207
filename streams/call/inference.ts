import { parse, write, type MediaDescription } from 'sdp-transform'
import { setupReplaced } from './sdp.js'
import type { RemoteOperation } from './model.js'

// What an SDP says about media flow, and what a remote re-offer did (`protocol/calls.md` §8, §9); an SDP that does not parse has no m-lines.

type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive'

/** One m-line as §9.2 summarises it: its `mid`, kind and direction. */
interface MediaLine {
  readonly mid: string
  readonly kind: string
  readonly direction: Direction
}

const directions: readonly string[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive']

const parsed = (sdp: string): ReturnType<typeof parse> | undefined => {
  try {
    return parse(sdp)
  } catch {
    return undefined
  }
}

/** The m-lines of an SDP; a rejected line (port 0) is inactive, a line without direction takes the session's (default `sendrecv`). */
export function mediaLines(sdp: string): MediaLine[] {
  const session = parsed(sdp)
  if (session === undefined) return []
  const sessionDirection = directions.includes(String(session.direction)) ? (session.direction as Direction) : 'sendrecv'
  return session.media.map((media, index) => ({
    mid: media.mid === undefined ? `#${index}` : String(media.mid),
    kind: media.type,
    direction: media.port === 0 ? 'inactive' : directions.includes(String(media.direction)) ? (media.direction as Direction) : sessionDirection,
  }))
}

const sends = (direction: Direction): boolean => direction.includes('send')
/** A direction (of an m-line, or a transceiver's) that receives media. */
export const receives = (direction: string | null | undefined): boolean => direction?.includes('recv') === true
const flows = (line: MediaLine): boolean => sends(line.direction) && receives(line.direction)

/** "Media flowing" in one SDP (§9.1): unless every video m-line is `inactive` and every audio m-line `inactive` or `sendonly` (music on hold). */
export function mediaFlowing(sdp: string): boolean {
  return !mediaLines(sdp).every((line) =>
    line.kind === 'video' ? line.direction === 'inactive' : line.kind === 'audio' ? line.direction === 'inactive' || line.direction === 'sendonly' : true,
  )
}

/**
 * What a new remote SDP does over the previous one (§9.2), checked in order: hold, unhold, start music-on-hold, add, stop music-on-hold, remove, no change.
 *
 * inferRemoteOperation(connectedOffer, connectedOffer.replaceAll('a=sendrecv', 'a=inactive')) // 'hold'
 */
export function inferRemoteOperation(previousSdp: string, nextSdp: string): RemoteOperation {
  const before = mediaLines(previousSdp)
  const after = mediaLines(nextSdp)
  const old = new Map(before.map((line) => [line.mid, line]))
  // A new line that is inactive carries nothing (a spare transceiver of the far end): not an addition.
  const added = after.filter((line) => !old.has(line.mid) && line.direction !== 'inactive')
  const removed = before.filter((line) => !after.some((next) => next.mid === line.mid))
  const pairs = after.flatMap((line) => {
    const previous = old.get(line.mid)
    return previous === undefined ? [] : [{ previous, next: line }]
  })
  const changed = pairs.filter(({ previous, next }) => previous.direction !== next.direction)
  const sameLines = added.length === 0 && removed.length === 0
  const unchangedInactive = pairs.every(({ previous, next }) => previous.direction !== next.direction || next.direction === 'inactive')

  if (sameLines && before.some(flows) && after.every((line) => line.direction === 'inactive')) return 'hold'
  if (
    sameLines &&
    !before.some(flows) &&
    after.some(flows) &&
    changed.every(({ previous, next }) => (!sends(previous.direction) || sends(next.direction)) && (!receives(previous.direction) || receives(next.direction))) &&
    unchangedInactive
  )
    return 'unhold'

  const addsMedia =
    removed.length === 0 &&
    (added.length > 0 || changed.length > 0) &&
    added.every((line) => sends(line.direction)) &&
    changed.every(({ previous, next }) => !sends(previous.direction) && sends(next.direction) && receives(previous.direction) === receives(next.direction))
  const removesMedia =
    sameLines &&
    changed.length > 0 &&
    changed.every(({ previous, next }) => sends(previous.direction) && !sends(next.direction) && (!receives(previous.direction) || receives(next.direction)))
  /** Exactly one audio line changed in the given way, and every other line is inactive. */
  const musicOnHold = (started: boolean): boolean =>
    sameLines &&
    changed.length === 1 &&
    changed[0]!.next.kind === 'audio' &&
    sends(changed[0]!.next.direction) === started &&
    !receives(changed[0]!.next.direction) &&
    unchangedInactive

  if (addsMedia && musicOnHold(true)) return 'startMusicOnHold'
  if (addsMedia) return 'addMedia'
  if (removesMedia && musicOnHold(false)) return 'stopMusicOnHold'
  if (removesMedia) return 'removeMedia'
  if (sameLines && changed.length === 0 && pairs.length > 0) return 'noChange'
  return 'unknown'
}

/** The `o=` session id of an SDP (it changes when the far end changes, e.g. after a transfer). */
export function sdpSessionId(sdp: string): string | undefined {
  const id = parsed(sdp)?.origin?.sessionId
  return id === undefined ? undefined : String(id)
}

/** Every `sendrecv` / `sendonly` / `recvonly` of an SDP made `inactive` (a re-offer answered while locally held, §8.1). */
export function inactivated(sdp: string): string {
  const session = parsed(sdp)
  if (session === undefined) return sdp
  const quiet = (media: MediaDescription): MediaDescription => (media.direction === undefined ? media : { ...media, direction: 'inactive' })
  return write({ ...session, ...(session.direction === undefined ? {} : { direction: 'inactive' }), media: session.media.map(quiet) })
}

/** `a=setup:active` in a re-offer becomes `actpass` (§8.1 step 4): an offer must leave the role open. */
export function setupActiveAsActpass(sdp: string): string {
  const session = parsed(sdp)
  if (session === undefined || !(session.setup === 'active' || session.media.some((media) => media.setup === 'active'))) return sdp
  return write(setupReplaced(session, 'active', 'actpass'))
}

/** True when an SDP's audio offers or accepts `telephone-event` (out-of-band DTMF, §13). */
export function hasTelephoneEvent(sdp: string): boolean {
  return (parsed(sdp)?.media ?? []).some(
    (media) => media.type === 'audio' && media.port !== 0 && (media.rtp ?? []).some((rtp) => rtp.codec.toLowerCase() === 'telephone-event'),
  )
}
