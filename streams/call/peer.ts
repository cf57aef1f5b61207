import * as E from 'fp-ts/Either'
import { AsyncSubject, ReplaySubject, catchError, defer, filter, finalize, fromEvent, map, of, race, switchMap, take, throwError, timer, type Observable, type SchedulerLike } from 'rxjs'
import { parse } from 'sdp-transform'
import { asBasicError, BasicError, errorCodes } from '../errors.js'

/** A remote track and the stream the far end put it in. */
interface RemoteTrack {
  readonly track: MediaStreamTrack
  readonly stream: MediaStream | undefined
}

/** Turns an SDP into the one to use (the call's SDP pipeline for this step). */
type SdpStep = (sdp: string) => E.Either<BasicError, string>

/** One call's RTCPeerConnection and what the call feature does with it (the "lower layer" of calls.md §14.3). */
export type Peer = ReturnType<typeof createPeer>

/** ICE gathering: at most this long after the description was set (calls.md §14.2). */
const iceGatheringLimit = 3000

const unwrap = (result: E.Either<BasicError, string>): string => {
  if (E.isLeft(result)) throw result.left
  return result.right
}

/** Completes once gathering is complete (state or end-of-candidates), or after the limit. */
function gatheringDone(connection: RTCPeerConnection, scheduler: SchedulerLike): Observable<unknown> {
  return race(
    fromEvent(connection, 'icegatheringstatechange').pipe(filter(() => connection.iceGatheringState === 'complete')),
    fromEvent<RTCPeerConnectionIceEvent>(connection, 'icecandidate').pipe(filter((event) => event.candidate === null)),
    timer(iceGatheringLimit, scheduler),
  ).pipe(take(1))
}

/** True when every m-section that is not rejected (port 0) carries a candidate. */
const everySectionHasCandidates = (sdp: string): boolean => parse(sdp).media.every((media) => media.port === 0 || (media.candidates ?? []).length > 0)

/** Sets a local description and waits for gathering, listening before setting so no event is missed. */
function setLocalAndGather(connection: RTCPeerConnection, description: RTCSessionDescriptionInit, scheduler: SchedulerLike): Observable<unknown> {
  return defer(() => {
    const gathered = new AsyncSubject<unknown>()
    const watching = gatheringDone(connection, scheduler).subscribe(gathered)
    return defer(() => connection.setLocalDescription(description)).pipe(
      // Still `complete` from an earlier negotiation while a new m-section's transport has not gathered yet.
      switchMap(() => (connection.iceGatheringState === 'complete' && everySectionHasCandidates(connection.localDescription?.sdp ?? '') ? of(true) : gathered)),
      finalize(() => watching.unsubscribe()),
    )
  })
}

/**
 * Sets the last stable negotiation again, same SDPs (no ICE restart, no new track): Chromium's rollback leaves its media channels with the rolled-back
 * offer's directions (a rolled-back `inactive` hold sent nothing on separate audio and video transports until the next negotiation).
 */
async function replayStable(connection: RTCPeerConnection): Promise<void> {
  const stable = negotiated(connection)
  if (stable !== undefined) await replay(connection, stable)
}

/** The descriptions of a negotiation: ours and the far end's. */
export interface Negotiated {
  readonly ours: RTCSessionDescriptionInit
  readonly theirs: RTCSessionDescriptionInit
}

/** The last negotiation that completed, when the connection is stable (hosts without the current descriptions have none). */
function negotiated(connection: RTCPeerConnection): Negotiated | undefined {
  const local = connection.currentLocalDescription ?? undefined
  const remote = connection.currentRemoteDescription ?? undefined
  if (local === undefined || remote === undefined || connection.signalingState !== 'stable') return undefined
  return { ours: { type: local.type, sdp: local.sdp }, theirs: { type: remote.type, sdp: remote.sdp } }
}

/** Sets a negotiation's descriptions again, in its order (see replayStable); the connection must be stable. */
async function replay(connection: RTCPeerConnection, { ours, theirs }: Negotiated): Promise<void> {
  try {
    if (ours.type === 'offer') {
      await connection.setLocalDescription(ours)
      await connection.setRemoteDescription(theirs)
    } else {
      await connection.setRemoteDescription(theirs)
      await connection.setLocalDescription(ours)
    }
    // Replayed as the answerer, the video sender restarted with no frame encoded (see Peer.reattachSenders).
    await reattach(connection)
  } catch (error) {
    // A host that refuses the replay half way is put back to stable; the caller hears why.
    await rollbackPending(connection)
    throw error
  }
}

