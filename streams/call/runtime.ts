import { Subscription, filter, map, tap, type Observable } from 'rxjs'
import { peerConfiguration, type PeerConfig } from '../config/peer.js'
import type { Environment } from '../environment.js'
import { BasicError, errorCodes } from '../errors.js'
import type { Logger } from '../logs/logger.js'
import type { MediaOptions } from '../media/constraints.js'
import type { MediaFeature } from '../media/feature.js'
import { entryOf } from '../record.js'
import { mediaConnectionState$, mediaConnectionStateOf } from './media-connection.js'
import { createNegotiation, type Negotiation } from './negotiation.js'
import { createPeer, type Peer } from './peer.js'
import type { CallEvent, CallRecord } from './model.js'

/** What a call holds besides its state: its peer connection, local media and running effects. */
interface CallRuntime {
  peer: Peer | undefined
  localStream: MediaStream | undefined
  readonly effects: Subscription
  /** Local and remote renegotiations of this call, in order (created with the runtime). */
  readonly negotiation: Negotiation
  /** Set while an operation waits for the far end's answer (`wrtcsAnswerNotification`). */
  awaitingAnswer: ((sdp: string) => void) | undefined
  /** The far end's last SDP showing what it wants to send and receive: its offers, and its answers to our non-hold offers (a hold's is `inactive`). */
  remoteIntent: string | undefined
  /** The quality watch of its current peer connection (`watchPeer`), stopped when a new one replaces it. */
  watching: Subscription | undefined
  /** Our answer to the invitation, set on the peer but not taken by the platform (its request failed): the next answer sends it again. */
  unsentAnswer: string | undefined
  /** The last answer (`answer`): a reject or an ignore stops its effect; `sent` once its request went to the platform. */
  answering: { effect: Subscription; sent: boolean } | undefined
}

/** The one owner of the calls' peer connections, local streams, remote tracks and effects. */
export interface Runtimes {
  /** The call's runtime, created on first use. */
  readonly runtime: (callId: string) => CallRuntime
  /** The call's runtime if it has one (none is created). */
  readonly find: (callId: string) => CallRuntime | undefined
  /** The call's peer connection; a `STATE_DESYNC` error when it has none. */
  readonly peerOf: (callId: string) => Peer
  /** Subscribes an effect of a call (to stop sooner: the subscription); it stops when the call's media is released (or on dispose). */
  readonly own: (callId: string, effect: Observable<unknown>) => Subscription
  /** Stops a call's media, closes its peer connection and stops its effects; `call` is the record before it ended. */
  readonly release: (callId: string, call?: CallRecord) => void
  /** A new peer connection as the call's; its remote tracks and media connection states report themselves. */
  readonly newPeer: (callId: string, servers: RTCIceServer[]) => Peer
  /** A peer a new one replaced is the call's again (the new one closes), after the replacement failed; a call released meanwhile closes it. */
  readonly restorePeer: (callId: string, peer: Peer) => void
  /** Acquires local media for a live call, registers it and keeps it as the call's local stream. */
  readonly localMedia: (callId: string, options: MediaOptions) => Observable<MediaStream>
  /** New local media of a live call, in the media feature and in the call; a call that ended meanwhile stops it and throws. */
  readonly addLocal: (callId: string, stream: MediaStream) => MediaStream
  /** Ends tracks of a call, in the media feature and in the call. */
  readonly endTracks: (callId: string, trackIds: readonly string[], local: boolean) => void
  /** A local track replaced by `replacement` (of `stream`): in the call's local stream, in the media feature, in the call. */
  readonly replaceLocal: (callId: string, old: MediaStreamTrack, oldTrackId: string, stream: MediaStream, replacement: MediaStreamTrack) => void
  /** The remote tracks that arrived before their (incoming) call was created; taken once. */
  readonly earlyTracks: (callId: string) => string[]
  readonly dispose: () => void
}

