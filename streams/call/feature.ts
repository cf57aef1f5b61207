import * as E from 'fp-ts/Either'
import type * as t from 'io-ts'
import {
  BehaviorSubject,
  EMPTY,
  Observable,
  Subject,
  Subscription,
  catchError,
  concatMap,
  defaultIfEmpty,
  defer,
  distinctUntilChanged,
  expand,
  filter,
  forkJoin,
  from,
  map,
  merge,
  of,
  switchMap,
  takeWhile,
  tap,
  throwError,
  timer,
} from 'rxjs'
import type { ConfigFeature } from '../config/feature.js'
import { peerConfiguration } from '../config/peer.js'
import type { Config, SdpHandlerFunction, SdpHandlerInfo } from '../config/state.js'
import { describeDecodeErrors } from '../connection/decode.js'
import type { InboundNotification, PlatformLink } from '../connection/link.js'
import type { Environment } from '../environment.js'
import { BasicError, errorCodes, isBasicError, shown } from '../errors.js'
import type { Feature } from '../feature.js'
import type { Logs } from '../logs/logger.js'
import type { MediaFeature } from '../media/feature.js'
import type { TurnCredentials } from '../subscription/codecs.js'
import {
  AnswerNotification,
  EventNotification,
  OfferNotification,
  SessionInvitationNotification,
  callNotifications,
  isCallNotificationKind,
  notifiedSessionId,
  sessionIdOf,
  type CallNotificationKind,
  type Link,
  type MaybeSdp,
} from './codecs.js'
import type { CallContext, CallRuntime } from './context.js'
import { displayAddress, normalizeDestination } from './destination.js'
import { createJoin, withJoins, type JoinCommands } from './join.js'
import { createNegotiation } from './negotiation.js'
import { mediaConnectionFacts, withMediaConnection } from './media-connection.js'
import { createMidCallOperations, type MidCallCommands } from './operations.js'
import { createPeer, type Peer } from './peer.js'
import { createCallQuality, type CallQualityFeature } from './quality/store.js'
import { answerSession, createSession, endSession, reportStatus, type CallScope } from './requests.js'
import { applyBandwidth, dtlsRoleFix, localFixes, sdpHandlersOf, shapeSdp } from './sdp.js'
import {
  callBySession,
  callsReducer,
  initialCallsState,
  isTerminal,
  refusalOf,
  toCallObject,
  type Bandwidth,
  type CallEvent,
  type CallObject,
  type CallOutput,
  type CallRecord,
  type CallsState,
  type CallsStep,
  type Transition,
} from './state.js'
import { createTransfer, withTransfers, type TransferCommands } from './transfer.js'
import { entryOf } from '../record.js'

export interface CallDeps {
  readonly config: ConfigFeature
  readonly environment: Environment
  readonly logs: Logs
  readonly link: PlatformLink
  readonly media: MediaFeature
  /** TURN credentials of the `call` subscription (`streams/subscription`, calls.md §2). */
  readonly subscription: {
    readonly current: () => { readonly turnCredentials: TurnCredentials | undefined }
    readonly commands: { readonly fetchTurnCredentials: () => Observable<TurnCredentials> }
  }
}

export interface CallCommands extends MidCallCommands, TransferCommands, JoinCommands {
  /** Places a call; returns its id at once. Outcome: `callStarted`, or `stateChanged` with an error (call `Ended`). */
  readonly make: (destination: unknown, media: unknown, options?: unknown) => string
  /** Answers an incoming ringing call. Outcome: `stateChanged` (Connected, or the error). */
  readonly answer: (callId: unknown, media: unknown, options?: unknown) => void
  /** Rejects an incoming ringing call (the caller is told). */
  readonly reject: (callId: unknown) => void
  /** Ends an incoming ringing call locally only (the caller keeps ringing). */
  readonly ignore: (callId: unknown) => void
  /** Ends a call in any state but a terminal one (before the answer: cancels it). */
  readonly end: (callId: unknown) => void
  /** Reports the call's (or one track's) RTCStatsReport in `statsReceived`. */
  readonly getStats: (callId: unknown, trackId?: unknown) => void
}