/** Sets each sender's own track again (see Peer.reattachSenders); a host that cannot keeps what it has. */
async function reattach(connection: RTCPeerConnection): Promise<void> {
  await Promise.all(
    connection.getSenders().map((sender) =>
      sender.track === null || typeof sender.replaceTrack !== 'function' ? undefined : sender.replaceTrack(sender.track).catch(() => undefined),
    ),
  )
}

/** Undoes the offer that was set and not answered, local or remote; false when there was none. */
async function rollbackPending(connection: RTCPeerConnection): Promise<boolean> {
  const state = connection.signalingState
  if (state === 'have-local-offer') await connection.setLocalDescription({ type: 'rollback' })
  else if (state === 'have-remote-offer') await connection.setRemoteDescription({ type: 'rollback' })
  else return false
  return true
}

/** A failed WebRTC step errors with a BasicError that says which step failed. */
const failsAs = <T>(what: string) =>
  catchError<T, Observable<never>>((error: unknown) => throwError(() => asBasicError(error, errorCodes.call.GENERIC_ERROR, what)))

/** A peer connection with the given configuration; `RTCPeerConnection` comes from the environment. */
export function createPeer(
  PeerConnection: typeof RTCPeerConnection,
  configuration: RTCConfiguration,
  scheduler: SchedulerLike,
) {
  const connection = new PeerConnection(configuration)
  const remoteTracks = new ReplaySubject<RemoteTrack>()
  const onTrack = (event: RTCTrackEvent): void => remoteTracks.next({ track: event.track, stream: event.streams[0] })
  connection.addEventListener('track', onTrack)

  return {
    connection,
    /** Every remote track, including those that arrived before subscribing. */
    remoteTracks$: remoteTracks.asObservable(),
    addLocal: (stream: MediaStream): void => {
      for (const track of stream.getTracks()) connection.addTrack(track, stream)
    },
    /**
     * Creates an offer or answer, `shape`s it, sets it, waits for ICE gathering (no trickle: calls.md §14.2), and emits the gathered SDP
     * after `finish` (idempotent fixes the browser drops from what it renders).
     */
    localDescription: (type: 'offer' | 'answer', shape: SdpStep, finish: SdpStep): Observable<string> =>
      defer(() => (type === 'offer' ? connection.createOffer() : connection.createAnswer())).pipe(
        map((created) => unwrap(shape(created.sdp ?? ''))),
        switchMap((sdp) => setLocalAndGather(connection, { type, sdp }, scheduler)),
        map(() => unwrap(finish(connection.localDescription?.sdp ?? ''))),
        failsAs(`The local ${type} could not be set`),
      ),
    /** Applies a remote description (already shaped). */
    remoteDescription: (type: 'offer' | 'answer', sdp: string): Observable<void> =>
      defer(() => connection.setRemoteDescription({ type, sdp })).pipe(failsAs(`The remote ${type} could not be applied`)),
    /** Undoes an offer that was set and not answered (local or remote), back to the last stable negotiation. */
    rollback: (): Observable<void> =>
      defer(async () => {
        if (await rollbackPending(connection)) await replayStable(connection)
      }).pipe(failsAs('The offer could not be rolled back')),
    /** The negotiation in force now (to `restore` later), when the connection is stable. */
    negotiated: (): Negotiated | undefined => negotiated(connection),
    /**
     * Back to `before` (what `negotiated` said before a remote offer was taken): the offer is rolled back while pending; once our answer was set too
     * (the far end never got it), `before` is set again.
     */
    restore: (before: Negotiated | undefined): Observable<void> =>
      defer(async () => {
        if (await rollbackPending(connection)) return replayStable(connection)
        if (before !== undefined && connection.currentRemoteDescription?.sdp !== before.theirs.sdp) await replay(connection, before)
      }).pipe(failsAs('The remote offer could not be undone')),
    /**
     * Sets each sender's own track again, which re-attaches without a renegotiation the source Chromium leaves detached after a rolled-back local offer
     * (a glare) is negotiated again (`sendrecv`, but no video frame encoded). A host that cannot (no `replaceTrack`, or it fails) keeps what it has.
     */
    reattachSenders: (): Observable<void> => defer(() => reattach(connection)),
    close: (): void => {
      connection.removeEventListener('track', onTrack)
      remoteTracks.complete()
      if (connection.signalingState !== 'closed') connection.close()
    },
  }
}
