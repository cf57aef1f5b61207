import { map, merge, type Observable } from 'rxjs'
import { each } from '../../streams/each.js'
import type { CallFeature } from '../../streams/call/feature.js'
import type { CallOutput } from '../../streams/call/model.js'
import type { CallMediaConnectionPayload, CallQualityWarningPayload } from '../event-map.js'
import type { PublicEvent } from '../events.js'

// The call feature's outputs as the documented call:* events.

/**
 * The payload of `call:qualityWarning`: a warning of the call rose (`active: true`) or cleared, with its figure (`value`). Warnings:
 * `high-rtt`, `high-jitter`, `packet-loss`, `low-mos` (from one-second stats samples: 3 of the last 5 beyond the threshold raise one,
 * none of them clears it), `no-inbound-media` (media connected, nothing arriving from the far end), `constant-audio-input` (the
 * microphone silent or at one level). Thresholds: config `call.qualityThresholds`. A call whose sampling stops (it ended) has its active warnings cleared.
 *
 * client.on('call:qualityWarning', ({ callId, name, active }) => badge(callId, name, active))
 */
export type QualityWarning = CallQualityWarningPayload
/**
 * The payload of `call:mediaConnectionChange`: the call's media connection (its peer connection's transport: `new`, `checking`,
 * `connected`, `completed`, `disconnected`, `failed`, `closed`) changed from `previous.state`; `getById(callId).mediaConnectionState`
 * is the new one. A call that ends has its media connection `closed` (after its `call:stateChange`). Relay-only calls: config
 * `call.defaultPeerConfig: { iceTransportPolicy: 'relay' }`.
 *
 * client.on('call:mediaConnectionChange', ({ callId }) => client.call.getById(callId).mediaConnectionState === 'failed' && warn(callId))
 */
export type MediaConnectionChange = CallMediaConnectionPayload

/** The documented event of a call output; none for those the original SDK does not emit. */
const toPublic = (output: CallOutput): PublicEvent[] => {
  switch (output.type) {
    case 'callStarted':
      return [{ type: 'call:start', payload: { callId: output.callId, error: undefined } }]
    case 'callReceived':
      return [{ type: 'call:receive', payload: { callId: output.callId, error: undefined } }]
    case 'stateChanged':
      return [{ type: 'call:stateChange', payload: { callId: output.callId, error: output.error, transition: output.transition, previous: output.previous } }]
    case 'trackAdded':
    case 'trackEnded':
      return [{ type: output.type === 'trackAdded' ? 'call:newTrack' : 'call:trackEnded', payload: { callId: output.callId, local: output.local, trackId: output.trackId, id: output.webrtcSessionId } }]
    case 'statsReceived':
      return [{ type: 'call:statsReceived', payload: { callId: output.callId, error: output.error, result: output.result, trackId: output.trackId } }]
    case 'newMedia':
      return [{ type: 'call:newMedia', payload: { callId: output.callId, error: output.error, local: true, tracks: [...output.trackIds], mediaId: output.mediaId } }]
    case 'removedMedia':
      return [{ type: 'call:removedMedia', payload: { callId: output.callId, error: output.error, local: true, tracks: [...output.trackIds] } }]
    case 'trackReplaced':
      return [{ type: 'call:trackReplaced', payload: { callId: output.callId, error: output.error, newTrackId: output.newTrackId, oldTrack: output.oldTrack } }]
    case 'dtmfSent':
      // protocol/events.md §6: sendDTMF emits nothing, success or failure.
      return []
    case 'joinReported':
      return [{ type: 'call:join', payload: { callId: output.callId, error: output.error } }]
    case 'mediaConnectionChanged':
      return [{ type: 'call:mediaConnectionChange', payload: { callId: output.callId, previous: output.previous } satisfies MediaConnectionChange }]
    case 'mediaRestarted':
      return [{ type: 'call:mediaRestart', payload: output.error === undefined ? { callId: output.callId } : { callId: output.callId, error: output.error } }]
  }
}

/** Every documented event of the call namespace: the calls' events, quality warnings, and rejected call notifications. */
export const callEvents$ = (call: Pick<CallFeature, 'events$' | 'quality' | 'droppedNotifications$'>): Observable<PublicEvent> =>
  merge(
    call.events$.pipe(each(toPublic)),
    call.quality.warnings$.pipe(map(({ callId, name, active, value }): PublicEvent => ({ type: 'call:qualityWarning', payload: { callId, name, active, value } satisfies QualityWarning }))),
    // A malformed call notification that names no call is a rejected frame (as the connection reports unreadable ones).
    call.droppedNotifications$.pipe(map((error): PublicEvent => ({ type: 'notifications:error', payload: { channel: 'websocket', error } }))),
  )