export interface CallFeature extends Feature<CallsState, CallOutput, CallCommands> {
  /** Hot; every call of this client as CallObjects, in creation order. */
  readonly calls$: Observable<readonly CallObject[]>
  /** Hot; the error of each call notification that failed its codec and names no call of this client (nothing changed). */
  readonly droppedNotifications$: Observable<BasicError>
  /** Each call's quality (sampled every second while its media is connected) and its warnings as they rise and clear. */
  readonly quality: Pick<CallQualityFeature, 'quality$' | 'warnings$' | 'current'>
  readonly current: () => CallsState
  readonly dispose: () => void
}

/** The call machine with consultative transfers, joined calls and media connection states around it. */
const reduce = withMediaConnection(withJoins(withTransfers(callsReducer)))

/** How often a connected call confirms its session, and how soon after a failed round (calls.md §12). */
export const auditInterval = 25_000
export const auditRetry = 5_000
/** Notifications for a session this client does not know yet (its create response is still on its way) wait this long. */
const unmatchedLifetime = 10_000

const defaultBandwidth = 5000
const auditFailure: Transition = { statusCode: 9909, reasonText: 'Call has ended due to call audit failure.' }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Why a decoded call notification still cannot be used, or undefined: no session in its link, or
 * an SDP that is no SDP where nothing would report it (an invitation, or a session not ours: an
 * answer that fails on a call of ours ends that call with the error, notifications.md §4.2).
 */
const unusable = (notification: { readonly link: readonly Link[]; readonly offer?: MaybeSdp; readonly answer?: MaybeSdp }, known: (sessionId: string) => boolean, invitation: boolean): string | undefined => {
  const sessionId = notifiedSessionId(notification.link)
  if (sessionId === undefined) return 'link[0].href names no session'
  const sdp = notification.offer?.sdp ?? notification.answer?.sdp
  if (sdp === undefined || sdp.startsWith('v=') || (!invitation && known(sessionId))) return undefined
  return 'the SDP does not start with v='
}

/** `options.bandwidth` → both kinds in kbps; a missing or non-numeric value is 5000 (calls.md §14.1). */
export function bandwidthOf(options: unknown): Bandwidth {
  const bandwidth = isRecord(options) && isRecord(options.bandwidth) ? options.bandwidth : {}
  const kbps = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : defaultBandwidth)
  return { audio: kbps(bandwidth.audio), video: kbps(bandwidth.video) }
}

const asBasicError = (error: unknown, code: string = errorCodes.call.GENERIC_ERROR): BasicError =>
  isBasicError(error) ? (error as BasicError) : new BasicError(code, error instanceof Error ? error.message : String(error))

