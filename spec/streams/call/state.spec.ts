import { expect } from 'chai'
import { BasicError } from '../../../streams/errors.js'
import { callStates, type CallEvent, type CallOutput, type CallRecord, type CallState, type CallsState, type CallsStep, type RemoteOperation } from '../../../streams/call/model.js'
import { callsReducer, initialCallsState } from '../../../streams/call/state.js'
import { callBySession, refusalOf, toCallObject } from '../../../streams/call/steps.js'

const bandwidth = { audio: 5000, video: 5000 }

const made: CallEvent = {
  type: 'callMade',
  callId: 'out',
  webrtcSessionId: 'w-out',
  from: 'alice@example.com',
  to: 'sip:bob@example.com',
  remoteParticipant: { displayNumber: 'sip:bob@example.com', displayName: undefined },
  bandwidth,
  mediaConstraints: { audio: true },
}

const invited: CallEvent = {
  type: 'callInvited',
  callId: 'in',
  webrtcSessionId: 'w-in',
  sessionId: 's-in',
  from: 'bob@example.com',
  to: 'alice@example.com',
  remoteParticipant: { displayNumber: 'bob@example.com', displayName: 'Bob Builder' },
  isSlowStart: false,
  remoteTracks: ['r-audio'],
}

/** Runs events from the empty state; returns the last step. */
const run = (...events: CallEvent[]): CallsStep =>
  events.reduce<CallsStep>((step, event) => callsReducer(step.state, event), { state: initialCallsState, outputs: [] })

const outgoingIn = (state: CallState): CallEvent[] => {
  const base: CallEvent[] = [made]
  if (state === callStates.INITIATING) return base
  base.push({ type: 'sessionCreated', callId: 'out', sessionId: 's-out' })
  if (state === callStates.INITIATED) return base
  if (state === callStates.RINGING) return [...base, { type: 'ringingReported', callId: 'out' }]
  base.push({ type: 'remoteAnswered', callId: 'out', at: 100 })
  if (state === callStates.CONNECTED) return base
  if (state === callStates.ENDED) return [...base, { type: 'remoteEnded', callId: 'out', at: 200 }]
  if (state === callStates.CANCELLED) return [made, { type: 'sessionCreated', callId: 'out', sessionId: 's-out' }, { type: 'remoteCancelled', callId: 'out', at: 150 }]
  throw new Error(`no path to ${state}`)
}

const error = new BasicError('SVC0004', 'No valid addresses')

const stateChange = (step: CallsStep): Extract<CallOutput, { type: 'stateChanged' }> => {
  const found = step.outputs.find((output) => output.type === 'stateChanged')
  if (found === undefined || found.type !== 'stateChanged') throw new Error('no stateChanged output')
  return found
}

/** Asserts the call's record after a step (`fields` of it) and the state its call:stateChange reports it left. */
const expectChanged = (step: CallsStep, callId: string, fields: Partial<CallRecord>, previous: CallState): void => {
  expect(step.state.calls[callId]).to.deep.include(fields)
  expect(stateChange(step).previous?.state).to.equal(previous)
}

