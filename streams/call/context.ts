import type * as E from 'fp-ts/Either'
import type { Observable, Subscription } from 'rxjs'
import type { ConfigFeature } from '../config/feature.js'
import type { PlatformLink } from '../connection/link.js'
import type { Environment } from '../environment.js'
import type { BasicError } from '../errors.js'
import type { Logger } from '../logs/logger.js'
import type { MediaFeature } from '../media/feature.js'
import type { Peer } from './peer.js'
import type { CallScope } from './requests.js'
import type { Bandwidth, CallEvent, CallRecord, CallsStep } from './state.js'

/** A task of a call's negotiation queue: subscribing runs it; it is done when it completes (or errors). */
export type NegotiationTask = () => Observable<unknown>

/**
 * One call's renegotiations, one at a time: remote re-offers before queued local operations, and
 * local operations paused while one that met glare waits for the remote offer (protocol/calls.md §7, §8).
 */
export interface Negotiation {
  /** Queues a local operation (hold, unhold, add / remove media, replace track). */
  local(task: NegotiationTask): void
  /** Queues the handling of a remote re-offer; it runs before any queued local operation. */
  remote(task: NegotiationTask): void
  /**
   * After a glare (our re-offer refused because the far end's is pending): `retry` runs as soon
   * as a remote re-offer has been handled, before any other local operation; `giveUp` runs
   * instead if none is handled within `wait` ms.
   */
  retryAfterRemote(retry: NegotiationTask, giveUp: () => void, wait: number): void
  /** Stops the running task and drops the queued ones. */
  dispose(): void
}

/** What a call holds besides its state: its peer connection, local media and running effects. */
export interface CallRuntime {
  peer: Peer | undefined
  localStream: MediaStream | undefined
  readonly effects: Subscription
  /** Local and remote renegotiations of this call, in order (created with the runtime). */
  readonly negotiation: Negotiation
  /** Set while an operation waits for the far end's answer (`wrtcsAnswerNotification`). */
  awaitingAnswer: ((sdp: string) => void) | undefined
  /**
   * The far end's last SDP that shows what it wants to send and receive: its offers, and its
   * answers to our offers made while not holding (an answer to a hold is `inactive` whatever it wants).
   */
  remoteIntent: string | undefined
}

/**
 * The call feature's internals that its operation modules (`operations.ts`, transfer, join) use:
 * the state machine, each call's runtime, and the SDP and signalling steps of one call.
 */
export interface CallContext {
  readonly config: ConfigFeature
  readonly environment: Environment
  readonly logger: Logger
  readonly link: PlatformLink
  readonly media: MediaFeature
  readonly now: () => number
  /** Runs one event through the reducer, publishes the state and the outputs; returns the step. */
  readonly dispatch: (event: CallEvent) => CallsStep
  readonly callOf: (callId: string) => CallRecord | undefined
  /** The call exists and is not `Ended` / `Cancelled`. */
  readonly isLive: (callId: string) => boolean
  /** The call's runtime, created on first use. */
  readonly runtime: (callId: string) => CallRuntime
  /** Subscribes an effect of a call; it stops when the call's media is released (or on dispose). */
  readonly own: (callId: string, effect: Observable<unknown>) => void
  /** Where the user's signalling resources live; a `call:6` error before login. */
  readonly scope: () => E.Either<BasicError, CallScope>
  readonly iceServers: () => Observable<RTCIceServer[]>
  /** A new peer connection for the call (it becomes the runtime's peer; its remote tracks register themselves). */
  readonly newPeer: (callId: string, webrtcSessionId: string, servers: RTCIceServer[]) => Peer
  /** Creates, shapes, sets and gathers a local description; emits the SDP to send. */
  readonly localSdp: (peer: Peer, type: 'offer' | 'answer', bandwidth: Bandwidth | undefined) => Observable<string>
  /** Shapes and applies a remote description. */
  readonly remoteSdp: (peer: Peer, type: 'offer' | 'answer', sdp: string, direction: 'outgoing' | 'incoming') => Observable<void>
}
