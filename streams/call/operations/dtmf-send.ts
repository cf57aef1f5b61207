import * as E from 'fp-ts/Either'
import { EMPTY, catchError, finalize, tap } from 'rxjs'
import { BasicError, errorCodes } from '../../errors.js'
import { checkTones, dtmfTiming, inBandQueue, playInBand } from '../dtmf.js'
import { asCallError, type CallEngine } from '../engine.js'
import { hasTelephoneEvent } from '../inference.js'
import { refusalOf } from '../steps.js'

/** DTMF (calls.md §13): no public event, success or failure; the outcome is logged and in `dtmfSent`. */
export function createDtmf({ store, runtimes, environment, logger }: Pick<CallEngine, 'store' | 'runtimes' | 'environment' | 'logger'>) {
  /** Each call's queue of in-band sequences, owned by the call. */
  const inBandQueues = new Map<string, ReturnType<typeof inBandQueue>>()
  const inBandOf = (callId: string): ReturnType<typeof inBandQueue> => {
    const known = inBandQueues.get(callId)
    if (known !== undefined) return known
    const queue = inBandQueue()
    inBandQueues.set(callId, queue)
    runtimes.own(callId, queue.queued$.pipe(finalize(() => inBandQueues.delete(callId))))
    return queue
  }

  return (callId: string, tone: string, duration?: number, intertoneGap?: number): void => {
    // An app may pass anything: checkTones refuses what is no string of tones.
    const tones = typeof tone === 'string' ? tone : ''
    const report = (inBand: boolean, error?: BasicError): void => {
      if (error !== undefined) logger.error(`Call ${callId}: DTMF not sent (${error.code}): ${error.message}`)
      store.dispatch({ type: 'dtmfSent', callId, tones, inBand, error })
    }
    const checked = checkTones(tone)
    if (E.isLeft(checked)) return report(false, checked.left)
    const timing = dtmfTiming(duration, intertoneGap)
    if (E.isLeft(timing)) return report(false, timing.left)
    const refusal = refusalOf(store.dispatch({ type: 'dtmfRequested', callId, tones }))
    if (refusal !== undefined) return logger.error(`Call ${callId}: DTMF not sent (${refusal.code}): ${refusal.message}`)
    const peer = runtimes.find(callId)?.peer
    const sender = peer?.connection.getSenders().find((candidate) => candidate.track?.kind === 'audio')
    if (peer === undefined || sender === undefined) return report(false, new BasicError(errorCodes.call.GENERIC_ERROR, `Call ${callId} sends no audio: no DTMF.`))
    // Some WebRTC stacks (Node's) have no RTCDTMFSender at all.
    const dtmf = sender.dtmf as RTCDTMFSender | null | undefined
    if (hasTelephoneEvent(peer.connection.remoteDescription?.sdp ?? '') && dtmf?.canInsertDTMF === true) {
      try {
        dtmf.insertDTMF(tones, timing.right.duration, timing.right.gap)
        return report(false)
      } catch (error) {
        return report(false, asCallError(error))
      }
    }
    const played = inBandOf(callId).play(playInBand(environment, sender, tones, timing.right))
    runtimes.own(callId, played.pipe(tap({ complete: () => report(true) }), catchError((error: unknown) => (report(true, asCallError(error)), EMPTY))))
  }
}
