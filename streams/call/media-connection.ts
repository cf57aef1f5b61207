import { Observable, distinctUntilChanged } from 'rxjs'
import type { CallOutput, CallRecord, CallsReducer, CallsState, CallsStep, MediaConnectionState } from './model.js'
import { isTerminal, put, unchanged } from './steps.js'

// A call's media connection (its peer connection's transport) is a fact through the reducer, so a media restart watches it like any other call state.

/**
 * The media connection state of a peer connection: its `iceConnectionState`, unless `connectionState` is failed (DTLS failed) or closed.
 *
 * mediaConnectionStateOf('connected', 'failed') // 'failed'
 */
export function mediaConnectionStateOf(ice: RTCIceConnectionState, connection: RTCPeerConnectionState | undefined): MediaConnectionState {
  return connection === 'failed' || connection === 'closed' ? connection : ice
}

/** The peer connection's media connection state: now, then every change (completes never; unsubscribe to stop). */
export function mediaConnectionState$(peer: RTCPeerConnection): Observable<MediaConnectionState> {
  return new Observable<MediaConnectionState>((subscriber) => {
    const emit = (): void => subscriber.next(mediaConnectionStateOf(peer.iceConnectionState, peer.connectionState))
    peer.addEventListener('iceconnectionstatechange', emit)
    peer.addEventListener('connectionstatechange', emit)
    emit()
    return () => {
      peer.removeEventListener('iceconnectionstatechange', emit)
      peer.removeEventListener('connectionstatechange', emit)
    }
  }).pipe(distinctUntilChanged())
}

/** `step` with the call's media connection changed `to` a new state, and saying so. */
const changed = (step: CallsStep, call: CallRecord, to: MediaConnectionState): CallsStep => ({
  state: put(step.state, { ...call, mediaConnectionState: to }),
  outputs: [...step.outputs, { type: 'mediaConnectionChanged', callId: call.id, previous: { state: call.mediaConnectionState } } satisfies CallOutput],
})

/** The calls a step ended (a transfer or a join ends two) whose media connection is not closed yet. */
const endedOpen = (before: CallsState, after: CallsState): CallRecord[] =>
  Object.values(after.calls).filter((call) => {
    const was = before.calls[call.id]
    return was !== undefined && !isTerminal(was.state) && isTerminal(call.state) && call.mediaConnectionState !== 'closed'
  })

/** A leg of a joined call: the app saw it end at the join, while its peer connection carries the joined call. */
const isJoinedLeg = (call: CallRecord | undefined): boolean => call?.joinedInto !== undefined && isTerminal(call.joinedInto.shown.state)

/** The step without the media connection changes of joined calls' legs: they change inside, as the legs' other outputs do (join.ts). */
const legsQuiet = (before: CallsState, step: CallsStep): CallsStep => ({
  state: step.state,
  outputs: step.outputs.filter((output) => output.type !== 'mediaConnectionChanged' || !isJoinedLeg(before.calls[output.callId])),
})

/** The call machine with media connection states: facts change a live call's; an ending call's becomes `closed` (closing a peer fires no state event). */
export const withMediaConnection =
  (reducer: CallsReducer): CallsReducer =>
  (state, event) => {
    if (event.type === 'mediaConnectionChanged') {
      const call = state.calls[event.callId]
      if (call === undefined || isTerminal(call.state) || call.mediaConnectionState === event.state) return unchanged(state)
      return legsQuiet(state, changed(unchanged(state), call, event.state))
    }
    const step = reducer(state, event)
    return legsQuiet(state, endedOpen(state, step.state).reduce((sofar, call) => changed(sofar, call, 'closed'), step))
  }
