import { Subject, Subscription, map, type Observable } from 'rxjs'
import type { BasicError } from '../errors.js'
import { select, storeFeature, type StoreFeature } from '../feature.js'
import type { Logs } from '../logs/logger.js'
import { createAudit } from './audit.js'
import type { CallCommands } from './commands.js'
import type { CallEngine } from './engine.js'
import { createEnd, createStats } from './ending.js'
import { createRemoteAnswer } from './inbound/answer.js'
import { createInvitation } from './inbound/invitation.js'
import { routeInbound } from './inbound/route.js'
import { createSessionEvent } from './inbound/session-event.js'
import { createAnswer, createRefusals } from './incoming.js'
import { createJoin } from './join-effects.js'
import { createDtmf } from './operations/dtmf-send.js'
import { createHold } from './operations/hold.js'
import { createMediaRestart } from './operations/media-restart.js'
import { automaticMediaRestarts } from './media-restart.js'
import { createMediaChanges } from './operations/media.js'
import { createRemoteOffers } from './operations/remote-offer.js'
import { createRenegotiation } from './operations/reoffer.js'
import { createReplaceTrack } from './operations/replace-track.js'
import { createOutgoing } from './outgoing.js'
import { createCallQuality, type CallQualityFeature } from './quality/store.js'
import { createRuntimes } from './runtime.js'
import { createSignalling, type SignallingDeps } from './signalling.js'
import type { CallObject, CallOutput, CallRecord, CallsState } from './model.js'
import { toCallObject } from './steps.js'
import { createCallStore } from './store.js'
import { createTransfer } from './transfer-effects.js'

export interface CallDeps extends Pick<CallEngine, 'config' | 'environment' | 'link' | 'media'> {
  readonly logs: Logs
  readonly subscription: SignallingDeps['subscription']
}

export interface CallFeature extends StoreFeature<CallsState, CallOutput, CallCommands> {
  /** Hot; every call of this client as CallObjects, in creation order. */
  readonly calls$: Observable<readonly CallObject[]>
  /** Hot; the error of each call notification that failed its codec and names no call of this client (nothing changed). */
  readonly droppedNotifications$: Observable<BasicError>
  /** Each call's quality (sampled every second while its media is connected) and its warnings as they rise and clear. */
  readonly quality: Pick<CallQualityFeature, 'quality$' | 'warnings$' | 'current'>
}

/**
 * The CallObjects of a version of the calls, made once and frozen: every subscriber of `calls$` gets the same array, and a call whose record did not
 * change keeps its object (an app comparing by reference re-renders only what changed).
 */
function callObjects(): (calls: CallsState['calls']) => readonly CallObject[] {
  const lists = new WeakMap<CallsState['calls'], readonly CallObject[]>()
  const objects = new WeakMap<CallRecord, CallObject>()
  const objectOf = (record: CallRecord): CallObject => {
    const made = objects.get(record) ?? Object.freeze(toCallObject(record))
    objects.set(record, made)
    return made
  }
  return (calls) => {
    const list = lists.get(calls) ?? Object.freeze(Object.values(calls).map(objectOf))
    lists.set(calls, list)
    return list
  }
}

/** Calls: making, receiving, answering and ending WebRTC calls through the platform (the parts: README.md). */
export function createCall({ config, environment, logs, link, media, subscription }: CallDeps): CallFeature {
  const logger = logs.logger('call')
  const store = createCallStore(logger)
  const quality = createCallQuality({ thresholds: () => config.current().call.qualityThresholds, scheduler: environment.scheduler, logger })
  const runtimes = createRuntimes({ store, media, environment, logger, peerConfig: () => config.current().call.defaultPeerConfig, watchPeer: quality.watch })
  const signalling = createSignalling({ config, link, subscription, logger })
  const running = new Subscription()
  const dropped = new Subject<BasicError>()
  const engine: CallEngine = { store, runtimes, signalling, link, media, config, environment, logger, running, now: () => environment.scheduler.now() }

  const startAudit = createAudit(engine)
  const renegotiation = createRenegotiation(engine)
  const inbound = {
    invited: createInvitation(engine),
    answered: createRemoteAnswer(engine, startAudit),
    sessionEvent: createSessionEvent(engine),
    reoffered: createRemoteOffers(engine, renegotiation),
  }
  running.add(routeInbound(engine, inbound, (error) => dropped.next(error)).subscribe())
  // A track its source ended (a device unplugged) leaves its call, which says so with call:trackEnded (protocol/events.md §6), as in the original SDK.
  running.add(
    media.endedAtSource$.subscribe((trackId) => {
      for (const call of Object.values(store.current().calls)) {
        const local = call.localTracks.includes(trackId)
        if (local || call.remoteTracks.includes(trackId)) store.dispatch({ type: 'trackRemoved', callId: call.id, trackId, local })
      }
    }),
  )

  const base = {
    make: createOutgoing(engine),
    answer: createAnswer(engine, startAudit),
    ...createRefusals(engine),
    end: createEnd(engine),
    getStats: createStats(engine),
    ...createHold(renegotiation),
    ...createMediaChanges(engine, renegotiation),
    replaceTrack: createReplaceTrack(engine, renegotiation),
    sendDtmf: createDtmf(engine),
    mediaRestart: createMediaRestart(engine, renegotiation),
    consultativeTransfer: createTransfer(engine),
  }

  running.add(
    automaticMediaRestarts({
      ...store,
      mediaRestart: base.mediaRestart,
      policy: () => config.current().call.automaticMediaRestart,
      online$: environment.online$,
      scheduler: environment.scheduler,
      log: (line) => logger.info(line),
    }).subscribe(),
  )

  // Join drives its legs through the other commands, and routes the commands of joined calls and their legs.
  const joins = createJoin({ ...engine, legs: base })

  const feature = storeFeature(store, running)
  return {
    ...feature,
    droppedNotifications$: dropped.asObservable(),
    quality: { quality$: quality.quality$, warnings$: quality.warnings$, current: quality.current },
    calls$: select(store.state$, (current) => current.calls).pipe(map(callObjects())),
    commands: joins.route({ ...base, join: joins.join }),
    dispose: () => {
      joins.dispose()
      runtimes.dispose()
      quality.dispose()
      feature.dispose()
      dropped.complete()
    },
  }
}
