import { EMPTY, type Observable, type SchedulerLike, catchError, distinctUntilChanged, exhaustMap, from, interval, map, pairwise, startWith, switchMap } from 'rxjs'
import { receives } from '../inference.js'
import { mediaConnectionState$ } from '../media-connection.js'
import { readingOf, sampleOf, type QualitySample, type ReadingContext, type StatsReading } from './reading.js'

/** How often a connected call's stats are sampled (ms). */
const sampleInterval = 1000

/** What the peer connection expects now: the kinds the far end has agreed to send, and whether a live microphone is sent. */
function contextOf(peer: RTCPeerConnection): ReadingContext {
  const received = peer.getTransceivers().flatMap((transceiver) => (receives(transceiver.currentDirection) ? [transceiver.receiver.track.kind] : []))
  const microphone = peer.getSenders().some(({ track }) => track?.kind === 'audio' && track.readyState === 'live' && track.enabled)
  return { receiving: (['audio', 'video'] as const).filter((kind) => received.includes(kind)), microphone }
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
