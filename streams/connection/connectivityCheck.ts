import {
  EMPTY,
  Observable,
  Subject,
  asyncScheduler,
  defer,
  distinctUntilChanged,
  filter,
  ignoreElements,
  merge,
  scan,
  startWith,
  switchMap,
  tap,
  timer,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs'
import type { Config } from '../config/state.js'
import { timerWait } from '../environment.js'
import { controlFrames } from './codecs.js'
import { classifyFrame, type FrameKind } from './frames.js'
import type { SocketSignal } from './socket.js'

/** What the connectivity check needs: the `connectivity` configuration (`pingInterval`: milliseconds between client pings, in client-responsible modes) and the run-time switch. */
export type ConnectivityOptions = Pick<Config['connectivity'], 'method' | 'pingInterval' | 'maxMissedPings'> & {
  /** `checkConnectivity`, or the last `enableConnectivityChecking(enable)`. */
  readonly enabled: boolean
}

/** The interval assumed before the platform's first `connCheck` when it is responsible (ms). */
const serverInitialInterval = 120000

/** The error a socket ends with when the check declares the connection lost. */
export class ConnectionLost extends Error {
  override readonly name = 'ConnectionLost'
}

type Send = (frame: string) => boolean

/** Checks missed before the connection is lost: `maxMissedPings`, but at least one (0 would declare a healthy socket lost at once, reopening it in a loop). */
const tolerated = (options: ConnectivityOptions): number => Math.max(1, options.maxMissedPings)

const sendOrLose = (send: Send, frame: string, what: string): void => {
  if (!send(frame)) throw new ConnectionLost(`the ${what} could not be sent`)
}

/** Mode A: a keepAlive ping at once and every `pingInterval`; only a failed send counts. */
const keepAlive = (send: Send, options: ConnectivityOptions, scheduler: SchedulerLike): Observable<never> =>
  timer(0, timerWait(options.pingInterval), scheduler).pipe(
    tap(() => sendOrLose(send, controlFrames.keepAlive(), 'keepAlive ping')),
    ignoreElements(),
  )

/** Mode B: a connCheck at once and every `pingInterval`; lost once no connAck came for `pingInterval × maxMissedPings`. */
const pingPong = (send: Send, frames$: Observable<FrameKind>, options: ConnectivityOptions, scheduler: SchedulerLike): Observable<never> =>
  defer(() => {
    const { pingInterval } = options
    const maxMissedPings = tolerated(options)
    let lastAck = scheduler.now()
    const acks$ = frames$.pipe(
      filter((frame) => frame.kind === 'connAck'),
      tap(() => (lastAck = scheduler.now())),
    )
    const pings$ = timer(0, timerWait(pingInterval), scheduler).pipe(
      tap((tick) => {
        const silence = scheduler.now() - lastAck
        if (tick > 0 && silence >= pingInterval * maxMissedPings) throw new ConnectionLost(`no connAck for ${silence} ms`)
        sendOrLose(send, controlFrames.connCheck(pingInterval), 'connCheck')
      }),
    )
    return merge(acks$, pings$).pipe(ignoreElements())
  })

/** Mode C: answer each platform connCheck; lost once none came for `interval × maxMissedPings` (120 s interval before the first). */
const serverResponsible = (send: Send, frames$: Observable<FrameKind>, options: ConnectivityOptions, scheduler: SchedulerLike): Observable<never> =>
  frames$.pipe(
    filter((frame): frame is Extract<FrameKind, { kind: 'connCheck' }> => frame.kind === 'connCheck'),
    tap(() => sendOrLose(send, controlFrames.connAck(), 'connAck')),
    // The platform's promised period, in ms; a check without a valid interval keeps the last one.
    scan((interval, check) => (check.interval === undefined ? interval : check.interval * 1000), serverInitialInterval),
    startWith(serverInitialInterval),
    switchMap((interval) =>
      timer(timerWait(interval * tolerated(options)), scheduler).pipe(
        tap(() => {
          throw new ConnectionLost(`no connCheck from the platform for ${interval * tolerated(options)} ms`)
        }),
      ),
    ),
    ignoreElements(),
  )

const sameOptions = (a: ConnectivityOptions, b: ConnectivityOptions): boolean =>
  a.enabled === b.enabled &&
  a.method.type === b.method.type &&
  a.method.responsibleParty === b.method.responsibleParty &&
  a.pingInterval === b.pingInterval &&
  a.maxMissedPings === b.maxMissedPings

/** The check of one open socket, in the mode `options$` gives (none while disabled), restarted when they change. */
const checks = (send: Send, frames$: Observable<FrameKind>, options$: Observable<ConnectivityOptions>, scheduler: SchedulerLike): Observable<never> =>
  options$.pipe(
    distinctUntilChanged(sameOptions),
    switchMap((options): Observable<never> => {
      if (!options.enabled) return EMPTY
      if (options.method.responsibleParty === 'server') return serverResponsible(send, frames$, options, scheduler)
      return options.method.type === 'pingPong' ? pingPong(send, frames$, options, scheduler) : keepAlive(send, options, scheduler)
    }),
  )

/**
 * Checks that an open socket is alive (`channel-and-subscriptions.md` §4) in the configured mode (A, B or C above), erroring with `ConnectionLost`
 * when it is not. Signals pass through untouched; a new `options$` value (checking switched on or off) restarts the check at once.
 *
 * socket$.pipe(connectivityCheck(of({ enabled: true, method: { type: 'pingPong', responsibleParty: 'client' }, pingInterval: 30000, maxMissedPings: 3 }), scheduler))
 */
export function connectivityCheck(options$: Observable<ConnectivityOptions>, scheduler: SchedulerLike = asyncScheduler): MonoTypeOperatorFunction<SocketSignal> {
  return (source) =>
    new Observable<SocketSignal>((subscriber) => {
      // Each signal goes straight on (it is on the path of every notification); frames are classified only while a check reads them (B, C).
      const frames = new Subject<FrameKind>()
      let check: Subscription | undefined
      let ended = false
      const signals = source.subscribe({
        next: (signal) => {
          subscriber.next(signal)
          if (signal.type === 'frame' && frames.observed) frames.next(classifyFrame(signal.value))
          if (signal.type !== 'opened' || subscriber.closed) return
          check?.unsubscribe()
          check = checks(signal.send, frames, options$, scheduler).subscribe({
            error: (error: unknown) => subscriber.error(error),
            complete: () => {
              if (ended) subscriber.complete()
            },
          })
        },
        error: (error: unknown) => subscriber.error(error),
        // As a merge of the signals and the checks: complete once both have.
        complete: () => {
          ended = true
          frames.complete()
          if (check === undefined || check.closed) subscriber.complete()
        },
      })
      return () => {
        check?.unsubscribe()
        signals.unsubscribe()
      }
    })
}
