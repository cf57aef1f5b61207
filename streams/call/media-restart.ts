import { EMPTY, Observable, distinctUntilChanged, filter, map, merge, mergeMap, take, takeWhile, type Subscribable } from 'rxjs'
import { BasicError, errorCodes } from '../errors.js'
import { entryOf } from '../record.js'
import type { RestartPolicy } from '../config/media-restart.js'
import { automaticRestarts, type RestartSignal } from './restart-policy.js'
import { callStates, invalidState, isTerminal, put, type CallEvent, type CallOutput, type CallRecord, type CallsState, type CallsStep } from './state.js'

// Media restart: an ICE restart renegotiated through the call's update signalling, asked for by
// the app (`call.mediaRestart`) or by the automatic policy (restart-policy.ts). The machine part
// is a meta-reducer over the call machine: it settles the `mediaRestart` re-offers and reports
// each outcome as `call:mediaRestart`.

/** The automatic restarts of a call gave up: its last error, said once more as the final word. */
export interface MediaRestartGaveUp {
  readonly type: 'mediaRestartGaveUp'
  readonly callId: string
  readonly error: BasicError
}

/** `call:mediaRestart`: a restart of the call's media succeeded, or failed with `error`. */
export interface MediaRestartOutput {
  readonly type: 'mediaRestarted'
  readonly callId: string
  readonly error?: BasicError
}

type Reducer = (state: CallsState, event: CallEvent) => CallsStep

const answered = (call: CallRecord): boolean => call.state === callStates.CONNECTED || call.state === callStates.ON_HOLD
const settled = (state: CallsState, call: CallRecord, error?: BasicError): CallsStep => ({
  state: put(state, { ...call, operation: undefined }),
  outputs: [error === undefined ? { type: 'mediaRestarted', callId: call.id } : { type: 'mediaRestarted', callId: call.id, error }],
})

/**
 * The call machine with media restarts: a request is refused unless the call is answered
 * (Connected or On Hold: a held call stays held) and idle; its answer or failure settles it.
 */
export const withMediaRestarts =
  (reducer: Reducer): Reducer =>
  (state, event) => {
    if (event.type === 'mediaRestartGaveUp') return { state, outputs: [{ type: 'mediaRestarted', callId: event.callId, error: event.error }] }
    const restart = (event.type === 'reofferRequested' || event.type === 'reofferAnswered' || event.type === 'reofferFailed') && event.operation === 'mediaRestart'
    const call = restart ? entryOf(state.calls, event.callId) : undefined
    if (!restart || call === undefined) return reducer(state, event)
    switch (event.type) {
      case 'reofferRequested':
        return answered(call) && call.operation === undefined
          ? { state: put(state, { ...call, operation: 'mediaRestart' }), outputs: [] }
          : { state, outputs: [{ type: 'mediaRestarted', callId: call.id, error: invalidState(call, 'restart the media of', 'a Connected or On Hold call with no operation in progress') }] }
      case 'reofferAnswered':
        return call.operation === 'mediaRestart' ? settled(state, call) : { state, outputs: [] }
      default:
        return call.operation === 'mediaRestart' ? settled(state, call, event.type === 'reofferFailed' ? event.error : undefined) : { state, outputs: [] }
    }
  }

/** What the automatic restarts run on: the calls' store and the manual restart command. */
export interface AutomaticRestartDeps {
  readonly state$: Observable<CallsState>
  readonly outputs$: Observable<CallOutput>
  readonly dispatch: (event: CallEvent) => unknown
  readonly mediaRestart: (callId: string) => void
  readonly policy: () => RestartPolicy
  readonly online$: Subscribable<void>
  readonly scheduler: import('rxjs').SchedulerLike
  readonly log: (line: string) => void
}

/**
 * Every call's automatic media restarts, for as long as the call lives: the policy watches its
 * media connection state and the host's `online` events; an attempt is the manual restart, done
 * when its `call:mediaRestart` comes. Giving up is said with one more `call:mediaRestart`.
 */
export function automaticMediaRestarts(deps: AutomaticRestartDeps): Observable<never> {
  const { state$, outputs$, dispatch, mediaRestart, policy, scheduler, log } = deps
  const online$ = new Observable<void>((subscriber) => deps.online$.subscribe(subscriber))
  const born$ = outputs$.pipe(
    filter((output) => output.type === 'callStarted' || output.type === 'callReceived'),
    map((output) => output.callId),
  )
  const attempt = (callId: string) => (): Observable<unknown> =>
    new Observable((subscriber) => {
      const outcome = outputs$.pipe(filter((output): output is Extract<CallOutput, { type: 'mediaRestarted' }> => output.type === 'mediaRestarted' && output.callId === callId), take(1))
      const watching = outcome.subscribe((output) => (output.error === undefined ? subscriber.complete() : subscriber.error(output.error)))
      mediaRestart(callId)
      return watching
    })
  const forCall = (callId: string): Observable<never> => {
    const call$ = state$.pipe(map((state) => entryOf(state.calls, callId)))
    const signals$: Observable<RestartSignal> = merge(
      call$.pipe(
        map((call) => call?.mediaConnectionState),
        filter((state): state is NonNullable<typeof state> => state !== undefined),
        distinctUntilChanged(),
        map((state): RestartSignal => ({ type: 'state', state })),
      ),
      online$.pipe(map((): RestartSignal => ({ type: 'online' }))),
    )
    const policyNow = policy()
    return automaticRestarts(signals$, attempt(callId), policyNow, scheduler).pipe(
      takeWhileLive(call$),
      mergeMap((outcome) => {
        if (outcome.type === 'restarting') log(`Call ${callId}: restarting its media (${outcome.reason}), attempt ${outcome.attempt} of ${policyNow.attempts}`)
        else if (outcome.type === 'restarted') log(`Call ${callId}: media restarted`)
        else dispatch({ type: 'mediaRestartGaveUp', callId, error: new BasicError(errorCodes.call.GENERIC_ERROR, `Gave up restarting the media of call ${callId} after ${outcome.attempts} attempts: ${outcome.error.message}`) })
        return EMPTY
      }),
    )
  }
  return born$.pipe(mergeMap(forCall))
}

/** Mirrors the source until the call it watches has ended. */
const takeWhileLive =
  (call$: Observable<CallRecord | undefined>) =>
  <T>(source$: Observable<T>): Observable<T> =>
    new Observable<T>((subscriber) => {
      const ended = call$.pipe(takeWhile((call) => call !== undefined && !isTerminal(call.state), true), filter((call) => call === undefined || isTerminal(call.state))).subscribe(() => subscriber.complete())
      const running = source$.subscribe(subscriber)
      return () => {
        ended.unsubscribe()
        running.unsubscribe()
      }
    })
