import * as E from 'fp-ts/Either'
import { EMPTY, Observable, Subject, catchError, concatMap, defer, finalize, from, fromEvent, switchMap, take, tap, throwError, timer } from 'rxjs'
import type { Environment } from '../environment.js'
import { asBasicError, BasicError, errorCodes } from '../errors.js'

// DTMF (protocol/calls.md §13): out-of-band by RTCDTMFSender if `telephone-event` was negotiated, else in-band (WebAudio); same tones, same timing.

/** The tones `call.sendDTMF` accepts (api-reference): digits, `*`, `#`, and `,` (a 2 s pause). */
const dtmfTones = '0123456789*#,'

/** A `,` pauses this long, as RTCDTMFSender does. */
export const dtmfPause = 2000

/** RTCDTMFSender's limits, which the in-band path follows too. */
const minDuration = 40
const maxDuration = 6000
const minGap = 30

export interface DtmfTiming {
  /** Milliseconds of each tone. */
  readonly duration: number
  /** Milliseconds of silence after each tone. */
  readonly gap: number
}

/** The keypad, row by row: a tone's row gives its low frequency, its column its high one (ITU-T Q.23). */
const keypad = '123456789*0#'
/** Row (low) and column (high) frequencies in Hz. */
const rows = [697, 770, 852, 941]
const columns = [1209, 1336, 1477]

/** Checks `call.sendDTMF`'s tones: a non-empty string of `0-9 * # ,`, else a `call:7` BasicError naming the characters that are not tones. */
export function checkTones(tone: unknown): E.Either<BasicError, string> {
  if (typeof tone !== 'string' || tone === '') return E.left(new BasicError(errorCodes.call.INVALID_PARAM, 'sendDTMF needs the tone(s) to send: a non-empty string.'))
  const invalid = [...new Set([...tone].filter((character) => !dtmfTones.includes(character)))]
  if (invalid.length > 0)
    return E.left(new BasicError(errorCodes.call.INVALID_PARAM, `Invalid DTMF tone(s) ${invalid.map((character) => JSON.stringify(character)).join(', ')}: valid tones are 0-9, *, # and , (pause).`))
  return E.right(tone)
}

/** `call.sendDTMF(callId, tone, duration = 100, intertoneGap = 70)`'s timing in ms, clamped as RTCDTMFSender does (tone 40–6000, gap ≥ 30). */
export function dtmfTiming(duration: unknown, intertoneGap: unknown): E.Either<BasicError, DtmfTiming> {
  const value = (given: unknown, fallback: number, name: string): E.Either<BasicError, number> =>
    given === undefined || given === null
      ? E.right(fallback)
      : typeof given === 'number' && Number.isFinite(given) && given >= 0
        ? E.right(given)
        : E.left(new BasicError(errorCodes.call.INVALID_PARAM, `sendDTMF: ${name} must be a number of milliseconds.`))
  const toneMs = value(duration, 100, 'duration')
  if (E.isLeft(toneMs)) return toneMs
  const gapMs = value(intertoneGap, 70, 'intertoneGap')
  if (E.isLeft(gapMs)) return gapMs
  return E.right({ duration: Math.min(maxDuration, Math.max(minDuration, toneMs.right)), gap: Math.max(minGap, gapMs.right) })
}

/** One tone of a sequence: when it starts (ms from the start) and its two frequencies. */
interface ScheduledTone {
  readonly at: number
  readonly low: number
  readonly high: number
}

/**
 * When each tone of a sequence plays, and how long the whole sequence lasts (a `,` is a 2 s pause in place of a tone and its gap).
 *
 * dtmfSchedule('1,2', { duration: 100, gap: 70 }) // { tones: [{ at: 0, … }, { at: 2170, … }], length: 2340 }
 */
export function dtmfSchedule(tones: string, timing: DtmfTiming): { readonly tones: readonly ScheduledTone[]; readonly length: number } {
  let at = 0
  const scheduled: ScheduledTone[] = []
  for (const tone of tones) {
    const key = keypad.indexOf(tone)
    if (key >= 0) scheduled.push({ at, low: rows[Math.floor(key / 3)] as number, high: columns[key % 3] as number })
    at += key < 0 ? dtmfPause : timing.duration + timing.gap
  }
  return { tones: scheduled, length: at }
}

