import { withJoins } from '../../../streams/call/join.js'
import type { CallEvent, CallsStep } from '../../../streams/call/model.js'
import { callsReducer, initialCallsState } from '../../../streams/call/state.js'
import { withTransfers } from '../../../streams/call/transfer.js'
import type { MediaOptions } from '../../../streams/media/constraints.js'

// The call machine as the call feature layers it, and the calls its specs start from.

export const reduce = withJoins(withTransfers(callsReducer))
export const bandwidth = { audio: 5000, video: 5000 }

/** Runs events through the machine, from `from` (no call) on. */
export const run = (events: readonly CallEvent[], from: CallsStep = { state: initialCallsState, outputs: [] }): CallsStep =>
  events.reduce<CallsStep>((step, event) => reduce(step.state, event), from)

/** alice calls `callee` and the call is answered (id `id`, session `s-<id>`, WebRTC session `w-<id>`). */
export const answered = (id: string, callee: string, mediaConstraints: MediaOptions): CallEvent[] => [
  {
    type: 'callMade',
    callId: id,
    webrtcSessionId: `w-${id}`,
    from: 'alice@example.com',
    to: `sip:${callee}`,
    remoteParticipant: { displayNumber: callee, displayName: undefined },
    bandwidth,
    mediaConstraints,
  },
  { type: 'sessionCreated', callId: id, sessionId: `s-${id}` },
  { type: 'remoteAnswered', callId: id, at: 100 },
]

/** The tracks of call `id` start: each local (`true`) or remote. */
export const tracks = (id: string, started: Readonly<Record<string, boolean>>): CallEvent[] =>
  Object.entries(started).map(([name, local]): CallEvent => ({ type: 'trackAdded', callId: id, trackId: `${id}-${name}`, local }))

/** A hold or unhold of call `id`, answered. */
export const reoffer = (id: string, operation: 'hold' | 'unhold'): CallEvent[] => [
  { type: 'reofferRequested', callId: id, operation },
  { type: 'reofferAnswered', callId: id, operation },
]
