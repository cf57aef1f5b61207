import * as E from 'fp-ts/Either'
import { from } from 'rxjs'
import { BasicError, errorCodes } from '../errors.js'
import { asCallError, type CallEngine } from './engine.js'
import { endSession } from './requests.js'

/** `end` (calls.md §10): local media stops at once; the call ends when the platform answered, also with its error. */
export function createEnd({ store, runtimes, signalling, link, running, now }: Pick<CallEngine, 'store' | 'runtimes' | 'signalling' | 'link' | 'running' | 'now'>) {
  return (callId: string): void => {
    const call = store.request({ type: 'endRequested', callId })
    if (call === undefined) return
    runtimes.release(callId)
    const ended = (error?: BasicError): void => void store.dispatch({ type: 'ended', callId, at: now(), error })
    const where = signalling.scope()
    if (call.wrtcsSessionId === undefined || E.isLeft(where)) return ended()
    running.add(endSession(link, where.right, call.wrtcsSessionId).subscribe({ complete: () => ended(), error: (error: unknown) => ended(asCallError(error)) }))
  }
}

/** `getStats`: the call's (or one of its tracks') RTCStatsReport in `statsReceived`. */
export function createStats({ store, runtimes, media, running }: Pick<CallEngine, 'store' | 'runtimes' | 'media' | 'running'>) {
  return (callId: string, trackId?: string): void => {
    if (store.request({ type: 'statsRequested', callId, trackId }) === undefined) return
    const report = (result: RTCStatsReport | undefined, error?: BasicError): void => void store.dispatch({ type: 'statsReported', callId, trackId, result, error })
    const peer = runtimes.find(callId)?.peer
    if (peer === undefined) return report(undefined, new BasicError(errorCodes.call.GENERIC_ERROR, `Call ${callId} has no WebRTC session yet.`))
    const selector = trackId === undefined ? undefined : media.track(trackId)
    if (trackId !== undefined && selector === undefined) return report(undefined, new BasicError(errorCodes.call.INVALID_PARAM, `Track ${trackId} is no longer live.`))
    running.add(from(peer.connection.getStats(selector)).subscribe({ next: (result) => report(result), error: (error: unknown) => report(undefined, asCallError(error)) }))
  }
}