interface RuntimeDeps {
  /** The calls' store: which calls exist, and where their tracks are reported. */
  readonly store: { readonly callOf: (callId: string) => CallRecord | undefined; readonly isLive: (callId: string) => boolean; readonly dispatch: (event: CallEvent) => unknown }
  readonly media: Pick<MediaFeature, 'commands' | 'current'>
  readonly environment: Pick<Environment, 'RTCPeerConnection' | 'scheduler'>
  readonly peerConfig: () => PeerConfig
  readonly logger: Pick<Logger, 'error'>
  /** Watches each new peer connection of a call while it is the call's (its quality sampler). */
  readonly watchPeer: (callId: string, connection: RTCPeerConnection) => Observable<unknown>
}

const newRuntime = (callId: string, logger: RuntimeDeps['logger'], scheduler: Environment['scheduler']): CallRuntime => ({
  peer: undefined,
  localStream: undefined,
  effects: new Subscription(),
  negotiation: createNegotiation((error) => logger.error(`Call ${callId}: a renegotiation failed`, error), scheduler),
  awaitingAnswer: undefined,
  remoteIntent: undefined,
  watching: undefined,
  unsentAnswer: undefined,
  answering: undefined,
})

/** A call's local tracks added, ended or replaced: in the media feature, in the call and in its local stream. */
const callTracks = (store: RuntimeDeps['store'], media: RuntimeDeps['media'], find: Runtimes['find']): Pick<Runtimes, 'addLocal' | 'endTracks' | 'replaceLocal'> => ({
  addLocal: (callId, stream) => {
    if (!store.isLive(callId)) {
      stream.getTracks().forEach((track) => track.stop())
      throw new BasicError(errorCodes.call.INVALID_STATE, `Call ${callId} ended while its media was being acquired.`)
    }
    media.commands.addMedia(stream.id, true, stream.getTracks())
    for (const track of stream.getTracks()) store.dispatch({ type: 'trackAdded', callId, trackId: track.id, local: true })
    return stream
  },
  endTracks: (callId, trackIds, local) => {
    media.commands.endTracks(trackIds, local)
    for (const trackId of trackIds) store.dispatch({ type: 'trackRemoved', callId, trackId, local })
  },
  replaceLocal: (callId, old, oldTrackId, stream, replacement) => {
    const local = find(callId)?.localStream
    if (local?.getTracks().includes(old) === true) {
      local.removeTrack(old)
      local.addTrack(replacement)
    }
    // The TrackObject of the replaced track as it was (live), as the original SDK reports it.
    const oldTrack = entryOf(media.current().tracks, oldTrackId)
    media.commands.addMedia(stream.id, true, [replacement])
    media.commands.endTracks([oldTrackId], true)
    store.dispatch({ type: 'trackReplaced', callId, oldTrackId, newTrackId: replacement.id, oldTrack })
  },
})

/** Remote tracks of calls not created yet (their invitation is being handled): held until the call takes them. */
function earlyRemoteTracks(store: RuntimeDeps['store'], media: RuntimeDeps['media']) {
  const early = new Map<string, string[]>()
  return {
    /** A remote track of the call: reported on the call, or held while the call does not exist yet. */
    arrived: (callId: string, track: MediaStreamTrack, stream: MediaStream | undefined): void => {
      media.commands.addMedia(stream?.id ?? track.id, false, [track])
      if (store.callOf(callId) !== undefined) store.dispatch({ type: 'trackAdded', callId, trackId: track.id, local: false })
      else early.set(callId, [...(early.get(callId) ?? []), track.id])
    },
    take: (callId: string): string[] => {
      const tracks = early.get(callId) ?? []
      early.delete(callId)
      return tracks
    },
    forget: (callId: string): void => void early.delete(callId),
  }
}

type WatchDeps = Pick<RuntimeDeps, 'store' | 'watchPeer' | 'logger'>

/** Makes the quality watch of `peer` the runtime's (from its next sample; none for a call that ended): the watch it replaces stops, so its warnings clear. */
function watchQuality({ store, watchPeer, logger }: WatchDeps, owner: CallRuntime, callId: string, peer: Peer): void {
  if (owner.watching !== undefined) {
    owner.watching.unsubscribe()
    owner.effects.remove(owner.watching)
  }
  const watching = new Subscription()
  owner.watching = watching
  owner.effects.add(watching)
  if (store.callOf(callId) === undefined || store.isLive(callId))
    watching.add(watchPeer(callId, peer.connection).subscribe({ error: (error: unknown) => logger.error(`Call ${callId}: an effect failed`, error) }))
}