/** Calls: making, receiving, answering and ending WebRTC calls through the platform. */
export function createCall({ config, environment, logs, link, media, subscription }: CallDeps): CallFeature {
  const logger = logs.logger('call')
  const state = new BehaviorSubject<CallsState>(initialCallsState)
  const outputs = new Subject<CallOutput>()
  const dropped = new Subject<BasicError>()
  const running = new Subscription()
  const runtimes = new Map<string, CallRuntime>()
  const replay = new Subject<InboundNotification>()
  let unmatched: Array<{ readonly notification: InboundNotification; readonly sessionId: string; readonly at: number }> = []
  /** Remote tracks that arrived before their (incoming) call was created. */
  const pendingRemote = new Map<string, string[]>()
  const quality = createCallQuality({ thresholds: () => config.current().call.qualityThresholds, scheduler: environment.scheduler, logger })

  const now = (): number => environment.scheduler.now()
  const callOf = (callId: string): CallRecord | undefined => entryOf(state.getValue().calls, callId)
  const isLive = (callId: string): boolean => {
    const call = callOf(callId)
    return call !== undefined && !isTerminal(call.state)
  }

  const dispatch = (event: CallEvent): CallsStep => {
    const previous = state.getValue()
    const step = reduce(previous, event)
    logger.action(event, previous, step.state)
    if (step.state !== previous) state.next(step.state)
    for (const output of step.outputs) outputs.next(output)
    if (event.type === 'sessionCreated') replayFor(event.sessionId)
    return step
  }

  const runtime = (callId: string): CallRuntime => {
    let found = runtimes.get(callId)
    if (found === undefined) {
      const id = callId
      found = {
        peer: undefined,
        localStream: undefined,
        effects: new Subscription(),
        negotiation: createNegotiation((error) => logger.error(`Call ${id}: a renegotiation failed`, error), environment.scheduler),
        awaitingAnswer: undefined,
        remoteIntent: undefined,
      }
      runtimes.set(callId, found)
    }
    return found
  }

  /** Subscribes an effect of a call; it stops when the call's media is released (or on dispose). */
  const own = (callId: string, effect: Observable<unknown>): void => {
    const call = callOf(callId)
    if (call !== undefined && isTerminal(call.state)) return
    const effects = runtime(callId).effects
    effects.add(effect.subscribe({ error: (error: unknown) => logger.error(`Call ${callId}: an effect failed`, error) }))
  }

  /** Stops a call's local media, closes its peer connection and stops its effects; `call` is the record before it ended. */
  const release = (callId: string, call: CallRecord | undefined = callOf(callId)): void => {
    const found = runtimes.get(callId)
    pendingRemote.delete(callId)
    if (call !== undefined) {
      media.commands.endTracks(call.localTracks, true)
      media.commands.endTracks(call.remoteTracks, false)
    }
    if (found === undefined) return
    runtimes.delete(callId)
    found.negotiation.dispose()
    found.awaitingAnswer = undefined
    found.localStream?.getTracks().forEach((track) => track.stop())
    found.peer?.close()
    found.effects.unsubscribe()
  }

  const scope = (): E.Either<BasicError, CallScope> => {
    const user = link.user()
    const current = config.current()
    return user === undefined
      ? E.left(new BasicError(errorCodes.call.INVALID_STATE, 'No user: set the tokens (and subscribe to the call service) first.'))
      : E.right({ version: current.authentication.server.version, userId: user.username, clientCorrelator: current.authentication.clientCorrelator })
  }

  // ── ICE servers (calls.md §2)

  const configuredServers = (): readonly NonNullable<Config['call']['iceServers']>[number][] => {
    const servers = config.current().call.iceServers
    return Array.isArray(servers) ? servers : []
  }

  /**
   * The configured ICE servers, with the platform's TURN credentials when `serverTurnCredentials`;
   * credentials the subscription could not fetch are fetched again now (calls.md §2 recommendation).
   */
  const iceServers = (): Observable<RTCIceServer[]> => {
    const servers = configuredServers()
    const plain = (): RTCIceServer[] => servers.map((server) => ({ ...server, urls: typeof server.urls === 'string' ? server.urls : [...server.urls] }))
    const withCredentials = (credentials: TurnCredentials): RTCIceServer[] =>
      plain().map((server) => ({ urls: server.urls, username: credentials.username, credential: credentials.password }))
    if (!config.current().call.serverTurnCredentials || servers.length === 0) return of(plain())
    const known = subscription.current().turnCredentials
    if (known !== undefined) return of(withCredentials(known))
    return subscription.commands.fetchTurnCredentials().pipe(
      map(withCredentials),
      defaultIfEmpty([]),
      catchError((error: unknown) => {
        logger.warn('Could not fetch TURN credentials; the call has no ICE servers', error)
        return of([])
      }),
    )
  }

  // ── The SDP pipeline of one step of one call (calls.md §14.3)

  const handlers = (): readonly SdpHandlerFunction[] => sdpHandlersOf(config.current().call)

  /** Registers a remote track; tracks of a call not created yet wait for it (its invitation is being handled). */
  const remoteTrackArrived = (callId: string, track: MediaStreamTrack, stream: MediaStream | undefined): void => {
    media.commands.addMedia(stream?.id ?? track.id, false, [track])
    if (callOf(callId) !== undefined) dispatch({ type: 'trackAdded', callId, trackId: track.id, local: false })
    else pendingRemote.set(callId, [...(pendingRemote.get(callId) ?? []), track.id])
  }

  const newPeer = (callId: string, webrtcSessionId: string, servers: RTCIceServer[]): Peer => {
    const PeerConnection = environment.RTCPeerConnection
    if (PeerConnection === undefined) throw new BasicError(errorCodes.call.NOT_SUPPORTED, 'This environment has no RTCPeerConnection.')
    // call.defaultPeerConfig was checked by the config codec when the app set it.
    const peer = createPeer(webrtcSessionId, PeerConnection, peerConfiguration(config.current().call.defaultPeerConfig, servers), environment.scheduler)
    runtime(callId).peer = peer
    own(callId, peer.remoteTracks$.pipe(tap(({ track, stream }) => remoteTrackArrived(callId, track, stream))))
    own(callId, mediaConnectionFacts(callId, peer.connection, () => runtimes.get(callId)?.peer === peer).pipe(tap(dispatch)))
    own(callId, quality.watch(callId, peer.connection))
    return peer
  }

  const localSdp = (peer: Peer, type: 'offer' | 'answer', bandwidth: Bandwidth | undefined): Observable<string> => {
    const info: SdpHandlerInfo = bandwidth === undefined ? { type, endpoint: 'local' } : { type, endpoint: 'local', bandwidth }
    const code = type === 'offer' ? errorCodes.call.INVALID_OFFER : errorCodes.call.GENERIC_ERROR
    return peer.localDescription(
      type,
      (sdp) => shapeSdp(sdp, info, [localFixes, ...handlers()], code),
      (sdp) => shapeSdp(sdp, info, [localFixes, applyBandwidth], code),
    )
  }

  const remoteSdp = (peer: Peer, type: 'offer' | 'answer', sdp: string, direction: 'outgoing' | 'incoming'): Observable<void> => {
    const info: SdpHandlerInfo = { type, endpoint: 'remote' }
    const fixes = type === 'answer' ? [dtlsRoleFix(direction === 'outgoing' ? 'passive' : 'active')] : []
    const shaped = shapeSdp(sdp, info, [...handlers(), ...fixes])
    return E.isLeft(shaped) ? throwError(() => shaped.left) : peer.remoteDescription(type, shaped.right)
  }

  /** Acquires local media for a call, registers it and adds it to the peer (when there is one). */
  const localMedia = (callId: string, options: unknown): Observable<MediaStream> =>
    media.commands.userMedia(options).pipe(
      map((stream) => {
        if (!isLive(callId)) {
          stream.getTracks().forEach((track) => track.stop())
          throw new BasicError(errorCodes.call.INVALID_STATE, `Call ${callId} ended while its media was being acquired.`)
        }
        runtime(callId).localStream = stream
        media.commands.addMedia(stream.id, true, stream.getTracks())
        for (const track of stream.getTracks()) dispatch({ type: 'trackAdded', callId, trackId: track.id, local: true })
        return stream
      }),
    )

  // ── Mid-call operations (calls.md §7, §8, §13), in their own module over the feature's context

  const context: CallContext = {
    config,
    environment,
    logger,
    link,
    media,
    now,
    dispatch,
    callOf,
    isLive,
    runtime,
    own,
    scope,
    iceServers,
    newPeer,
    localSdp,
    remoteSdp,
  }
  const operations = createMidCallOperations(context)
  const transfer = createTransfer(context)

  // ── Audits (calls.md §12)

  const startAudit = (callId: string): void => {
    const where = scope()
    const sessionId = callOf(callId)?.wrtcsSessionId
    if (E.isLeft(where) || sessionId === undefined) return
    /** One round after `delay`: emits the delay of the next round, 0 when the platform closed the session. */
    const round = (delay: number): Observable<number> =>
      timer(delay, environment.scheduler).pipe(
        takeWhile(() => isLive(callId)),
        switchMap(() =>
          reportStatus(link, where.right, sessionId, 'Connected').pipe(
            map((status) => (status === 'Closed' ? 0 : auditInterval)),
            catchError(() => of(auditRetry)),
          ),
        ),
      )
    own(
      callId,
      round(auditInterval).pipe(
        expand((delay) => (delay === 0 ? EMPTY : round(delay))),
        filter((delay) => delay === 0 && isLive(callId)),
        tap(() => {
          logger.warn(`Call ${callId}: the platform no longer knows its session; ending it`)
          release(callId)
          dispatch({ type: 'remoteEnded', callId, at: now(), transition: auditFailure })
        }),
      ),
    )
  }

  // ── Commands

  const make = (destination: unknown, mediaOptions: unknown, options?: unknown): string => {
    const callId = environment.randomId()
    const webrtcSessionId = environment.randomId()
    const user = link.user()
    const callConfig = config.current().call
    const address =
      typeof destination !== 'string' || destination.trim() === ''
        ? undefined
        : callConfig.normalizeDestination === false
          ? destination.trim()
          : normalizeDestination(destination, user?.domain)
    const bandwidth = bandwidthOf(options)
    dispatch({
      type: 'callMade',
      callId,
      webrtcSessionId,
      from: user?.username,
      to: address ?? shown(destination),
      remoteParticipant: { displayNumber: address === undefined ? undefined : displayAddress(address), displayName: undefined },
      bandwidth,
      mediaConstraints: isRecord(mediaOptions) ? mediaOptions : {},
    })
    const fail = (error: BasicError): void => {
      release(callId)
      dispatch({ type: 'callFailed', callId, error, at: now() })
    }
    if (address === undefined) {
      fail(new BasicError(errorCodes.call.INVALID_PARAM, 'The destination must be a non-empty string (a user id or a phone number).'))
      return callId
    }
    if (callConfig.sdpSemantics === 'plan-b') {
      fail(new BasicError(errorCodes.call.NOT_SUPPORTED, 'sdpSemantics "plan-b" is no longer supported by browsers; use "unified-plan".'))
      return callId
    }
    const where = scope()
    if (E.isLeft(where)) {
      fail(where.left)
      return callId
    }
    const displayName = isRecord(options) && typeof options.displayName === 'string' && options.displayName !== '' ? options.displayName : undefined

    const flow = forkJoin([iceServers(), localMedia(callId, mediaOptions)]).pipe(
      switchMap(([servers, stream]) => {
        const peer = newPeer(callId, webrtcSessionId, servers)
        peer.addLocal(stream)
        return localSdp(peer, 'offer', bandwidth)
      }),
      switchMap((sdp) => (isLive(callId) ? createSession(link, where.right, address, sdp, displayName) : EMPTY)),
      tap((sessionId) => {
        dispatch({ type: 'sessionCreated', callId, sessionId })
        // Ended while the session was being created: end it on the platform too.
        if (!isLive(callId)) running.add(endSession(link, where.right, sessionId).subscribe({ error: (error: unknown) => logger.warn('Could not end a session', error) }))
      }),
    )
    running.add(
      flow.subscribe({
        error: (error: unknown) => {
          if (isLive(callId)) fail(asBasicError(error))
        },
      }),
    )
    return callId
  }

  const requestedCall = (callId: unknown, event: (id: string) => CallEvent): CallRecord | undefined => {
    const id = shown(callId)
    const step = dispatch(event(id))
    return refusalOf(step) === undefined ? callOf(id) : undefined
  }

  const answer = (callId: unknown, mediaOptions: unknown, options?: unknown): void => {
    const bandwidth = bandwidthOf(options)
    const call = requestedCall(callId, (id) => ({ type: 'answerRequested', callId: id, mediaConstraints: isRecord(mediaOptions) ? mediaOptions : {}, bandwidth }))
    if (call === undefined) return
    const id = call.id
    const sessionId = call.wrtcsSessionId ?? ''
    const where = scope()
    const failed = (error: unknown): void => {
      const found = runtimes.get(id)
      found?.localStream?.getTracks().forEach((track) => track.stop())
      const local = callOf(id)?.localTracks ?? []
      media.commands.endTracks(local, true)
      for (const trackId of local) dispatch({ type: 'trackRemoved', callId: id, trackId, local: true })
      dispatch({ type: 'operationFailed', callId: id, operation: 'answer', error: asBasicError(error) })
    }
    if (E.isLeft(where)) return failed(where.left)

    const slowStart = call.isSlowStart === true
    const flow = forkJoin([slowStart ? iceServers() : of([]), localMedia(id, mediaOptions)]).pipe(
      switchMap(([servers, stream]) => {
        const peer = slowStart ? newPeer(id, call.webrtcSessionId, servers) : runtimes.get(id)?.peer
        if (peer === undefined) throw new BasicError(errorCodes.call.STATE_DESYNC, `Call ${id} has no WebRTC session.`)
        peer.addLocal(stream)
        return localSdp(peer, slowStart ? 'offer' : 'answer', bandwidth)
      }),
      switchMap((sdp) => answerSession(link, where.right, sessionId, sdp)),
      tap(() => {
        if (slowStart) return
        dispatch({ type: 'answered', callId: id, at: now() })
        startAudit(id)
      }),
    )
    own(id, flow.pipe(catchError((error: unknown) => (isLive(id) ? of(failed(error)) : EMPTY))))
  }

  const reject = (callId: unknown): void => {
    const call = requestedCall(callId, (id) => ({ type: 'rejectRequested', callId: id }))
    if (call === undefined) return
    const where = scope()
    const failed = (error: unknown): void => void dispatch({ type: 'operationFailed', callId: call.id, operation: 'reject', error: asBasicError(error) })
    if (E.isLeft(where)) return failed(where.left)
    running.add(
      endSession(link, where.right, call.wrtcsSessionId ?? '').subscribe({
        complete: () => {
          release(call.id)
          dispatch({ type: 'rejected', callId: call.id, at: now() })
        },
        error: failed,
      }),
    )
  }

  const ignore = (callId: unknown): void => {
    const id = shown(callId)
    const before = callOf(id)
    if (refusalOf(dispatch({ type: 'ignored', callId: id, at: now() })) === undefined) release(id, before)
  }

  const end = (callId: unknown): void => {
    const call = requestedCall(callId, (id) => ({ type: 'endRequested', callId: id }))
    if (call === undefined) return
    release(call.id)
    const where = scope()
    if (call.wrtcsSessionId === undefined || E.isLeft(where)) {
      dispatch({ type: 'ended', callId: call.id, at: now() })
      return
    }
    running.add(
      endSession(link, where.right, call.wrtcsSessionId).subscribe({
        complete: () => dispatch({ type: 'ended', callId: call.id, at: now() }),
        error: (error: unknown) => dispatch({ type: 'ended', callId: call.id, at: now(), error: asBasicError(error) }),
      }),
    )
  }

  const getStats = (callId: unknown, trackId?: unknown): void => {
    const id = shown(callId)
    const track = trackId === undefined || trackId === null ? undefined : shown(trackId)
    if (refusalOf(dispatch({ type: 'statsRequested', callId: id, trackId: track })) !== undefined) return
    const report = (result: RTCStatsReport | undefined, error?: BasicError): void =>
      void dispatch({ type: 'statsReported', callId: id, trackId: track, result, ...(error === undefined ? {} : { error }) })
    const peer = runtimes.get(id)?.peer
    if (peer === undefined) return report(undefined, new BasicError(errorCodes.call.GENERIC_ERROR, `Call ${id} has no WebRTC session yet.`))
    const selector = track === undefined ? undefined : media.track(track)
    if (track !== undefined && selector === undefined) return report(undefined, new BasicError(errorCodes.call.INVALID_PARAM, `Track ${track} is no longer live.`))
    running.add(
      from(peer.connection.getStats(selector)).subscribe({
        next: (result) => report(result),
        error: (error: unknown) => report(undefined, asBasicError(error)),
      }),
    )
  }

  // ── Notifications (notifications.md §4), one at a time in arrival order

  /** Holds a notification whose session this client may not know yet (its create response is on its way). */
  const park = (notification: InboundNotification, sessionId: string): Observable<never> => {
    const at = now()
    const outgoingPending = Object.values(state.getValue().calls).some((call) => call.direction === 'outgoing' && call.state === 'Initiating')
    if (outgoingPending) unmatched = [...unmatched.filter((entry) => at - entry.at < unmatchedLifetime), { notification, sessionId, at }]
    else logger.debug(`Call notification ${notification.kind} for an unknown session ignored`)
    return EMPTY
  }

  function replayFor(sessionId: string): void {
    const matching = unmatched.filter((entry) => entry.sessionId === sessionId)
    if (matching.length === 0) return
    unmatched = unmatched.filter((entry) => entry.sessionId !== sessionId)
    for (const entry of matching) replay.next(entry.notification)
  }

  const invited = (notification: SessionInvitationNotification): Observable<unknown> => {
    const sessionId = notifiedSessionId(notification.link)
    const where = scope()
    if (sessionId === undefined || E.isLeft(where)) {
      logger.error('An invitation without a session link (or before login) was dropped')
      return EMPTY
    }
    if (callBySession(state.getValue(), sessionId) !== undefined) return EMPTY
    const callId = environment.randomId()
    const webrtcSessionId = environment.randomId()
    const user = link.user()
    const originator = notification.originatorAddress === undefined ? undefined : displayAddress(notification.originatorAddress)
    const offer = notification.offer.sdp
    const arrive = (failure?: BasicError): void => {
      const remoteTracks = pendingRemote.get(callId) ?? []
      pendingRemote.delete(callId)
      dispatch({
        type: 'callInvited',
        callId,
        webrtcSessionId,
        sessionId,
        from: originator,
        to: user?.username,
        remoteParticipant: { displayNumber: originator, displayName: notification.originatorName },
        isSlowStart: offer === undefined,
        remoteTracks,
      })
      if (failure === undefined) return
      release(callId)
      dispatch({ type: 'callFailed', callId, error: failure, at: now() })
      running.add(endSession(link, where.right, sessionId).subscribe({ error: (error: unknown) => logger.warn('Could not refuse a call', error) }))
    }

    const prepared: Observable<unknown> =
      offer === undefined ? of(undefined) : iceServers().pipe(switchMap((servers) => remoteSdp(newPeer(callId, webrtcSessionId, servers), 'offer', offer, 'incoming')))
    return prepared.pipe(
      switchMap(() =>
        reportStatus(link, where.right, sessionId, 'Ringing').pipe(
          catchError((error: unknown) => {
            logger.warn('Could not report ringing', error)
            return of(undefined)
          }),
        ),
      ),
      tap(() => arrive()),
      catchError((error: unknown) => {
        arrive(asBasicError(error))
        return EMPTY
      }),
    )
  }

  const remoteAnswer = (notification: AnswerNotification, inbound: InboundNotification): Observable<unknown> => {
    const sessionId = notifiedSessionId(notification.link) ?? ''
    const call = callBySession(state.getValue(), sessionId)
    if (call === undefined) return park(inbound, sessionId)
    const awaiting =
      (call.direction === 'outgoing' && (call.state === 'Initiated' || call.state === 'Ringing')) ||
      (call.direction === 'incoming' && call.isSlowStart === true && call.operation === 'answer')
    const peer = runtimes.get(call.id)?.peer
    const reoffered = runtimes.get(call.id)?.awaitingAnswer
    if (!awaiting && reoffered !== undefined) {
      reoffered(notification.answer.sdp)
      return EMPTY
    }
    if (!awaiting || peer === undefined) {
      logger.debug(`Call ${call.id}: ${inbound.kind} not expected in state ${call.state}; ignored`)
      return EMPTY
    }
    return remoteSdp(peer, 'answer', notification.answer.sdp, call.direction).pipe(
      tap(() => {
        dispatch({ type: 'remoteAnswered', callId: call.id, at: now() })
        startAudit(call.id)
      }),
      catchError((error: unknown) => {
        release(call.id)
        dispatch({ type: 'callFailed', callId: call.id, error: asBasicError(error), at: now() })
        const where = scope()
        if (E.isRight(where)) running.add(endSession(link, where.right, sessionId).subscribe({ error: () => undefined }))
        return EMPTY
      }),
    )
  }

  const sessionEvent = (notification: EventNotification, inbound: InboundNotification): Observable<unknown> => {
    const sessionId = notifiedSessionId(notification.link) ?? ''
    const call = callBySession(state.getValue(), sessionId)
    if (call === undefined) return notification.eventType === 'Ringing' || notification.eventType === 'SessionEnded' || notification.eventType === 'Cancelled' ? park(inbound, sessionId) : EMPTY
    switch (notification.eventType) {
      case 'Ringing':
        dispatch({ type: 'ringingReported', callId: call.id })
        break
      case 'SessionEnded': {
        const { reasonText, statusCode } = notification
        release(call.id)
        dispatch({
          type: 'remoteEnded',
          callId: call.id,
          at: now(),
          transition: { ...(statusCode === undefined ? {} : { statusCode }), ...(reasonText === undefined ? {} : { reasonText }) },
        })
        break
      }
      case 'Cancelled':
        release(call.id)
        dispatch({ type: 'remoteCancelled', callId: call.id, at: now() })
        break
      default:
        logger.debug(`Call event ${notification.eventType} ignored`)
    }
    return EMPTY
  }

  /** A re-offer of the far end: answered in the call's negotiation queue, after any renegotiation in flight (calls.md §8). */
  const remoteOffer = (notification: OfferNotification): Observable<unknown> => {
    const call = callBySession(state.getValue(), notifiedSessionId(notification.link) ?? '')
    if (call === undefined || (call.state !== 'Connected' && call.state !== 'On Hold')) {
      logger.debug(`A re-offer for ${call === undefined ? 'an unknown session' : `call ${call.id} in state ${call.state}`} was ignored`)
      return EMPTY
    }
    operations.remoteOffer(call.id, notification.offer.sdp)
    return EMPTY
  }

  /** A call notification that fails its codec: reported once, on its call when it names one of ours, and never acted on. */
  const malformed = (inbound: InboundNotification, kind: CallNotificationKind, why: string): Observable<never> => {
    logger.error(`A malformed ${kind} was dropped: ${why}`)
    const links = isRecord(inbound.body) && Array.isArray(inbound.body.link) ? (inbound.body.link as unknown[]) : []
    const first = links[0]
    const href = isRecord(first) && typeof first.href === 'string' ? first.href : undefined
    const call = href === undefined ? undefined : callBySession(state.getValue(), sessionIdOf(href) ?? '')
    const error = new BasicError(errorCodes.call.GENERIC_ERROR, `Malformed ${kind}: ${why}`)
    if (call !== undefined) dispatch({ type: 'notificationRejected', callId: call.id, error })
    else dropped.next(error)
    return EMPTY
  }

  const handle = (inbound: InboundNotification): Observable<unknown> => {
    const kind = inbound.kind as CallNotificationKind
    const decoded = (callNotifications[kind] as t.Decoder<unknown, unknown>).decode(inbound.body)
    if (E.isLeft(decoded)) return malformed(inbound, kind, describeDecodeErrors(decoded.left))
    const known = (sessionId: string): boolean => callBySession(state.getValue(), sessionId) !== undefined
    const why = unusable(decoded.right as { link: readonly Link[]; offer?: MaybeSdp; answer?: MaybeSdp }, known, kind === 'wrtcsSessionInvitationNotification')
    if (why !== undefined) return malformed(inbound, kind, why)
    switch (kind) {
      case 'wrtcsSessionInvitationNotification':
        return invited(decoded.right as SessionInvitationNotification)
      case 'wrtcsAcceptanceNotification':
      case 'wrtcsAnswerNotification':
        return remoteAnswer(decoded.right as AnswerNotification, inbound)
      case 'wrtcsEventNotification':
        return sessionEvent(decoded.right as EventNotification, inbound)
      case 'wrtcsOfferNotification':
        return remoteOffer(decoded.right as OfferNotification)
    }
  }

  const handled = (notification: InboundNotification): Observable<unknown> =>
    defer(() => handle(notification)).pipe(
      catchError((error: unknown) => {
        logger.error(`Handling ${notification.kind} failed`, error)
        return EMPTY
      }),
    )
  running.add(
    merge(link.notifications$.pipe(filter((notification) => isCallNotificationKind(notification.kind))), replay)
      .pipe(concatMap(handled))
      .subscribe(),
  )

  const commands: CallCommands = { make, answer, reject, ignore, end, getStats, ...operations.commands, ...transfer, join: (callId, otherCallId) => joins.join(callId, otherCallId) }
  const joins = createJoin({ ctx: context, base: commands, release, state$: state.asObservable(), outputs$: outputs.asObservable() })

  const state$ = state.asObservable()
  return {
    state$,
    events$: outputs.asObservable(),
    droppedNotifications$: dropped.asObservable(),
    quality: { quality$: quality.quality$, warnings$: quality.warnings$, current: quality.current },
    calls$: state$.pipe(
      map((current) => current.calls),
      distinctUntilChanged(),
      map((calls) => Object.values(calls).map(toCallObject)),
    ),
    current: () => state.getValue(),
    commands: joins.route(commands),
    dispose: () => {
      joins.dispose()
      for (const callId of [...runtimes.keys()]) release(callId)
      quality.dispose()
      running.unsubscribe()
      replay.complete()
      state.complete()
      outputs.complete()
      dropped.complete()
    },
  }
}