/** Peak amplitude of each sine of a tone (the pair peaks at about −4 dBFS, above any speech). */
const amplitude = 0.3

/** How long the mixed track stays on after the last tone, so the encoder sends its tail before the microphone returns. */
const tailMs = 250

/**
 * Plays tones in-band: a WebAudio mix of the microphone and each tone's two sines replaces the sender's track (no renegotiation) while they play.
 * Completes once the microphone is back on the sender, so sequences queued by `inBandQueue` never take a mixed track for the microphone.
 *
 * playInBand(environment, audioSender, '123#', { duration: 100, gap: 70 }).subscribe()
 */
export function playInBand(host: Pick<Environment, 'AudioContext' | 'MediaStream' | 'scheduler'>, sender: RTCRtpSender, tones: string, timing: DtmfTiming): Observable<void> {
  return defer(() => {
    const original = sender.track
    if (host.AudioContext === undefined || host.MediaStream === undefined)
      return throwError(() => new BasicError(errorCodes.call.GENERIC_ERROR, 'In-band DTMF needs WebAudio (AudioContext) and MediaStream.'))
    if (original === null || original.kind !== 'audio')
      return throwError(() => new BasicError(errorCodes.call.GENERIC_ERROR, 'In-band DTMF needs the call to send audio.'))
    const context = new host.AudioContext()
    const destination = context.createMediaStreamDestination()
    const source = context.createMediaStreamSource(new host.MediaStream([original]))
    source.connect(destination)
    const [mixed] = destination.stream.getAudioTracks()
    let restored: Promise<void> | undefined
    const restore = (): Promise<void> => {
      if (restored !== undefined) return restored
      source.disconnect()
      restored = (sender.track === mixed ? sender.replaceTrack(original) : Promise.resolve())
        .catch(() => undefined)
        .finally(() => {
          mixed?.stop()
          void context.close().catch(() => undefined)
        })
      return restored
    }
    const { tones: scheduled, length } = dtmfSchedule(tones, timing)
    return from(context.resume().then(() => sender.replaceTrack(mixed ?? null))).pipe(
      switchMap(() => {
        const start = context.currentTime + 0.02
        let last: OscillatorNode | undefined
        for (const tone of scheduled) {
          const gain = context.createGain()
          gain.gain.value = amplitude
          gain.connect(destination)
          for (const frequency of [tone.low, tone.high]) {
            const oscillator = context.createOscillator()
            oscillator.frequency.value = frequency
            oscillator.connect(gain)
            oscillator.start(start + tone.at / 1000)
            oscillator.stop(start + (tone.at + timing.duration) / 1000)
            last = oscillator
          }
        }
        // The audio clock lags the wall clock on a busy machine: the microphone returns a tail after the last tone's real end (pauses only: the length).
        return last === undefined ? timer(length, host.scheduler) : fromEvent(last, 'ended').pipe(take(1))
      }),
      switchMap(() => timer(tailMs, host.scheduler)),
      switchMap(() => restore()),
      catchError((error: unknown) => {
        void restore()
        return throwError(() => asBasicError(error, errorCodes.call.GENERIC_ERROR, 'In-band DTMF failed'))
      }),
      finalize(() => void restore()),
    )
  })
}

/**
 * Plays one call's in-band sequences one after another (each swaps the sender's track); `queued$` must be subscribed once, by the call's owner.
 *
 * const queue = inBandQueue(); own(queue.queued$); queue.play(playInBand(...)).subscribe()
 */
export function inBandQueue(): { readonly queued$: Observable<unknown>; readonly play: <T>(sequence$: Observable<T>) => Observable<T> } {
  const turns = new Subject<Observable<unknown>>()
  return {
    queued$: turns.pipe(concatMap((turn$) => turn$)),
    play: <T>(sequence$: Observable<T>) =>
      new Observable<T>((subscriber) => {
        // The turn ends however the sequence ends, its outcome going to the caller; a caller gone before its turn gives the turn up.
        turns.next(defer(() => (subscriber.closed ? EMPTY : sequence$.pipe(tap(subscriber), catchError(() => EMPTY)))))
      }),
  }
}
