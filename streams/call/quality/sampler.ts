import { EMPTY, type Observable, type SchedulerLike, catchError, distinctUntilChanged, exhaustMap, from, interval, map, pairwise, startWith, switchMap } from 'rxjs'
import { mediaConnectionState$ } from '../media-connection.js'
import { readingOf, sampleOf, type MediaKind, type QualitySample, type ReadingContext, type StatsReading } from './reading.js'

/** How often a connected call's stats are sampled (ms). */
const sampleInterval = 1000

const receives = (direction: RTCRtpTransceiverDirection | null | undefined): boolean => direction === 'sendrecv' || direction === 'recvonly'

/** What the peer connection expects now: the kinds the far end has agreed to send, and whether a live microphone is sent. */
function contextOf(peer: RTCPeerConnection): ReadingContext {
  const receiving = new Set<MediaKind>()
  for (const transceiver of peer.getTransceivers()) {
    const kind = transceiver.receiver.track.kind
    if (receives(transceiver.currentDirection) && (kind === 'audio' || kind === 'video')) receiving.add(kind)
  }
  const microphone = peer.getSenders().some(({ track }) => track?.kind === 'audio' && track.readyState === 'live' && track.enabled)
  return { receiving: [...receiving], microphone }
}

/** One reading of the peer connection's stats (none when getStats fails: the next second tries again). */
const reading = (peer: RTCPeerConnection): Observable<StatsReading> =>
  from(peer.getStats()).pipe(
    map((report) => readingOf([...report.values()] as Array<Record<string, unknown>>, contextOf(peer))),
    catchError(() => EMPTY),
  )

/**
 * A peer connection's quality samples: one a second while its media connection is connected (or completed), each against the one before in that period.
 *
 * qualitySamples(peer.connection, scheduler).pipe(qualitySteps(thresholds, scheduler))
 */
export function qualitySamples(peer: RTCPeerConnection, scheduler: SchedulerLike): Observable<QualitySample> {
  return mediaConnectionState$(peer).pipe(
    map((state) => state === 'connected' || state === 'completed'),
    distinctUntilChanged(),
    switchMap((connected) =>
      connected
        ? interval(sampleInterval, scheduler).pipe(
            exhaustMap(() => reading(peer)),
            startWith(undefined),
            pairwise(),
            map(([previous, current]) => sampleOf(previous, current!)),
          )
        : EMPTY,
    ),
  )
}
