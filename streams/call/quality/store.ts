import { type Observable, type SchedulerLike, finalize, ignoreElements, tap } from 'rxjs'
import type { QualityThresholds } from '../../config/quality.js'
import type { Logger } from '../../logs/logger.js'
import { entryOf } from '../../record.js'
import { createStore, type Step } from '../../store.js'
import { qualitySamples } from './sampler.js'
import { qualitySteps, type CallQuality, type QualityStep, type QualityWarningChange, type WarningValues } from './warnings.js'

// A small store beside the call machine, fed by each call's sampler; a call keeps its last figures after its sampling stops, its warnings clear.

/** One call's quality, and the latest figure of each warning. */
export interface CallQualityEntry {
  readonly quality: CallQuality
  readonly values: WarningValues
}

/** Every call's quality, by call id (a call has an entry from its first sample on). */
export type QualityState = Readonly<Record<string, CallQualityEntry>>

/** `call:qualityWarning`: a warning of a call rose (`active: true`) or cleared. */
export type QualityWarningOutput = { readonly type: 'qualityWarning'; readonly callId: string } & QualityWarningChange

type QualityEvent = { readonly type: 'qualitySampled'; readonly callId: string; readonly step: QualityStep } | { readonly type: 'samplingStopped'; readonly callId: string }

/** A call's quality before any sample. */
export const unmeasured: CallQuality = { mos: undefined, rttMs: undefined, jitterMs: undefined, packetLossPercent: undefined, warnings: [] }

export function qualityReducer(state: QualityState, event: QualityEvent): Step<QualityState, QualityWarningOutput> {
  const { callId } = event
  if (event.type === 'qualitySampled') {
    const { quality, values, changes } = event.step
    return { state: { ...state, [callId]: { quality, values } }, outputs: changes.map((change) => ({ type: 'qualityWarning', callId, ...change })) }
  }
  const entry = entryOf(state, callId)
  if (entry === undefined || entry.quality.warnings.length === 0) return { state, outputs: [] }
  return {
    state: { ...state, [callId]: { ...entry, quality: { ...entry.quality, warnings: [] } } },
    outputs: entry.quality.warnings.map((name) => ({ type: 'qualityWarning', callId, name, active: false, value: entry.values[name] ?? 0 })),
  }
}

interface CallQualityDeps {
  readonly thresholds: () => QualityThresholds
  readonly scheduler: SchedulerLike
  readonly logger: Pick<Logger, 'action'>
}

export interface CallQualityFeature {
  /** Hot; every call's quality by call id, replayed to late subscribers. */
  readonly quality$: Observable<QualityState>
  /** Hot; each warning of each call as it rises or clears. */
  readonly warnings$: Observable<QualityWarningOutput>
  readonly current: () => QualityState
  /** Samples a call's peer connection while its media is connected; unsubscribing stops it and clears the call's warnings. */
  readonly watch: (callId: string, peer: RTCPeerConnection) => Observable<never>
  readonly dispose: () => void
}

/**
 * The quality of calls: each call's peer connection sampled every second while connected, its figures and warnings in one store.
 *
 * own(callId, quality.watch(callId, peer.connection))
 */
export function createCallQuality({ thresholds, scheduler, logger }: CallQualityDeps): CallQualityFeature {
  // A sample a second per call would flood the action log: only those that change a warning are logged.
  const quiet = { action: (event: QualityEvent, previous: unknown, next: unknown) => (event.type === 'qualitySampled' && event.step.changes.length === 0 ? undefined : logger.action(event, previous, next)) }
  const store = createStore<QualityState, QualityEvent, QualityWarningOutput>({}, qualityReducer, quiet)
  return {
    quality$: store.state$,
    warnings$: store.outputs$,
    current: store.current,
    watch: (callId, peer) =>
      qualitySamples(peer, scheduler).pipe(
        qualitySteps(thresholds, scheduler),
        tap((step) => store.dispatch({ type: 'qualitySampled', callId, step })),
        finalize(() => store.dispatch({ type: 'samplingStopped', callId })),
        ignoreElements(),
      ),
    dispose: store.complete,
  }
}