describe('call state machine (streams/call/state.ts)', () => {
  describe('outgoing calls', () => {
    it('make creates an outgoing call in Initiating with every CallObject field and says nothing', () => {
      const step = run(made)
      expect(step.outputs).to.deep.equal([])
      expect(toCallObject(step.state.calls.out)).to.deep.equal({
        id: 'out',
        direction: 'outgoing',
        state: 'Initiating',
        localHold: false,
        remoteHold: false,
        localTracks: [],
        remoteTracks: [],
        remoteParticipant: { displayNumber: 'sip:bob@example.com', displayName: undefined },
        from: 'alice@example.com',
        to: 'sip:bob@example.com',
        bandwidth,
        startTime: undefined,
        endTime: undefined,
        mediaConstraints: { audio: true },
        wrtcsSessionId: undefined,
        isSlowStart: undefined,
        mediaConnectionState: 'new',
      })
    })

    it('session created: Initiating → Initiated with call:start and the platform session id', () => {
      const step = run(made, { type: 'sessionCreated', callId: 'out', sessionId: 's-out' })
      expect(step.state.calls.out.state).to.equal('Initiated')
      expect(step.state.calls.out.wrtcsSessionId).to.equal('s-out')
      expect(step.outputs).to.deep.equal([{ type: 'callStarted', callId: 'out' }])
    })

    it('media / offer / request failure: Initiating → Ended with the error, startTime = endTime', () => {
      const step = run(made, { type: 'callFailed', callId: 'out', error, at: 42 })
      const call = step.state.calls.out
      expect([call.state, call.startTime, call.endTime]).to.deep.equal(['Ended', 42, 42])
      expect(step.outputs).to.deep.equal([
        { type: 'stateChanged', callId: 'out', previous: { state: 'Initiating', localHold: false, remoteHold: false }, transition: undefined, error },
      ])
    })

    it('Ringing notification: Initiated → Ringing; ignored in any other state', () => {
      const step = run(...outgoingIn('Initiated'), { type: 'ringingReported', callId: 'out' })
      expectChanged(step, 'out', { state: 'Ringing' }, 'Initiated')
      for (const state of ['Initiating', 'Ringing', 'Connected', 'Ended', 'Cancelled'] as const) {
        const before = run(...outgoingIn(state)).state
        const again = callsReducer(before, { type: 'ringingReported', callId: 'out' })
        expect(again.state, state).to.equal(before)
        expect(again.outputs, state).to.deep.equal([])
      }
    })

    for (const from of ['Initiated', 'Ringing'] as const) {
      it(`answer notification: ${from} → Connected, startTime set, hold flags false`, () => {
        const step = run(...outgoingIn(from), { type: 'remoteAnswered', callId: 'out', at: 1234 })
        const call = step.state.calls.out
        expect([call.state, call.startTime, call.localHold, call.remoteHold]).to.deep.equal(['Connected', 1234, false, false])
        expect(step.outputs).to.deep.equal([
          { type: 'stateChanged', callId: 'out', previous: { state: from, localHold: false, remoteHold: false }, transition: undefined, error: undefined },
        ])
      })
    }

    it('an answer notification in Initiating, Connected or a terminal state changes nothing', () => {
      for (const state of ['Initiating', 'Connected', 'Ended', 'Cancelled'] as const) {
        const before = run(...outgoingIn(state)).state
        const step = callsReducer(before, { type: 'remoteAnswered', callId: 'out', at: 5 })
        expect(step.state, state).to.equal(before)
        expect(step.outputs, state).to.deep.equal([])
      }
    })

    it('answer cannot be applied: Ringing → Ended with the error', () => {
      const step = run(...outgoingIn('Ringing'), { type: 'callFailed', callId: 'out', error, at: 9 })
      expect(step.state.calls.out.state).to.equal('Ended')
      expect(stateChange(step).error).to.equal(error)
    })

    it('cancel before answer: end in Ringing → Ended once the DELETE is done', () => {
      const requested = run(...outgoingIn('Ringing'), { type: 'endRequested', callId: 'out' })
      expect(requested.outputs).to.deep.equal([])
      expect(requested.state.calls.out.state).to.equal('Ringing')
      expectChanged(callsReducer(requested.state, { type: 'ended', callId: 'out', at: 77 }), 'out', { state: 'Ended', endTime: 77 }, 'Ringing')
    })

    it('end while Initiating ends the call; a late session creation changes nothing', () => {
      const ended = run(made, { type: 'endRequested', callId: 'out' }, { type: 'ended', callId: 'out', at: 3 })
      expect(ended.state.calls.out.state).to.equal('Ended')
      const late = callsReducer(ended.state, { type: 'sessionCreated', callId: 'out', sessionId: 's-out' })
      expect(late.state).to.equal(ended.state)
      expect(late.outputs).to.deep.equal([])
    })
  })

  describe('incoming calls', () => {
    it('invitation creates an incoming Ringing call (hold flags unset) with call:receive and its remote tracks', () => {
      const step = run(invited)
      const call = toCallObject(step.state.calls.in)
      expect(call).to.include({ direction: 'incoming', state: 'Ringing', localHold: undefined, remoteHold: undefined, wrtcsSessionId: 's-in' })
      expect(call.remoteParticipant).to.deep.equal({ displayNumber: 'bob@example.com', displayName: 'Bob Builder' })
      expect([call.from, call.to, call.isSlowStart]).to.deep.equal(['bob@example.com', 'alice@example.com', false])
      expect(call.remoteTracks).to.deep.equal(['r-audio'])
      expect(step.outputs).to.deep.equal([
        { type: 'callReceived', callId: 'in' },
        { type: 'trackAdded', callId: 'in', trackId: 'r-audio', local: false, webrtcSessionId: 'w-in' },
      ])
    })

    it('answer succeeded (regular): Ringing → Connected with startTime and both hold flags false', () => {
      const step = run(invited, { type: 'answerRequested', callId: 'in', mediaConstraints: { audio: true, video: true }, bandwidth: { audio: 64, video: 500 } }, { type: 'answered', callId: 'in', at: 500 })
      const call = step.state.calls.in
      expect([call.state, call.startTime, call.localHold, call.remoteHold]).to.deep.equal(['Connected', 500, false, false])
      expect(call.bandwidth).to.deep.equal({ audio: 64, video: 500 })
      expect(call.mediaConstraints).to.deep.equal({ audio: true, video: true })
      expect(stateChange(step).previous).to.deep.equal({ state: 'Ringing', localHold: undefined, remoteHold: undefined })
    })

    it('answer failed: state unchanged, error in call:stateChange, and a new answer is allowed', () => {
      const requested = run(invited, { type: 'answerRequested', callId: 'in', mediaConstraints: { audio: true }, bandwidth })
      const step = callsReducer(requested.state, { type: 'operationFailed', callId: 'in', operation: 'answer', error })
      expect(step.state.calls.in.state).to.equal('Ringing')
      expect(step.state.calls.in.operation).to.equal(undefined)
      expect(stateChange(step).error).to.equal(error)
      expect(refusalOf(callsReducer(step.state, { type: 'answerRequested', callId: 'in', mediaConstraints: {}, bandwidth }))).to.equal(undefined)
    })

    it('slow start: the call stays Ringing after our offer, and the answer notification connects it', () => {
      const slow = { ...invited, isSlowStart: true, remoteTracks: [] }
      const requested = run(slow, { type: 'answerRequested', callId: 'in', mediaConstraints: { audio: true }, bandwidth })
      expect(requested.state.calls.in.state).to.equal('Ringing')
      expectChanged(callsReducer(requested.state, { type: 'remoteAnswered', callId: 'in', at: 900 }), 'in', { state: 'Connected', startTime: 900 }, 'Ringing')
    })

    it('an answer notification for a regular incoming call changes nothing', () => {
      const before = run(invited).state
      const step = callsReducer(before, { type: 'remoteAnswered', callId: 'in', at: 1 })
      expect(step.state).to.equal(before)
    })

    it('reject succeeded: Ringing → Ended; reject failed: unchanged with the error', () => {
      const requested = run(invited, { type: 'rejectRequested', callId: 'in' })
      const ok = callsReducer(requested.state, { type: 'rejected', callId: 'in', at: 10 })
      expect(ok.state.calls.in.state).to.equal('Ended')
      expect(ok.outputs.map((output) => output.type)).to.deep.equal(['trackEnded', 'stateChanged'])
      const failed = callsReducer(requested.state, { type: 'operationFailed', callId: 'in', operation: 'reject', error })
      expect(failed.state.calls.in.state).to.equal('Ringing')
      expect(stateChange(failed).error).to.equal(error)
    })

    it('ignore: Ringing → Ended locally, remote tracks ended', () => {
      const step = run(invited, { type: 'ignored', callId: 'in', at: 11 })
      expect(step.state.calls.in.state).to.equal('Ended')
      expect(step.state.calls.in.remoteTracks).to.deep.equal([])
      expect(step.outputs[0]).to.deep.equal({ type: 'trackEnded', callId: 'in', trackId: 'r-audio', local: false, webrtcSessionId: 'w-in' })
      expect(stateChange(step).previous?.state).to.equal('Ringing')
    })
  })

  describe('ending from any non-terminal state', () => {
    const nonTerminal = ['Initiating', 'Initiated', 'Ringing', 'Connected'] as const

    for (const from of nonTerminal) {
      it(`SessionEnded: ${from} → Ended with transition { prevState: ${from} }`, () => {
        const step = run(...outgoingIn(from), { type: 'remoteEnded', callId: 'out', at: 300 })
        const call = step.state.calls.out
        expect([call.state, call.endTime]).to.deep.equal(['Ended', 300])
        expect(stateChange(step).transition).to.deep.equal({ prevState: from })
      })

      it(`Cancelled: ${from} → Cancelled without endTime`, () => {
        const step = run(...outgoingIn(from), { type: 'remoteCancelled', callId: 'out', at: 300 })
        expect(step.state.calls.out.state).to.equal('Cancelled')
        expect(step.state.calls.out.endTime).to.equal(undefined)
        expect(stateChange(step).previous?.state).to.equal(from)
      })

      it(`end: ${from} → Ended, even with a failed DELETE (error in the event)`, () => {
        const step = run(...outgoingIn(from), { type: 'endRequested', callId: 'out' }, { type: 'ended', callId: 'out', at: 400, error })
        expect(step.state.calls.out.state).to.equal('Ended')
        expect(stateChange(step).error).to.equal(error)
      })
    }

    it('SessionEnded passes the platform reason into the transition', () => {
      const step = run(...outgoingIn('Initiated'), {
        type: 'remoteEnded',
        callId: 'out',
        at: 1,
        transition: { statusCode: 480, reasonText: 'Temporarily Unavailable' },
      })
      expect(stateChange(step).transition).to.deep.equal({ prevState: 'Initiated', statusCode: 480, reasonText: 'Temporarily Unavailable' })
    })

    it('ending a call ends its local and remote tracks first, then changes state', () => {
      const withTracks = run(
        ...outgoingIn('Connected'),
        { type: 'trackAdded', callId: 'out', trackId: 'l1', local: true },
        { type: 'trackAdded', callId: 'out', trackId: 'r1', local: false },
      )
      const step = callsReducer(withTracks.state, { type: 'remoteEnded', callId: 'out', at: 5 })
      expect(step.outputs.map((output) => [output.type, 'trackId' in output ? output.trackId : undefined])).to.deep.equal([
        ['trackEnded', 'l1'],
        ['trackEnded', 'r1'],
        ['stateChanged', undefined],
      ])
      expect(step.state.calls.out.localTracks).to.deep.equal([])
    })

    it('terminal calls ignore every later fact', () => {
      for (const state of ['Ended', 'Cancelled'] as const) {
        const before = run(...outgoingIn(state)).state
        for (const event of [
          { type: 'remoteEnded', callId: 'out', at: 1 },
          { type: 'remoteCancelled', callId: 'out', at: 1 },
          { type: 'callFailed', callId: 'out', error, at: 1 },
          { type: 'ended', callId: 'out', at: 1 },
          { type: 'trackAdded', callId: 'out', trackId: 't', local: true },
        ] satisfies CallEvent[]) {
          const step = callsReducer(before, event)
          expect(step.state, `${state} ${event.type}`).to.equal(before)
          expect(step.outputs, `${state} ${event.type}`).to.deep.equal([])
        }
      }
    })
  })

  describe('refused requests change nothing and report a BasicError', () => {
    const refusedCode = (state: CallsState, event: CallEvent): string | number | undefined => {
      const step = callsReducer(state, event)
      expect(step.state, event.type).to.equal(state)
      return refusalOf(step)?.code
    }

    it('every request on an unknown call id: call:7', () => {
      for (const event of [
        { type: 'answerRequested', callId: 'nope', mediaConstraints: {}, bandwidth },
        { type: 'rejectRequested', callId: 'nope' },
        { type: 'ignored', callId: 'nope', at: 1 },
        { type: 'endRequested', callId: 'nope' },
        { type: 'statsRequested', callId: 'nope', trackId: undefined },
      ] satisfies CallEvent[]) {
        expect(refusedCode(initialCallsState, event), event.type).to.equal('call:7')
      }
    })

    it('answer, reject and ignore an outgoing call in every state: call:6', () => {
      for (const state of ['Initiating', 'Initiated', 'Ringing', 'Connected', 'Ended', 'Cancelled'] as const) {
        const before = run(...outgoingIn(state)).state
        for (const event of [
          { type: 'answerRequested', callId: 'out', mediaConstraints: {}, bandwidth },
          { type: 'rejectRequested', callId: 'out' },
          { type: 'ignored', callId: 'out', at: 1 },
        ] satisfies CallEvent[]) {
          expect(refusedCode(before, event), `${state} ${event.type}`).to.equal('call:6')
        }
      }
    })

    /** What only a ringing incoming call allows. */
    const ringingRequests: CallEvent[] = [
      { type: 'answerRequested', callId: 'in', mediaConstraints: {}, bandwidth },
      { type: 'rejectRequested', callId: 'in' },
      { type: 'ignored', callId: 'in', at: 1 },
    ]

    it('answer, reject, ignore an incoming call that is connected or ended: call:6', () => {
      const connected = run(invited, { type: 'answerRequested', callId: 'in', mediaConstraints: {}, bandwidth }, { type: 'answered', callId: 'in', at: 1 }).state
      const ended = run(invited, { type: 'ignored', callId: 'in', at: 1 }).state
      for (const before of [connected, ended]) {
        for (const event of ringingRequests) expect(refusedCode(before, event), event.type).to.equal('call:6')
      }
    })

    it('a second answer while an answer is in progress: call:6', () => {
      const answering = run(invited, { type: 'answerRequested', callId: 'in', mediaConstraints: {}, bandwidth }).state
      expect(refusedCode(answering, ringingRequests[0]!)).to.equal('call:6')
    })

    it('reject while an answer is in progress abandons it: the late answer changes nothing; rejected ends the call, a failed reject leaves it Ringing and free', () => {
      const rejecting = run(invited, { type: 'answerRequested', callId: 'in', mediaConstraints: {}, bandwidth }, { type: 'rejectRequested', callId: 'in' })
      expect(refusalOf(rejecting)).to.equal(undefined)
      expect(rejecting.state.calls.in).to.include({ state: 'Ringing', operation: 'reject' })
      expect(callsReducer(rejecting.state, { type: 'answered', callId: 'in', at: 2 }).state).to.equal(rejecting.state)
      expect(callsReducer(rejecting.state, { type: 'operationFailed', callId: 'in', operation: 'answer', error }).state).to.equal(rejecting.state)
      expect(callsReducer(rejecting.state, { type: 'rejected', callId: 'in', at: 3 }).state.calls.in?.state).to.equal('Ended')
      const refused = callsReducer(rejecting.state, { type: 'operationFailed', callId: 'in', operation: 'reject', error }).state
      expect(refused.calls.in).to.include({ state: 'Ringing', operation: undefined })
      expect(refusedCode(rejecting.state, { type: 'rejectRequested', callId: 'in' }), 'a second reject').to.equal('call:6')
    })

    it('ignore while an answer is in progress (a slow-start one waiting for the far end too) ends the call; the late answer changes nothing', () => {
      const answering = run({ ...invited, isSlowStart: true, remoteTracks: [] }, { type: 'answerRequested', callId: 'in', mediaConstraints: {}, bandwidth })
      const ignored = callsReducer(answering.state, { type: 'ignored', callId: 'in', at: 2 })
      expect(refusalOf(ignored)).to.equal(undefined)
      expect(ignored.state.calls.in?.state).to.equal('Ended')
      expect(callsReducer(ignored.state, { type: 'remoteAnswered', callId: 'in', at: 3 }).state).to.equal(ignored.state)
    })

    it('end on an ended or cancelled call, and a second end while ending: call:6', () => {
      expect(refusedCode(run(...outgoingIn('Ended')).state, { type: 'endRequested', callId: 'out' })).to.equal('call:6')
      expect(refusedCode(run(...outgoingIn('Cancelled')).state, { type: 'endRequested', callId: 'out' })).to.equal('call:6')
      const ending = run(...outgoingIn('Connected'), { type: 'endRequested', callId: 'out' }).state
      expect(refusedCode(ending, { type: 'endRequested', callId: 'out' })).to.equal('call:6')
    })

    it('end overrides an answer in progress; the late answer result is ignored', () => {
      const ending = run(invited, { type: 'answerRequested', callId: 'in', mediaConstraints: {}, bandwidth }, { type: 'endRequested', callId: 'in' })
      expect(refusalOf(ending)).to.equal(undefined)
      const late = callsReducer(ending.state, { type: 'answered', callId: 'in', at: 2 })
      expect(late.state).to.equal(ending.state)
      expect(callsReducer(ending.state, { type: 'ended', callId: 'in', at: 3 }).state.calls.in.state).to.equal('Ended')
    })

    it('a refusal keeps the previous snapshot in the event', () => {
      const before = run(...outgoingIn('Connected')).state
      const step = callsReducer(before, { type: 'answerRequested', callId: 'out', mediaConstraints: {}, bandwidth })
      expect(stateChange(step).previous).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    })

    it('stats of an ended call (call:6) or of a track of another call (call:7) are refused with call:statsReceived', () => {
      const ended = run(...outgoingIn('Ended')).state
      const step = callsReducer(ended, { type: 'statsRequested', callId: 'out', trackId: undefined })
      expect(step.outputs).to.have.length(1)
      expect(step.outputs[0]).to.include({ type: 'statsReceived', callId: 'out', result: undefined })
      expect(refusalOf(step)?.code).to.equal('call:6')
      const connected = run(...outgoingIn('Connected')).state
      expect(refusedCode(connected, { type: 'statsRequested', callId: 'out', trackId: 'other' })).to.equal('call:7')
      expect(refusedCode(connected, { type: 'statsRequested', callId: 'out', trackId: undefined })).to.equal(undefined)
    })
  })

  describe('malformed notifications', () => {
    it('a malformed notification for a live call is reported on the call and changes nothing', () => {
      const before = run(...outgoingIn('Ringing')).state
      const step = callsReducer(before, { type: 'notificationRejected', callId: 'out', error })
      expect(step.state).to.equal(before)
      expect(step.outputs).to.deep.equal([
        { type: 'stateChanged', callId: 'out', previous: { state: 'Ringing', localHold: false, remoteHold: false }, transition: undefined, error },
      ])
      const ended = run(...outgoingIn('Ended')).state
      expect(callsReducer(ended, { type: 'notificationRejected', callId: 'out', error }).outputs).to.deep.equal([])
    })
  })

  describe('tracks and stats', () => {
    it('adds a track once, removes it with call:trackEnded', () => {
      const added = run(...outgoingIn('Connected'), { type: 'trackAdded', callId: 'out', trackId: 'v', local: false })
      expect(added.outputs).to.deep.equal([{ type: 'trackAdded', callId: 'out', trackId: 'v', local: false, webrtcSessionId: 'w-out' }])
      const again = callsReducer(added.state, { type: 'trackAdded', callId: 'out', trackId: 'v', local: false })
      expect(again.state).to.equal(added.state)
      const removed = callsReducer(added.state, { type: 'trackRemoved', callId: 'out', trackId: 'v', local: false })
      expect(removed.state.calls.out.remoteTracks).to.deep.equal([])
      expect(removed.outputs).to.deep.equal([{ type: 'trackEnded', callId: 'out', trackId: 'v', local: false, webrtcSessionId: 'w-out' }])
    })

    it('a stats report becomes call:statsReceived and changes nothing', () => {
      const before = run(...outgoingIn('Connected')).state
      const result = new Map() as unknown as RTCStatsReport
      const step = callsReducer(before, { type: 'statsReported', callId: 'out', trackId: 'v', result })
      expect(step.state).to.equal(before)
      expect(step.outputs).to.deep.equal([{ type: 'statsReceived', callId: 'out', trackId: 'v', result, error: undefined }])
    })
  })

  describe('mid-call operations (protocol/calls.md §7–§9, §13)', () => {
    const connected = (): CallsState => run(...outgoingIn('Connected'), { type: 'trackAdded', callId: 'out', trackId: 'l-audio', local: true }).state
    const step = (state: CallsState, ...events: CallEvent[]): CallsStep =>
      events.reduce<CallsStep>((last, event) => callsReducer(last.state, event), { state, outputs: [] })
    const hold: CallEvent = { type: 'reofferRequested', callId: 'out', operation: 'hold' }
    const held: CallEvent = { type: 'reofferAnswered', callId: 'out', operation: 'hold' }
    const unhold: CallEvent = { type: 'reofferRequested', callId: 'out', operation: 'unhold' }
    const unheld: CallEvent = { type: 'reofferAnswered', callId: 'out', operation: 'unhold' }
    const remote = (operation: RemoteOperation): CallEvent => ({ type: 'remoteOfferAnswered', callId: 'out', operation })
    const flags = (state: CallsState) => {
      const call = state.calls.out
      return { state: call.state, localHold: call.localHold, remoteHold: call.remoteHold }
    }

    it('hold: the request marks the operation and says nothing; the answer makes it On Hold with localHold, one call:stateChange', () => {
      const requested = callsReducer(connected(), hold)
      expect(requested.outputs).to.deep.equal([])
      expect(requested.state.calls.out.operation).to.equal('hold')
      const done = callsReducer(requested.state, held)
      expect(flags(done.state)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false })
      expect(done.state.calls.out.operation).to.equal(undefined)
      expect(done.outputs).to.deep.equal([{ type: 'stateChanged', callId: 'out', previous: { state: 'Connected', localHold: false, remoteHold: false }, transition: undefined, error: undefined }])
    })

    it('a hold or unhold answered with a bandwidth settles it on the call; without one the call keeps its own', () => {
      const narrow = { audio: 64, video: 256 }
      const locallyHeld = step(connected(), hold, { ...held, bandwidth: narrow }).state
      expect(locallyHeld.calls.out.bandwidth).to.deep.equal(narrow)
      expect(step(locallyHeld, unhold, unheld).state.calls.out.bandwidth).to.deep.equal(narrow)
      const wide = { audio: 128, video: 2000 }
      expect(step(locallyHeld, unhold, { ...unheld, bandwidth: wide }).state.calls.out.bandwidth).to.deep.equal(wide)
    })

    it('unhold: back to Connected; with the far end still holding, the call stays On Hold', () => {
      const locallyHeld = step(connected(), hold, held).state
      expect(flags(step(locallyHeld, unhold, unheld).state)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
      const dual = step(locallyHeld, remote('hold')).state
      expect(flags(dual)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: true })
      const done = step(dual, unhold, unheld)
      expect(flags(done.state)).to.deep.equal({ state: 'On Hold', localHold: false, remoteHold: true })
      expect(stateChange(done).previous).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: true })
    })

    it('remote hold and unhold set remoteHold; a call held by both stays On Hold until both have unheld', () => {
      const remotelyHeld = callsReducer(connected(), remote('hold'))
      expect(flags(remotelyHeld.state)).to.deep.equal({ state: 'On Hold', localHold: false, remoteHold: true })
      expect(stateChange(remotelyHeld).previous).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
      const dual = step(remotelyHeld.state, hold, held).state
      expect(flags(dual)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: true })
      const remoteUnheld = step(dual, remote('unhold')).state
      expect(flags(remoteUnheld)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false })
      expect(flags(step(remoteUnheld, unhold, unheld).state)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    })

    it('a held call shows no remote track, as the original SDK; leaving hold announces them again before its call:stateChange; they still end with the call', () => {
      const withRemote = step(connected(), { type: 'trackAdded', callId: 'out', trackId: 'r-audio', local: false }).state
      const locallyHeld = step(withRemote, hold, held)
      expect(toCallObject(locallyHeld.state.calls.out).remoteTracks).to.deep.equal([])
      expect(locallyHeld.outputs.map((output) => output.type)).to.deep.equal(['stateChanged'])
      // A remote track that arrives while held is kept quiet until the hold ends.
      const arrived = step(locallyHeld.state, { type: 'trackAdded', callId: 'out', trackId: 'r-video', local: false })
      expect(arrived.outputs).to.deep.equal([])
      const resumed = step(arrived.state, unhold, unheld)
      expect(resumed.outputs.map((output) => output.type === 'trackAdded' ? `${output.type} ${output.trackId} ${output.local}` : output.type)).to.deep.equal([
        'trackAdded r-audio false',
        'trackAdded r-video false',
        'stateChanged',
      ])
      expect(toCallObject(resumed.state.calls.out).remoteTracks).to.deep.equal(['r-audio', 'r-video'])
      // Remotely held, then ended while held: the hidden remote track ends with the call.
      const remotelyHeld = step(withRemote, remote('hold'))
      expect(toCallObject(remotelyHeld.state.calls.out).remoteTracks).to.deep.equal([])
      const ended = step(remotelyHeld.state, { type: 'endRequested', callId: 'out' }, { type: 'ended', callId: 'out', at: 9 })
      expect(ended.outputs.filter((output) => output.type === 'trackEnded').map((output) => 'trackId' in output && output.trackId)).to.deep.equal(['l-audio', 'r-audio'])
    })

    it('remote media changes change nothing and say nothing (their tracks do); no change or unknown is a generic call:stateChange', () => {
      const before = connected()
      for (const operation of ['addMedia', 'removeMedia', 'startMusicOnHold', 'stopMusicOnHold'] as const) {
        const result = callsReducer(before, remote(operation))
        expect([result.state, result.outputs], operation).to.deep.equal([before, []])
      }
      for (const operation of ['noChange', 'unknown'] as const) {
        const result = callsReducer(before, remote(operation))
        expect(result.state, operation).to.equal(before)
        expect(result.outputs).to.deep.equal([{ type: 'stateChanged', callId: 'out', previous: { state: 'Connected', localHold: false, remoteHold: false }, transition: undefined, error: undefined }])
      }
    })

    it('a remote re-offer that failed reports its error in call:stateChange and changes nothing; one for an unanswered or ended call does nothing', () => {
      const before = connected()
      const failed = callsReducer(before, { type: 'remoteOfferFailed', callId: 'out', operation: 'hold', error })
      expect(failed.state).to.equal(before)
      expect(stateChange(failed).error).to.equal(error)
      const ringing = run(...outgoingIn('Ringing')).state
      expect(callsReducer(ringing, remote('hold'))).to.deep.equal({ state: ringing, outputs: [] })
      const ended = run(...outgoingIn('Ended')).state
      expect(callsReducer(ended, remote('hold'))).to.deep.equal({ state: ended, outputs: [] })
      expect(callsReducer(ended, { type: 'remoteOfferFailed', callId: 'out', operation: 'hold', error }).outputs).to.deep.equal([])
    })

    it('refuses hold and unhold in the wrong state (call:6) or for an unknown call (call:7), and a second operation while one runs', () => {
      const refusedWith = (state: CallsState, event: CallEvent) => {
        const result = callsReducer(state, event)
        expect(result.state, event.type).to.equal(state)
        return refusalOf(result)?.code
      }
      expect(refusedWith(run(...outgoingIn('Ringing')).state, hold)).to.equal('call:6')
      expect(refusedWith(run(invited).state, { ...hold, callId: 'in' })).to.equal('call:6')
      expect(refusedWith(run(...outgoingIn('Ended')).state, hold)).to.equal('call:6')
      expect(refusedWith(connected(), unhold)).to.equal('call:6')
      const locallyHeld = step(connected(), hold, held).state
      expect(refusedWith(locallyHeld, hold)).to.equal('call:6')
      expect(refusedWith(callsReducer(connected(), hold).state, hold)).to.equal('call:6')
      expect(refusedWith(connected(), { ...hold, callId: 'nope' })).to.equal('call:7')
      const refusal = callsReducer(locallyHeld, hold).outputs[0]
      expect(refusal).to.deep.include({ type: 'stateChanged', previous: { state: 'On Hold', localHold: true, remoteHold: false } })
    })

    it('a failed hold or unhold: the call as it was, call:stateChange with the error; a late answer afterwards changes nothing', () => {
      const requested = callsReducer(connected(), hold).state
      const failed = callsReducer(requested, { type: 'reofferFailed', callId: 'out', operation: 'hold', error })
      expect(flags(failed.state)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
      expect(failed.state.calls.out.operation).to.equal(undefined)
      expect(stateChange(failed)).to.deep.include({ error, previous: { state: 'Connected', localHold: false, remoteHold: false } })
      expect(callsReducer(failed.state, held)).to.deep.equal({ state: failed.state, outputs: [] })
      const ending = step(requested, { type: 'endRequested', callId: 'out' }).state
      expect(callsReducer(ending, held)).to.deep.equal({ state: ending, outputs: [] })
    })

    it('addMedia: Connected only; the answer gives call:newMedia with the tracks, media id and the new bandwidth; a failure gives call:newMedia with the error', () => {
      const add: CallEvent = { type: 'reofferRequested', callId: 'out', operation: 'addMedia' }
      const requested = callsReducer(connected(), add).state
      const done = callsReducer(requested, { type: 'reofferAnswered', callId: 'out', operation: 'addMedia', trackIds: ['l-video'], mediaId: 'm-2', bandwidth: { audio: 5000, video: 800 } })
      expect(done.outputs).to.deep.equal([{ type: 'newMedia', callId: 'out', trackIds: ['l-video'], mediaId: 'm-2', error: undefined }])
      expect(done.state.calls.out.bandwidth).to.deep.equal({ audio: 5000, video: 800 })
      expect(flags(done.state)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
      const failed = callsReducer(requested, { type: 'reofferFailed', callId: 'out', operation: 'addMedia', error })
      expect(failed.outputs).to.deep.equal([{ type: 'newMedia', callId: 'out', trackIds: [], mediaId: undefined, error }])
      const onHold = step(connected(), hold, held).state
      const refused = callsReducer(onHold, add)
      expect(refused.state).to.equal(onHold)
      expect(refused.outputs).to.have.length(1)
      expect(refused.outputs[0]).to.deep.include({ type: 'newMedia', trackIds: [], mediaId: undefined })
      expect(refusalOf(refused)?.code).to.equal('call:6')
    })

    it('removeMedia: only local tracks of a Connected call (call:7 otherwise, call:6 in another state); the answer gives call:removedMedia', () => {
      const remove = (trackIds: readonly string[]): CallEvent => ({ type: 'reofferRequested', callId: 'out', operation: 'removeMedia', trackIds })
      for (const trackIds of [[], ['r-1'], ['l-audio', 'nope']]) {
        const refused = callsReducer(connected(), remove(trackIds))
        expect(refusalOf(refused)?.code, JSON.stringify(trackIds)).to.equal('call:7')
        expect(refused.outputs[0]).to.deep.include({ type: 'removedMedia', trackIds: [] })
      }
      expect(refusalOf(callsReducer(step(connected(), hold, held).state, remove(['l-audio'])))?.code).to.equal('call:6')
      const requested = callsReducer(connected(), remove(['l-audio']))
      expect(refusalOf(requested)).to.equal(undefined)
      const done = callsReducer(requested.state, { type: 'reofferAnswered', callId: 'out', operation: 'removeMedia', trackIds: ['l-audio'] })
      expect(done.outputs).to.deep.equal([{ type: 'removedMedia', callId: 'out', trackIds: ['l-audio'], error: undefined }])
      expect(callsReducer(requested.state, { type: 'reofferFailed', callId: 'out', operation: 'removeMedia', error }).outputs).to.deep.equal([
        { type: 'removedMedia', callId: 'out', trackIds: [], error },
      ])
    })

    it('replaceTrack: a local track of a Connected call; the new id takes the old one’s place, call:trackEnded for it, then call:trackReplaced with the old TrackObject', () => {
      const oldTrack = { containers: [], disabled: false, id: 'l-audio', kind: 'audio', label: 'mic', muted: false, state: 'live' as const, streamId: 'm-1' }
      const requested = callsReducer(connected(), { type: 'replaceRequested', callId: 'out', trackId: 'l-audio' })
      expect(requested.outputs).to.deep.equal([])
      const done = callsReducer(requested.state, { type: 'trackReplaced', callId: 'out', oldTrackId: 'l-audio', newTrackId: 'l-audio-2', oldTrack })
      expect(done.state.calls.out.localTracks).to.deep.equal(['l-audio-2'])
      expect(done.outputs).to.deep.equal([
        { type: 'trackEnded', callId: 'out', trackId: 'l-audio', local: true, webrtcSessionId: done.state.calls.out.webrtcSessionId },
        { type: 'trackReplaced', callId: 'out', newTrackId: 'l-audio-2', oldTrack, error: undefined },
      ])
      const failed = callsReducer(requested.state, { type: 'replaceFailed', callId: 'out', trackId: 'l-audio', error })
      expect(failed.outputs).to.deep.equal([{ type: 'trackReplaced', callId: 'out', newTrackId: undefined, oldTrack: undefined, error }])
      expect(failed.state.calls.out.localTracks).to.deep.equal(['l-audio'])
      expect(refusalOf(callsReducer(connected(), { type: 'replaceRequested', callId: 'out', trackId: 'r-1' }))?.code).to.equal('call:7')
      expect(refusalOf(callsReducer(step(connected(), hold, held).state, { type: 'replaceRequested', callId: 'out', trackId: 'l-audio' }))?.code).to.equal('call:6')
    })

    it('DTMF: allowed on a Connected or Ringing call, refused (call:6) otherwise; the outcome is a dtmfSent output only', () => {
      const dtmf: CallEvent = { type: 'dtmfRequested', callId: 'out', tones: '12#' }
      expect(callsReducer(connected(), dtmf).outputs).to.deep.equal([])
      expect(callsReducer(run(...outgoingIn('Ringing')).state, dtmf).outputs).to.deep.equal([])
      const held = callsReducer(step(connected(), hold, { type: 'reofferAnswered', callId: 'out', operation: 'hold' }).state, dtmf)
      expect(held.outputs[0]).to.deep.include({ type: 'dtmfSent', callId: 'out', tones: '12#' })
      expect(refusalOf(held)?.code).to.equal('call:6')
      expect(refusalOf(callsReducer(connected(), { ...dtmf, callId: 'nope' }))?.code).to.equal('call:7')
      const sent = callsReducer(connected(), { type: 'dtmfSent', callId: 'out', tones: '12#', inBand: true })
      expect(sent.outputs).to.deep.equal([{ type: 'dtmfSent', callId: 'out', tones: '12#', inBand: true, error: undefined }])
    })
  })

  describe('selectors', () => {
    it('callBySession finds the live call of a platform session, not an ended one', () => {
      const live = run(invited).state
      expect(callBySession(live, 's-in')?.id).to.equal('in')
      expect(callBySession(live, 'other')).to.equal(undefined)
      const ended = callsReducer(live, { type: 'ignored', callId: 'in', at: 1 }).state
      expect(callBySession(ended, 's-in')).to.equal(undefined)
    })

    it('keeps calls in creation order', () => {
      const state = run(made, invited).state
      expect(Object.values(state.calls).map((call: CallRecord) => call.id)).to.deep.equal(['out', 'in'])
    })
  })
})
