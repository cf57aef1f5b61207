import { EMPTY, Observable, distinctUntilChanged, filter, map, merge, mergeMap, take, takeUntil, type SchedulerLike, type Subscribable } from 'rxjs'
import { BasicError, errorCodes } from '../errors.js'
import { entryOf } from '../record.js'
import type { RestartPolicy } from '../config/media-restart.js'
import { automaticRestarts, type RestartSignal } from './restart-policy.js'
import type { CallOutput, CallsStore } from './model.js'
import { isTerminal } from './steps.js'

/** What the automatic restarts run on: the calls' store and the manual restart command. */
interface AutomaticRestartDeps extends Pick<CallsStore, 'state$' | 'outputs$' | 'dispatch'> {
  readonly mediaRestart: (callId: string) => void
  readonly policy: () => RestartPolicy
  readonly online$: Subscribable<void>
  readonly scheduler: SchedulerLike
  readonly log: (line: string) => void
}

/**
 * Every call's automatic media restarts while it lives: restart-policy.ts over its media connection state and the host's `online` events. An attempt
 * is the manual `call.mediaRestart` (operations/media-restart.ts), done when its `call:mediaRestart` comes; giving up is said with one more.
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
    const restarts$ = automaticRestarts(signals$, attempt(callId), policyNow, scheduler).pipe(
      takeUntil(call$.pipe(filter((call) => call === undefined || isTerminal(call.state)))),
      mergeMap((outcome) => {
        if (outcome.type === 'restarting') log(`Call ${callId}: restarting its media (${outcome.reason}), attempt ${outcome.attempt} of ${policyNow.attempts}`)
        else if (outcome.type === 'restarted') log(`Call ${callId}: media restarted`)
        else dispatch({ type: 'mediaRestartGaveUp', callId, error: new BasicError(errorCodes.call.GENERIC_ERROR, `Gave up restarting the media of call ${callId} after ${outcome.attempts} attempts: ${outcome.error.message}`) })
        return EMPTY
      }),
    )
    // A joined call has no media of its own: its legs restart theirs.
    return call$.pipe(
      take(1),
      mergeMap((call) => (call === undefined || call.joint !== undefined ? EMPTY : restarts$)),
    )
  }
  return born$.pipe(mergeMap(forCall))
}
