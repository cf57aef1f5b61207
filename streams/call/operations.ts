import * as E from 'fp-ts/Either'
import { AsyncSubject, EMPTY, Observable, catchError, concatMap, defer, finalize, from, map, of, switchMap, tap, throwError, timeout } from 'rxjs'
import { httpStatusOf } from '../connection/request.js'
import { BasicError, errorCodes, isBasicError, shown } from '../errors.js'
import { checkMediaOptions } from '../media/constraints.js'
import type { CallContext, NegotiationTask } from './context.js'
import { checkTones, dtmfTiming, inBandQueue, playInBand } from './dtmf.js'
import { hasTelephoneEvent, inactivated, inferRemoteOperation, mediaFlowing, sdpSessionId, setupActiveAsActpass } from './inference.js'
import type { Peer } from './peer.js'
import { answerSession, updateSession, type CallScope } from './requests.js'
import { refusalOf, type Bandwidth, type CallRecord, type RemoteOperation, type ReofferOperation } from './state.js'
import { entryOf } from '../record.js'

// Mid-call operations (protocol/calls.md §7, §8, §13): hold, unhold, add and remove media (local
// re-offers), the answers to remote re-offers (with an SDP or slow start), replacing a track and
// DTMF. Every renegotiation of a call runs through its negotiation queue, one at a time.

/** How long a re-offer waits for the far end's answer before it fails (and is rolled back). */
export const reofferAnswerTimeout = 20_000
/** How long an operation that met glare (409) waits for the far end's offer before it fails. */
export const glareWait = 10_000

export interface MidCallCommands {
  /** Holds a call (state `On Hold`, `localHold`); outcome in `stateChanged`. */
  readonly hold: (callId: unknown) => void
  /** Takes a call off local hold; outcome in `stateChanged`. */
  readonly unhold: (callId: unknown) => void
  /** Adds audio and/or video to a Connected call; outcome in `newMedia` (and `trackAdded` for each track). */
  readonly addMedia: (callId: unknown, media: unknown, options?: unknown) => void
  /** Removes local tracks from a Connected call; outcome in `removedMedia` (and `trackEnded` for each track). */
  readonly removeMedia: (callId: unknown, trackIds: unknown, options?: unknown) => void
  /** Replaces a local track with a new one of the same kind, without renegotiation; outcome in `trackReplaced`. */
  readonly replaceTrack: (callId: unknown, trackId: unknown, media: unknown) => void
  /** Sends DTMF tones (out-of-band where negotiated, else in-band); outcome in `dtmfSent` (no public event). */
  readonly sendDtmf: (callId: unknown, tone: unknown, duration?: unknown, intertoneGap?: unknown) => void
}

export interface MidCallOperations {
  readonly commands: MidCallCommands
  /** A `wrtcsOfferNotification` for a live answered call: `sdp` undefined is a slow-start re-offer (§8.2). */
  readonly remoteOffer: (callId: string, sdp: string | undefined) => void
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

const asBasicError = (error: unknown, code: string = errorCodes.call.GENERIC_ERROR): BasicError =>
  isBasicError(error) ? error : new BasicError(code, error instanceof Error ? error.message : String(error))

/** `options.bandwidth` of addMedia / removeMedia: given kinds replace the call's (5000 when not a number), the rest stay. */
function bandwidthFor(options: unknown, current: Bandwidth): Bandwidth {
  if (!isRecord(options) || !isRecord(options.bandwidth)) return current
  const kbps = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 5000)
  return { audio: 'audio' in options.bandwidth ? kbps(options.bandwidth.audio) : current.audio, video: 'video' in options.bandwidth ? kbps(options.bandwidth.video) : current.video }
}

/** What a local re-offer does to the peer before its offer, and after the far end answered. */
interface ReofferPlan {
  readonly operation: ReofferOperation
  /** Changes the peer (directions, tracks); emits how to undo the change if the operation fails. */
  readonly prepare: (peer: Peer, call: CallRecord) => Observable<() => void>
  readonly bandwidth: (call: CallRecord) => Bandwidth
  /** After the answer was applied: the event that completes the operation (and any effect first). */
  readonly succeed: (call: CallRecord) => void
}

