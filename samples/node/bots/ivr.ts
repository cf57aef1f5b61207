import { Observable, filter, mergeMap, switchMap, takeUntil, tap, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs'
import { createCodecRemover } from '../../../lib/index.js'
import { createDtmfDetector, pcmToFloat, type DtmfDetector } from '../dtmf.js'
import { audioOf, silence } from '../media.js'
import { callEnded, connected, onEachCall, type BotDefinition } from './definition.js'

export interface IvrOptions {
  /** Milliseconds without a new digit that end a sequence (default 2000); `#` ends one at once. */
  readonly pauseMs?: number
}

/** The DTMF digits heard on an audio track, one by one, as the Goertzel detector recognises them. */
export function dtmfOf(track: MediaStreamTrack): Observable<string> {
  return new Observable<string>((subscriber) => {
    let detector: { readonly sampleRate: number; readonly detect: DtmfDetector } | undefined
    return audioOf(track).subscribe({
      next: ({ samples, sampleRate, channelCount }) => {
        if (detector?.sampleRate !== sampleRate) detector = { sampleRate, detect: createDtmfDetector(sampleRate) }
        for (const digit of detector.detect.push(pcmToFloat(samples, channelCount))) subscriber.next(digit)
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    })
  })
}

/** Groups digits into sequences: a sequence ends with `#`, after `pauseMs` without a digit, or when the digits end. */
export function sequences(pauseMs: number, scheduler: SchedulerLike): OperatorFunction<string, string> {
  return (digits$) =>
    new Observable<string>((subscriber) => {
      let pending = ''
      let pause: Subscription | undefined
      const flush = (): void => {
        pause?.unsubscribe()
        pause = undefined
        if (pending !== '') subscriber.next(pending)
        pending = ''
      }
      const subscription = digits$.subscribe({
        next: (digit) => {
          pending += digit
          pause?.unsubscribe()
          if (digit === '#') flush()
          else pause = scheduler.schedule(flush, pauseMs)
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          flush()
          subscriber.complete()
        },
      })
      return () => {
        pause?.unsubscribe()
        subscription.unsubscribe()
      }
    })
}

/** What the IVR writes to the caller: a greeting, then one line per sequence of digits. */
export const ivrGreeting = 'IVR: key in digits on your keypad and finish with # (or pause).'
export const ivrAcknowledgement = (digits: string): string => `IVR received: ${digits}`

/**
 * `ivr`: answers every call, detects the DTMF the caller keys in from the audio (in-band, with
 * a Goertzel detector) and acknowledges each sequence by chat to the caller. It strips
 * `telephone-event` from its SDP, so callers fall back to in-band tones.
 */
export const ivrBot = (options: IvrOptions = {}): BotDefinition => ({
  kind: 'ivr',
  description: 'answers calls, hears the DTMF you key in (in-band tones) and acknowledges each sequence by chat; # or a pause ends one',
  services: ['call', 'chat'],
  config: { call: { sdpHandlers: [createCodecRemover(['telephone-event'])] } },
  media: { audio: silence, video: undefined },
  start: onEachCall((agent, call) => {
    const caller = call.from ?? call.remoteParticipant.displayNumber
    const tell = (text: string): void => {
      if (caller !== undefined) agent.send(caller, 'chat-oneToOne', text)
    }
    agent.log(`answering ${caller ?? 'a caller'}`)
    agent.client.call.answer(call.id, { audio: true })
    return connected(agent, call.id).pipe(
      tap(() => tell(ivrGreeting)),
      switchMap(() => agent.remoteTracks(call.id)),
      filter((track) => track.kind === 'audio'),
      mergeMap(dtmfOf),
      takeUntil(callEnded(agent, call.id)),
      sequences(options.pauseMs ?? 2000, agent.scheduler),
      tap((digits) => {
        agent.log(`heard ${digits}`)
        tell(ivrAcknowledgement(digits))
      }),
    )
  }),
})