/** `peer` is the call's peer again, in place of the one that replaced it (closed): its quality watch and media connection state are the call's again. */
function reinstate(deps: WatchDeps, owner: CallRuntime | undefined, callId: string, peer: Peer): void {
  if (owner === undefined) return peer.close()
  const replacement = owner.peer
  owner.peer = peer
  if (replacement !== peer) replacement?.close()
  watchQuality(deps, owner, callId, peer)
  const state = mediaConnectionStateOf(peer.connection.iceConnectionState, peer.connection.connectionState)
  deps.store.dispatch({ type: 'mediaConnectionChanged', callId, state })
}

/** The calls' runtimes over the store (for the calls that exist) and the media feature (for tracks). */
export function createRuntimes({ store, media, environment, peerConfig, logger, watchPeer }: RuntimeDeps): Runtimes {
  const runtimes = new Map<string, CallRuntime>()
  const early = earlyRemoteTracks(store, media)
  const tracks = callTracks(store, media, (callId) => runtimes.get(callId))

  const runtime = (callId: string): CallRuntime => {
    const found = runtimes.get(callId)
    if (found !== undefined) return found
    const created = newRuntime(callId, logger, environment.scheduler)
    runtimes.set(callId, created)
    return created
  }

  const own = (callId: string, effect: Observable<unknown>): Subscription => {
    if (store.callOf(callId) !== undefined && !store.isLive(callId)) return Subscription.EMPTY
    const owned = effect.subscribe({ error: (error: unknown) => logger.error(`Call ${callId}: an effect failed`, error) })
    runtime(callId).effects.add(owned)
    return owned
  }

  const release = (callId: string, call: CallRecord | undefined = store.callOf(callId)): void => {
    const found = runtimes.get(callId)
    early.forget(callId)
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

  const newPeer = (callId: string, servers: RTCIceServer[]): Peer => {
    const PeerConnection = environment.RTCPeerConnection
    if (PeerConnection === undefined) throw new BasicError(errorCodes.call.NOT_SUPPORTED, 'This environment has no RTCPeerConnection.')
    // call.defaultPeerConfig was checked by the config codec when the app set it.
    const peer = createPeer(PeerConnection, peerConfiguration(peerConfig(), servers), environment.scheduler)
    runtime(callId).peer = peer
    own(callId, peer.remoteTracks$.pipe(tap(({ track, stream }) => early.arrived(callId, track, stream))))
    // Its media connection states are the call's while it is the call's peer (a recreated peer replaces it).
    const current = (): boolean => runtimes.get(callId)?.peer === peer
    own(callId, mediaConnectionState$(peer.connection).pipe(filter(current), tap((state) => store.dispatch({ type: 'mediaConnectionChanged', callId, state }))))
    watchQuality({ store, watchPeer, logger }, runtime(callId), callId, peer)
    return peer
  }

  return {
    runtime,
    find: (callId) => runtimes.get(callId),
    peerOf: (callId) => {
      const peer = runtimes.get(callId)?.peer
      if (peer === undefined) throw new BasicError(errorCodes.call.STATE_DESYNC, `Call ${callId} has no WebRTC session.`)
      return peer
    },
    own,
    release,
    newPeer,
    restorePeer: (callId, peer) => reinstate({ store, watchPeer, logger }, runtimes.get(callId), callId, peer),
    localMedia: (callId, options) =>
      media.commands.userMedia(options).pipe(
        map((stream) => {
          // Checked first: media of a call that ended meanwhile must not give it a runtime again.
          const added = tracks.addLocal(callId, stream)
          runtime(callId).localStream = added
          return added
        }),
      ),
    ...tracks,
    earlyTracks: early.take,
    dispose: () => [...runtimes.keys()].forEach((callId) => release(callId)),
  }
}