/** The mid-call operations of the call feature, over its context. */
export function createMidCallOperations(ctx: CallContext): MidCallOperations {
  const { logger, link, media } = ctx
  const scheduler = ctx.environment.scheduler

  const idOf = (callId: unknown): string => shown(callId)

  const where = (): CallScope => {
    const scope = ctx.scope()
    if (E.isLeft(scope)) throw scope.left
    return scope.right
  }

  const peerOf = (callId: string): Peer => {
    const peer = ctx.runtime(callId).peer
    if (peer === undefined) throw new BasicError(errorCodes.call.STATE_DESYNC, `Call ${callId} has no WebRTC session.`)
    return peer
  }

  /** The far end's last SDP that says what it wants (taken from the peer the first time). */
  const intentOf = (callId: string): string => {
    const runtime = ctx.runtime(callId)
    runtime.remoteIntent ??= runtime.peer?.connection.remoteDescription?.sdp
    return runtime.remoteIntent ?? ''
  }

  /**
   * The far end's answer to the offer we are about to send: registers at subscription, so
   * subscribe before sending; errors after `reofferAnswerTimeout`.
   */
  const answerFor = (callId: string): { readonly answer$: Observable<string>; readonly cancel: () => void } => {
    const runtime = ctx.runtime(callId)
    const answer = new AsyncSubject<string>()
    const receive = (sdp: string): void => {
      runtime.awaitingAnswer = undefined
      answer.next(sdp)
      answer.complete()
    }
    runtime.awaitingAnswer = receive
    const cancel = (): void => {
      if (runtime.awaitingAnswer === receive) runtime.awaitingAnswer = undefined
    }
    return {
      answer$: answer.pipe(
        timeout({
          first: reofferAnswerTimeout,
          scheduler,
          with: () => throwError(() => new BasicError(errorCodes.call.GENERIC_ERROR, `Call ${callId}: the far end did not answer the re-offer within ${reofferAnswerTimeout / 1000} s.`)),
        }),
        finalize(cancel),
      ),
      cancel,
    }
  }

  /** A local re-offer as a negotiation task: offer → PUT update → the answer; on glare (409) one retry after the remote offer. */
  const reoffer = (callId: string, plan: ReofferPlan): NegotiationTask => {
    const fail = (error: unknown): void => void ctx.dispatch({ type: 'reofferFailed', callId, operation: plan.operation, error: asBasicError(error) })
    const attempt =
      (retried: boolean): NegotiationTask =>
      () =>
        defer(() => {
          const call = ctx.callOf(callId)
          if (call === undefined || !ctx.isLive(callId) || call.operation !== plan.operation) return EMPTY
          const peer = peerOf(callId)
          const scope = where()
          const sessionId = call.wrtcsSessionId ?? ''
          intentOf(callId)
          let undo = (): void => undefined
          let waiter: ReturnType<typeof answerFor> | undefined
          return plan.prepare(peer, call).pipe(
            switchMap((undoing) => {
              undo = undoing
              return ctx.localSdp(peer, 'offer', plan.bandwidth(call))
            }),
            switchMap((offer) => {
              waiter = answerFor(callId)
              const { answer$ } = waiter
              return updateSession(link, scope, sessionId, offer).pipe(switchMap(() => answer$))
            }),
            switchMap((answer) => ctx.remoteSdp(peer, 'answer', answer, call.direction).pipe(map(() => answer))),
            tap((answer) => {
              if (plan.operation !== 'hold') ctx.runtime(callId).remoteIntent = answer
              plan.succeed(call)
            }),
            catchError((error: unknown) => {
              waiter?.cancel()
              return peer.rollback().pipe(
                catchError((rollbackError: unknown) => {
                  logger.warn(`Call ${callId}: could not roll back the ${plan.operation} offer`, rollbackError)
                  return of(undefined)
                }),
                tap(() => {
                  undo()
                  if (!ctx.isLive(callId)) return
                  if (!retried && httpStatusOf(error) === 409) {
                    logger.info(`Call ${callId}: ${plan.operation} met the far end's re-offer (glare); retrying once after it`)
                    ctx.runtime(callId).negotiation.retryAfterRemote(attempt(true), () => fail(error), glareWait)
                  } else fail(error)
                }),
              )
            }),
          )
        }).pipe(
          catchError((error: unknown) => {
            fail(error)
            return EMPTY
          }),
        )
    return attempt(false)
  }

  /** Queues a local re-offer; the request is checked when its turn comes (the call's state then). */
  const queueReoffer = (callId: unknown, plan: ReofferPlan, trackIds?: readonly string[]): void => {
    const id = idOf(callId)
    const task = reoffer(id, plan)
    const start: NegotiationTask = () =>
      defer(() => {
        const step = ctx.dispatch({ type: 'reofferRequested', callId: id, operation: plan.operation, ...(trackIds === undefined ? {} : { trackIds }) })
        return refusalOf(step) === undefined ? task() : EMPTY
      })
    if (ctx.callOf(id) === undefined || !ctx.isLive(id)) {
      start().subscribe()
      return
    }
    ctx.runtime(id).negotiation.local(start)
  }

  /** The transceivers still in use (a stopped one, e.g. of a failed addMedia, takes no direction). */
  const transceiversOf = (peer: Peer): RTCRtpTransceiver[] =>
    peer.connection.getTransceivers().filter((transceiver) => transceiver.direction !== 'stopped' && transceiver.currentDirection !== 'stopped')

  /** Sets directions, returning how to put the previous ones back. */
  const direct = (peer: Peer, direction: (transceiver: RTCRtpTransceiver) => RTCRtpTransceiverDirection): (() => void) => {
    const previous = transceiversOf(peer).map((transceiver) => [transceiver, transceiver.direction] as const)
    for (const [transceiver] of previous) transceiver.direction = direction(transceiver)
    return () => {
      for (const [transceiver, was] of previous) if (transceiver.direction !== 'stopped' && transceiver.currentDirection !== 'stopped') transceiver.direction = was
    }
  }

  const transceiverOf = (peer: Peer, sender: RTCRtpSender): RTCRtpTransceiver => {
    const found = peer.connection.getTransceivers().find((transceiver) => transceiver.sender === sender)
    if (found === undefined) throw new BasicError(errorCodes.call.STATE_DESYNC, 'A sender without its transceiver.')
    return found
  }

  /** Our wish when not holding: send what we have a track for, receive everything; a spare transceiver (never negotiated, no track) stays inactive. */
  const openDirection = (transceiver: RTCRtpTransceiver): RTCRtpTransceiverDirection =>
    transceiver.sender.track !== null ? 'sendrecv' : transceiver.mid === null ? 'inactive' : 'recvonly'

  // ── Hold and unhold (§7)

  const hold = (callId: unknown): void =>
    queueReoffer(callId, {
      operation: 'hold',
      prepare: (peer) => of(direct(peer, () => 'inactive')),
      bandwidth: (call) => call.bandwidth,
      succeed: (call) => void ctx.dispatch({ type: 'reofferAnswered', callId: call.id, operation: 'hold' }),
    })

  const unhold = (callId: unknown): void =>
    queueReoffer(callId, {
      operation: 'unhold',
      prepare: (peer) => of(direct(peer, openDirection)),
      bandwidth: (call) => call.bandwidth,
      succeed: (call) => void ctx.dispatch({ type: 'reofferAnswered', callId: call.id, operation: 'unhold' }),
    })

  // ── Add and remove media (§7)

  const addMedia = (callId: unknown, mediaOptions: unknown, options?: unknown): void => {
    const id = idOf(callId)
    const checked = checkMediaOptions(mediaOptions ?? {})
    let added: MediaStream | undefined
    queueReoffer(id, {
      operation: 'addMedia',
      prepare: (peer) => {
        if (E.isLeft(checked)) return throwError(() => checked.left)
        return media.commands.userMedia(checked.right).pipe(
          map((stream) => {
            if (!ctx.isLive(id)) {
              stream.getTracks().forEach((track) => track.stop())
              throw new BasicError(errorCodes.call.INVALID_STATE, `Call ${id} ended while its new media was being acquired.`)
            }
            added = stream
            media.commands.addMedia(stream.id, true, stream.getTracks())
            const senders = stream.getTracks().map((track) => peer.connection.addTrack(track, stream))
            // addTrack may reuse a spare transceiver (`inactive`, see below): we also want to receive on it.
            for (const sender of senders) transceiverOf(peer, sender).direction = 'sendrecv'
            for (const track of stream.getTracks()) ctx.dispatch({ type: 'trackAdded', callId: id, trackId: track.id, local: true })
            return () => {
              // Not stop(): Chromium then negotiates the stopped, never-negotiated transceiver (with
              // its dead track) in the next offer. A spare one without track stays `inactive` until
              // the next addTrack of its kind reuses it.
              for (const sender of senders) {
                const transceiver = transceiverOf(peer, sender)
                peer.connection.removeTrack(sender)
                transceiver.direction = 'inactive'
              }
              const trackIds = stream.getTracks().map((track) => track.id)
              media.commands.endTracks(trackIds, true)
              for (const trackId of trackIds) ctx.dispatch({ type: 'trackRemoved', callId: id, trackId, local: true })
            }
          }),
        )
      },
      bandwidth: (call) => bandwidthFor(options, call.bandwidth),
      succeed: (call) =>
        void ctx.dispatch({
          type: 'reofferAnswered',
          callId: call.id,
          operation: 'addMedia',
          trackIds: added?.getTracks().map((track) => track.id) ?? [],
          mediaId: added?.id,
          bandwidth: bandwidthFor(options, call.bandwidth),
        }),
    })
  }

  const removeMedia = (callId: unknown, trackIds: unknown, options?: unknown): void => {
    const ids = Array.isArray(trackIds) ? trackIds.map(shown) : []
    queueReoffer(
      callId,
      {
        operation: 'removeMedia',
        prepare: (peer) =>
          defer(() => {
            const removed = peer.connection.getTransceivers().filter((transceiver) => transceiver.sender.track !== null && ids.includes(transceiver.sender.track.id))
            const kept = removed.map((transceiver) => ({ transceiver, track: transceiver.sender.track as MediaStreamTrack, direction: transceiver.direction }))
            for (const { transceiver } of kept) peer.connection.removeTrack(transceiver.sender)
            return of(() => {
              for (const { transceiver, track, direction } of kept) {
                transceiver.direction = direction
                void transceiver.sender.replaceTrack(track).catch((error: unknown) => logger.warn('Could not restore a track', error))
              }
            })
          }),
        bandwidth: (call) => bandwidthFor(options, call.bandwidth),
        succeed: (call) => {
          media.commands.endTracks(ids, true)
          for (const trackId of ids) ctx.dispatch({ type: 'trackRemoved', callId: call.id, trackId, local: true })
          ctx.dispatch({ type: 'reofferAnswered', callId: call.id, operation: 'removeMedia', trackIds: ids, bandwidth: bandwidthFor(options, call.bandwidth) })
        },
      },
      Array.isArray(trackIds) ? ids : [],
    )
  }

  // ── Remote re-offers (§8)

  /** Remote tracks the far end no longer sends (it removed them): they end in the call and the media feature. */
  const endUnreceivedTracks = (callId: string, peer: Peer): void => {
    const call = ctx.callOf(callId)
    if (call === undefined) return
    for (const transceiver of peer.connection.getTransceivers()) {
      const trackId = transceiver.receiver.track.id
      const receiving = transceiver.currentDirection === 'sendrecv' || transceiver.currentDirection === 'recvonly'
      if (receiving || !call.remoteTracks.includes(trackId)) continue
      media.commands.endTracks([trackId], false)
      ctx.dispatch({ type: 'trackRemoved', callId, trackId, local: false })
    }
  }

  /**
   * A new peer connection in place of the call's current one (the far end changed, or a
   * slow-start re-offer): local tracks move over, the old remote tracks end.
   */
  const recreatePeer = (callId: string): Observable<Peer> =>
    ctx.iceServers().pipe(
      map((servers) => {
        const runtime = ctx.runtime(callId)
        const call = ctx.callOf(callId)
        if (call === undefined || !ctx.isLive(callId)) throw new BasicError(errorCodes.call.INVALID_STATE, `Call ${callId} ended.`)
        const old = runtime.peer
        const tracks = (old?.connection.getSenders() ?? []).flatMap((sender) => (sender.track === null ? [] : [sender.track]))
        old?.close()
        for (const trackId of call.remoteTracks) {
          media.commands.endTracks([trackId], false)
          ctx.dispatch({ type: 'trackRemoved', callId, trackId, local: false })
        }
        const peer = ctx.newPeer(callId, call.webrtcSessionId, servers)
        const stream = runtime.localStream
        for (const track of tracks) peer.connection.addTrack(track, ...(stream?.getTracks().includes(track) === true ? [stream] : []))
        if (call.localHold === true) direct(peer, () => 'inactive')
        return peer
      }),
    )

  /** §8.1: a re-offer with an SDP, answered with `PUT .../answer`. */
  const answerRemoteOffer =
    (callId: string, offer: string): NegotiationTask =>
    () =>
      defer(() => {
        const call = ctx.callOf(callId)
        if (call === undefined || !ctx.isLive(callId)) return EMPTY
        const current = peerOf(callId)
        const scope = where()
        let operation: RemoteOperation = inferRemoteOperation(intentOf(callId), offer)
        if (operation === 'unknown' && call.remoteHold === true && mediaFlowing(offer)) operation = 'unhold'
        const shaped = setupActiveAsActpass(call.localHold === true && mediaFlowing(offer) ? inactivated(offer) : offer)
        const previous = current.connection.remoteDescription?.sdp
        const farEndChanged = previous !== undefined && sdpSessionId(previous) !== sdpSessionId(offer)
        let used: Peer = current
        return (farEndChanged ? recreatePeer(callId) : of(current)).pipe(
          concatMap((peer) => {
            used = peer
            return ctx.remoteSdp(peer, 'offer', shaped, call.direction).pipe(concatMap(() => ctx.localSdp(peer, 'answer', call.bandwidth)))
          }),
          concatMap((answer) => answerSession(link, scope, call.wrtcsSessionId ?? '', answer)),
          tap(() => {
            ctx.runtime(callId).remoteIntent = offer
            if (operation === 'removeMedia' || operation === 'stopMusicOnHold') endUnreceivedTracks(callId, used)
            ctx.dispatch({ type: 'remoteOfferAnswered', callId, operation })
          }),
          catchError((error: unknown) =>
            used.rollback().pipe(
              catchError(() => of(undefined)),
              tap(() => ctx.dispatch({ type: 'remoteOfferFailed', callId, operation, error: asBasicError(error) })),
            ),
          ),
        )
      })

  /** §8.2: a slow-start re-offer: a new peer connection, our offer sent as the answer, then the far end's answer. */
  const offerForSlowStart =
    (callId: string): NegotiationTask =>
    () =>
      defer(() => {
        const call = ctx.callOf(callId)
        if (call === undefined || !ctx.isLive(callId)) return EMPTY
        const scope = where()
        const previous = intentOf(callId)
        let operation: RemoteOperation = 'unknown'
        return recreatePeer(callId).pipe(
          concatMap((peer) =>
            ctx.localSdp(peer, 'offer', undefined).pipe(
              concatMap((offer) => {
                const { answer$ } = answerFor(callId)
                return answerSession(link, scope, call.wrtcsSessionId ?? '', offer).pipe(concatMap(() => answer$))
              }),
              concatMap((answer) => {
                const localHold = ctx.callOf(callId)?.localHold === true
                operation = inferRemoteOperation(previous, answer)
                if (operation === 'unknown' && call.remoteHold === true && mediaFlowing(answer)) operation = 'unhold'
                const used = operation === 'unhold' && localHold ? inactivated(answer) : answer
                return ctx.remoteSdp(peer, 'answer', used, call.direction).pipe(
                  tap(() => {
                    if (!localHold) ctx.runtime(callId).remoteIntent = answer
                    ctx.dispatch({ type: 'remoteOfferAnswered', callId, operation })
                  }),
                )
              }),
            ),
          ),
          catchError((error: unknown) => {
            ctx.dispatch({ type: 'remoteOfferFailed', callId, operation, error: asBasicError(error) })
            return EMPTY
          }),
        )
      })

  const remoteOffer = (callId: string, sdp: string | undefined): void => {
    const task = sdp === undefined ? offerForSlowStart(callId) : answerRemoteOffer(callId, sdp)
    ctx.runtime(callId).negotiation.remote(() =>
      task().pipe(
        catchError((error: unknown) => {
          ctx.dispatch({ type: 'remoteOfferFailed', callId, operation: 'unknown', error: asBasicError(error) })
          return EMPTY
        }),
      ),
    )
  }

  // ── Replace a track (§13)

  const replaceTrack = (callId: unknown, trackId: unknown, mediaOptions: unknown): void => {
    const id = idOf(callId)
    const oldTrackId = shown(trackId)
    const fail = (error: unknown): void => void ctx.dispatch({ type: 'replaceFailed', callId: id, trackId: oldTrackId, error: asBasicError(error) })
    const start: NegotiationTask = () =>
      defer(() => {
        if (refusalOf(ctx.dispatch({ type: 'replaceRequested', callId: id, trackId: oldTrackId })) !== undefined) return EMPTY
        const checked = checkMediaOptions(mediaOptions ?? {})
        if (E.isLeft(checked)) throw checked.left
        const peer = peerOf(id)
        const sender = peer.connection.getSenders().find((candidate) => candidate.track?.id === oldTrackId)
        if (sender === undefined || sender.track === null) throw new BasicError(errorCodes.call.STATE_DESYNC, `Track ${oldTrackId} is not sent on call ${id}.`)
        const old = sender.track
        return media.commands.userMedia(checked.right).pipe(
          concatMap((stream) => {
            const replacement = stream.getTracks().find((track) => track.kind === old.kind)
            if (replacement === undefined || stream.getTracks().length !== 1) {
              stream.getTracks().forEach((track) => track.stop())
              throw new BasicError(errorCodes.call.USER_MEDIA_ERROR, `Track ${oldTrackId} is ${old.kind}: the replacement must be one ${old.kind} track (media asked for ${stream.getTracks().map((track) => track.kind).join(' and ')}).`)
            }
            return from(sender.replaceTrack(replacement)).pipe(
              catchError((error: unknown) => {
                replacement.stop()
                return throwError(() => asBasicError(error))
              }),
              tap(() => {
                if (!ctx.isLive(id)) {
                  replacement.stop()
                  return
                }
                const runtime = ctx.runtime(id)
                if (runtime.localStream?.getTracks().includes(old) === true) {
                  runtime.localStream.removeTrack(old)
                  runtime.localStream.addTrack(replacement)
                }
                media.commands.addMedia(stream.id, true, [replacement])
                media.commands.endTracks([oldTrackId], true)
                ctx.dispatch({ type: 'trackReplaced', callId: id, oldTrackId, newTrackId: replacement.id, oldTrack: entryOf(media.current().tracks, oldTrackId) })
              }),
            )
          }),
        )
      }).pipe(
        catchError((error: unknown) => {
          fail(error)
          return EMPTY
        }),
      )
    if (!ctx.isLive(id)) {
      start().subscribe()
      return
    }
    ctx.runtime(id).negotiation.local(start)
  }

  // ── DTMF (§13): no public event, success or failure; the outcome is logged and in `dtmfSent`

  /** Each call's queue of in-band sequences, owned by the call. */
  const inBandQueues = new Map<string, ReturnType<typeof inBandQueue>>()
  const inBandOf = (id: string): ReturnType<typeof inBandQueue> => {
    const known = inBandQueues.get(id)
    if (known !== undefined) return known
    const queue = inBandQueue()
    inBandQueues.set(id, queue)
    ctx.own(id, queue.queued$.pipe(finalize(() => inBandQueues.delete(id))))
    return queue
  }

  const sendDtmf = (callId: unknown, tone: unknown, duration?: unknown, intertoneGap?: unknown): void => {
    const id = idOf(callId)
    const tones = typeof tone === 'string' ? tone : ''
    const report = (inBand: boolean, error?: BasicError): void => {
      if (error !== undefined) logger.error(`Call ${id}: DTMF not sent (${error.code}): ${error.message}`)
      ctx.dispatch({ type: 'dtmfSent', callId: id, tones, inBand, ...(error === undefined ? {} : { error }) })
    }
    const checked = checkTones(tone)
    if (E.isLeft(checked)) return report(false, checked.left)
    const timing = dtmfTiming(duration, intertoneGap)
    if (E.isLeft(timing)) return report(false, timing.left)
    const refusal = refusalOf(ctx.dispatch({ type: 'dtmfRequested', callId: id, tones }))
    if (refusal !== undefined) return logger.error(`Call ${id}: DTMF not sent (${refusal.code}): ${refusal.message}`)
    const peer = ctx.runtime(id).peer
    const sender = peer?.connection.getSenders().find((candidate) => candidate.track?.kind === 'audio')
    if (peer === undefined || sender === undefined) return report(false, new BasicError(errorCodes.call.GENERIC_ERROR, `Call ${id} sends no audio: no DTMF.`))
    const remote = peer.connection.remoteDescription?.sdp ?? ''
    // Some WebRTC stacks (Node's) have no RTCDTMFSender at all.
    const dtmf = sender.dtmf as RTCDTMFSender | null | undefined
    if (hasTelephoneEvent(remote) && dtmf?.canInsertDTMF === true) {
      try {
        dtmf.insertDTMF(checked.right, timing.right.duration, timing.right.gap)
        return report(false)
      } catch (error) {
        return report(false, asBasicError(error))
      }
    }
    ctx.own(
      id,
      inBandOf(id).play(playInBand(ctx.environment, sender, checked.right, timing.right, scheduler)).pipe(
        tap({ complete: () => report(true) }),
        catchError((error: unknown) => {
          report(true, asBasicError(error))
          return EMPTY
        }),
      ),
    )
  }

  return { commands: { hold, unhold, addMedia, removeMedia, replaceTrack, sendDtmf }, remoteOffer }
}
