import { expect } from 'chai'
import { BasicError } from '../../../streams/errors.js'
import { joinFailed, joinSucceeded } from '../../../streams/call/join.js'
import { withMediaConnection } from '../../../streams/call/media-connection.js'
import type { CallEvent, CallObject, CallRecord, CallsStep } from '../../../streams/call/model.js'
import { refusalOf, toCallObject } from '../../../streams/call/steps.js'
import { answered, bandwidth, reduce, reoffer, run, tracks } from './machine.js'

// Joined calls in the call machine (streams/call/join.ts `withJoins`), reduced as the call
// feature does. Two locally held calls (with bob `b`, with carol `c`) become the legs of a joined
// call `j`: the public sees them end and `j` appear; the legs live on inside.

/** An outgoing call, answered, sending a microphone and a camera and receiving both. */
const connected = (id: string, callee: string): CallEvent[] => [
  ...answered(id, callee, { audio: true, video: true }),
  ...tracks(id, { mic: true, cam: true, audio: false, video: false }),
]

/** Runs events and collects every output on the way. */
const outputsOf = (events: readonly CallEvent[], from: CallsStep): { step: CallsStep; outputs: CallsStep['outputs'][number][] } => {
  const outputs: CallsStep['outputs'][number][] = []
  let step = from
  for (const event of events) {
    step = reduce(step.state, event)
    outputs.push(...step.outputs)
  }
  return { step, outputs }
}

const held = (): CallsStep => run([...connected('b', 'bob@example.com'), ...reoffer('b', 'hold'), ...connected('c', 'carol@example.com'), ...reoffer('c', 'hold')])

const requested: CallEvent = { type: 'joinRequested', callId: 'b', otherCallId: 'c', joinedId: 'j' }

/** What the join does to each leg before bridging: video stopped, taken off hold. */
const unholding = (id: string): CallEvent[] => [
  { type: 'trackRemoved', callId: id, trackId: `${id}-cam`, local: true },
  { type: 'trackRemoved', callId: id, trackId: `${id}-video`, local: false },
  ...reoffer(id, 'unhold'),
]

const joined: CallEvent = {
  type: 'joined',
  callId: 'b',
  otherCallId: 'c',
  joinedId: 'j',
  webrtcSessionId: 'w-j',
  localTracks: ['b-mic'],
  remoteTracks: ['b-audio', 'c-audio'],
  at: 1000,
}

/** A completed join: j Connected over legs b and c. */
const joint = (): CallsStep => run([requested, ...unholding('b'), ...unholding('c'), joined], held())

const publicView = (step: CallsStep, id: string): CallObject => toCallObject(step.state.calls[id] as CallRecord)

describe('joined calls in the call machine (streams/call/join.ts)', () => {
  describe('joining', () => {
    it('marks both calls as joining: nothing is said, the public view does not change', () => {
      const before = held()
      const step = reduce(before.state, requested)
      expect(step.outputs).to.deep.equal([])
      expect(publicView(step, 'b')).to.deep.equal(publicView(before, 'b'))
      expect(step.state.calls.b?.joinedInto).to.deep.include({ into: 'j', ready: false, error: undefined })
    })

    it('refuses with call:join and the error, the state unchanged: unknown or same call call:7, not held or busy call:6, a joined call call:5', () => {
      const refusal = (step: CallsStep, event: CallEvent) => {
        const next = reduce(step.state, event)
        expect(next.state).to.equal(step.state)
        expect(next.outputs).to.have.length(1)
        expect(next.outputs[0]).to.deep.include({ type: 'joinReported', callId: (event as { callId: string }).callId })
        return refusalOf(next)?.code
      }
      const ready = held()
      expect(refusal(ready, { ...requested, otherCallId: 'nope' })).to.equal('call:7')
      expect(refusal(ready, { ...requested, otherCallId: 'b' })).to.equal('call:7')
      const oneHeld = run([...connected('b', 'bob@example.com'), ...reoffer('b', 'hold'), ...connected('c', 'carol@example.com')])
      expect(refusal(oneHeld, requested)).to.equal('call:6')
      expect(refusal(run([{ type: 'transferRequested', callId: 'b', otherCallId: 'c' }], ready), requested)).to.equal('call:6')
      expect(refusal(run([requested], ready), { ...requested, joinedId: 'k' })).to.equal('call:6')
      const withJoined = run([...connected('d', 'dave@example.com'), ...reoffer('d', 'hold')], joint())
      expect(refusal(withJoined, { type: 'joinRequested', callId: 'd', otherCallId: 'j', joinedId: 'k' })).to.equal('call:5')
    })

    it('the legs change inside (video stopped, off hold) without a word; each is ready once off hold', () => {
      const { step, outputs } = outputsOf([requested, ...unholding('b')], held())
      expect(outputs).to.deep.equal([])
      expect(step.state.calls.b).to.include({ state: 'Connected', localHold: false })
      expect(step.state.calls.b?.joinedInto).to.deep.include({ ready: true, error: undefined })
      expect(step.state.calls.c?.joinedInto?.ready).to.equal(false)
      expect(publicView(step, 'b')).to.include({ state: 'On Hold', localHold: true })
      expect(publicView(step, 'b').localTracks).to.deep.equal(['b-mic', 'b-cam'])
    })

    it('a leg busy again (a re-offer requested, which says nothing) is no longer ready', () => {
      const step = run([requested, ...unholding('b'), { type: 'reofferRequested', callId: 'b', operation: 'hold' }], held())
      expect(step.outputs).to.deep.equal([])
      expect(step.state.calls.b?.joinedInto).to.deep.include({ ready: false, error: undefined })
    })

    it('a leg that fails to come off hold, or ends, records why (the join effect then gives up)', () => {
      const error = new BasicError('call:2', 'no answer')
      const failed = run([requested, { type: 'reofferRequested', callId: 'b', operation: 'unhold' }, { type: 'reofferFailed', callId: 'b', operation: 'unhold', error }], held())
      expect(failed.outputs).to.deep.equal([])
      expect(failed.state.calls.b?.joinedInto).to.deep.include({ ready: false, error })
      const ended = run([requested, { type: 'remoteEnded', callId: 'c', at: 300 }], held())
      expect(ended.outputs).to.deep.equal([])
      expect(ended.state.calls.c?.joinedInto?.error?.code).to.equal('call:6')
    })

    it('joined: each call ends for the public ("Join Successful", 9906, its tracks first), then call:join names the new call and its tracks', () => {
      const before = run([requested, ...unholding('b'), ...unholding('c')], held())
      const step = reduce(before.state, joined)
      const ending = (id: string) => [
        { type: 'trackEnded', callId: id, trackId: `${id}-mic`, local: true, webrtcSessionId: `w-${id}` },
        { type: 'trackEnded', callId: id, trackId: `${id}-cam`, local: true, webrtcSessionId: `w-${id}` },
        { type: 'trackEnded', callId: id, trackId: `${id}-audio`, local: false, webrtcSessionId: `w-${id}` },
        { type: 'trackEnded', callId: id, trackId: `${id}-video`, local: false, webrtcSessionId: `w-${id}` },
        { type: 'stateChanged', callId: id, previous: { state: 'On Hold', localHold: true, remoteHold: false }, transition: joinSucceeded, error: undefined },
      ]
      expect(step.outputs).to.deep.equal([
        ...ending('b'),
        ...ending('c'),
        { type: 'joinReported', callId: 'j', error: undefined },
        { type: 'trackAdded', callId: 'j', trackId: 'b-mic', local: true, webrtcSessionId: 'w-j' },
        { type: 'trackAdded', callId: 'j', trackId: 'b-audio', local: false, webrtcSessionId: 'w-j' },
        { type: 'trackAdded', callId: 'j', trackId: 'c-audio', local: false, webrtcSessionId: 'w-j' },
      ])
      expect(joinSucceeded).to.deep.equal({ statusCode: 9906, reasonText: 'Join Successful' })
      expect(publicView(step, 'b')).to.deep.include({ state: 'Ended', localHold: true, endTime: 1000, startTime: 100, localTracks: [], remoteTracks: [] })
      expect(publicView(step, 'j')).to.deep.equal({
        id: 'j',
        direction: 'outgoing',
        state: 'Connected',
        localHold: false,
        remoteHold: false,
        localTracks: ['b-mic'],
        remoteTracks: ['b-audio', 'c-audio'],
        remoteParticipant: { displayNumber: undefined, displayName: undefined },
        from: 'alice@example.com',
        to: undefined,
        bandwidth,
        startTime: 1000,
        endTime: undefined,
        mediaConstraints: { audio: true },
        wrtcsSessionId: undefined,
        isSlowStart: undefined,
        mediaConnectionState: 'new',
      })
      // The legs live on inside, with their sessions (notifications and audits still reach them).
      expect(step.state.calls.b).to.include({ state: 'Connected', wrtcsSessionId: 's-b' })
      expect(step.state.calls.b?.remoteTracks).to.deep.equal(['b-audio'])
      expect(Object.keys(step.state.calls)).to.deep.equal(['b', 'c', 'j'])
      // A second `joined` (stale) changes nothing.
      expect(reduce(step.state, joined).outputs).to.deep.equal([])
    })

    it('a failed join gives both calls back (tracks lost meanwhile end), with the error and "Join Failed" (-2), then call:join with the error', () => {
      const error = new BasicError('call:2', 'replaceTrack failed')
      const before = run([requested, ...unholding('b'), ...unholding('c')], held())
      const step = reduce(before.state, { type: 'joinFailed', callId: 'b', otherCallId: 'c', error })
      const back = (id: string) => [
        { type: 'trackEnded', callId: id, trackId: `${id}-cam`, local: true, webrtcSessionId: `w-${id}` },
        { type: 'trackEnded', callId: id, trackId: `${id}-video`, local: false, webrtcSessionId: `w-${id}` },
        { type: 'stateChanged', callId: id, previous: { state: 'On Hold', localHold: true, remoteHold: false }, transition: joinFailed, error },
      ]
      expect(step.outputs).to.deep.equal([...back('b'), ...back('c'), { type: 'joinReported', callId: 'b', error }])
      expect(joinFailed).to.deep.equal({ statusCode: -2, reasonText: 'Join Failed' })
      expect(step.state.calls.b?.joinedInto).to.equal(undefined)
      expect(publicView(step, 'b')).to.deep.include({ state: 'Connected', localHold: false, localTracks: ['b-mic'] })
      // From now on the calls speak for themselves again.
      expect(reduce(step.state, { type: 'reofferRequested', callId: 'b', operation: 'hold' }).state.calls.b?.operation).to.equal('hold')
      expect(reduce(step.state, { type: 'reofferAnswered', callId: 'b', operation: 'hold' }).outputs).to.deep.equal([])
    })
  })

  describe('the joined call follows its legs', () => {
    it('stays Connected while one remote party holds; On Hold (remoteHold) once both do; Connected again after one unholds', () => {
      const { step: oneHeld, outputs: none } = outputsOf([{ type: 'remoteOfferAnswered', callId: 'b', operation: 'hold' }], joint())
      expect(none).to.deep.equal([])
      expect(publicView(oneHeld, 'j')).to.include({ state: 'Connected', remoteHold: false })
      const bothHeld = reduce(oneHeld.state, { type: 'remoteOfferAnswered', callId: 'c', operation: 'hold' })
      expect(bothHeld.outputs).to.deep.equal([
        { type: 'stateChanged', callId: 'j', previous: { state: 'Connected', localHold: false, remoteHold: false }, transition: undefined, error: undefined },
      ])
      expect(publicView(bothHeld, 'j')).to.include({ state: 'On Hold', remoteHold: true, localHold: false })
      const back = reduce(bothHeld.state, { type: 'remoteOfferAnswered', callId: 'b', operation: 'unhold' })
      // Leaving hold, the joined call announces its remote tracks again (hidden while held), then changes state.
      expect(back.outputs.map((output) => output.type)).to.deep.equal(['trackAdded', 'trackAdded', 'stateChanged'])
      expect(publicView(back, 'j')).to.include({ state: 'Connected', remoteHold: false })
      expect(publicView(back, 'j').remoteTracks).to.have.length(2)
    })

    it('hold: waits for both legs, then On Hold (localHold) in one change; unhold likewise', () => {
      const start = reduce(joint().state, { type: 'jointHoldRequested', callId: 'j', operation: 'hold' })
      expect(start.outputs).to.deep.equal([])
      expect(start.state.calls.j?.joint?.pending).to.deep.equal(['b', 'c'])
      const { step: half, outputs: quiet } = outputsOf(reoffer('b', 'hold'), start)
      expect(quiet).to.deep.equal([])
      expect(publicView(half, 'j')).to.include({ state: 'Connected', localHold: false })
      const { step: heldJoint, outputs } = outputsOf(reoffer('c', 'hold'), half)
      expect(outputs).to.deep.equal([
        { type: 'stateChanged', callId: 'j', previous: { state: 'Connected', localHold: false, remoteHold: false }, transition: undefined, error: undefined },
      ])
      expect(publicView(heldJoint, 'j')).to.include({ state: 'On Hold', localHold: true })
      expect(heldJoint.state.calls.j?.operation).to.equal(undefined)

      const unheld = outputsOf([{ type: 'jointHoldRequested', callId: 'j', operation: 'unhold' }, ...reoffer('b', 'unhold'), ...reoffer('c', 'unhold')], heldJoint)
      expect(unheld.outputs.map((output) => output.type)).to.deep.equal(['trackAdded', 'trackAdded', 'stateChanged'])
      expect(unheld.outputs[2]).to.deep.include({ callId: 'j', previous: { state: 'On Hold', localHold: true, remoteHold: false }, error: undefined })
      expect(publicView(unheld.step, 'j')).to.include({ state: 'Connected', localHold: false })
    })

    it('a leg that fails to hold: the joined call settles with that error, not held', () => {
      const error = new BasicError('call:2', 'the far end did not answer')
      const { step, outputs } = outputsOf(
        [
          { type: 'jointHoldRequested', callId: 'j', operation: 'hold' },
          ...reoffer('b', 'hold'),
          { type: 'reofferRequested', callId: 'c', operation: 'hold' },
          { type: 'reofferFailed', callId: 'c', operation: 'hold', error },
        ],
        joint(),
      )
      expect(outputs).to.deep.equal([
        { type: 'stateChanged', callId: 'j', previous: { state: 'Connected', localHold: false, remoteHold: false }, transition: undefined, error },
      ])
      expect(publicView(step, 'j')).to.include({ state: 'Connected', localHold: false })
      expect(step.state.calls.j?.operation).to.equal(undefined)
      expect(step.state.calls.j?.joint).to.deep.include({ pending: [], error: undefined })
    })

    it('hold waits only for the live legs that are not held yet', () => {
      const error = new BasicError('call:2', 'the far end did not answer')
      // b held, c not: a hold that half failed.
      const halfHeld = run(
        [
          { type: 'jointHoldRequested', callId: 'j', operation: 'hold' },
          ...reoffer('b', 'hold'),
          { type: 'reofferRequested', callId: 'c', operation: 'hold' },
          { type: 'reofferFailed', callId: 'c', operation: 'hold', error },
        ],
        joint(),
      )
      expect(reduce(halfHeld.state, { type: 'jointHoldRequested', callId: 'j', operation: 'hold' }).state.calls.j?.joint?.pending).to.deep.equal(['c'])
      const oneLeft = run([{ type: 'remoteEnded', callId: 'b', at: 2000 }], joint())
      expect(reduce(oneLeft.state, { type: 'jointHoldRequested', callId: 'j', operation: 'hold' }).state.calls.j?.joint?.pending).to.deep.equal(['c'])
    })

    it('refuses hold when held, unhold when not held, and hold of an unknown call', () => {
      const ready = joint()
      expect(refusalOf(reduce(ready.state, { type: 'jointHoldRequested', callId: 'j', operation: 'unhold' }))?.code).to.equal('call:6')
      const holding = reduce(ready.state, { type: 'jointHoldRequested', callId: 'j', operation: 'hold' })
      expect(refusalOf(reduce(holding.state, { type: 'jointHoldRequested', callId: 'j', operation: 'hold' }))?.code).to.equal('call:6')
      expect(refusalOf(reduce(ready.state, { type: 'jointHoldRequested', callId: 'x', operation: 'hold' }))?.code).to.equal('call:7')
    })

    it('a leg whose far end changed (new peer connection): its remote track is replaced in the joined call', () => {
      const { step, outputs } = outputsOf(
        [
          { type: 'trackRemoved', callId: 'b', trackId: 'b-audio', local: false },
          { type: 'trackAdded', callId: 'b', trackId: 'b-audio2', local: false },
          { type: 'trackAdded', callId: 'b', trackId: 'b-local-ignored', local: true },
        ],
        joint(),
      )
      expect(outputs).to.deep.equal([
        { type: 'trackEnded', callId: 'j', trackId: 'b-audio', local: false, webrtcSessionId: 'w-j' },
        { type: 'trackAdded', callId: 'j', trackId: 'b-audio2', local: false, webrtcSessionId: 'w-j' },
      ])
      expect(publicView(step, 'j').remoteTracks).to.deep.equal(['c-audio', 'b-audio2'])
    })

    it('one remote party hangs up: its track leaves the joined call; the last one ends it (prevState)', () => {
      const { step: one, outputs: first } = outputsOf([{ type: 'remoteEnded', callId: 'b', at: 2000 }], joint())
      expect(first).to.deep.equal([{ type: 'trackEnded', callId: 'j', trackId: 'b-audio', local: false, webrtcSessionId: 'w-j' }])
      expect(publicView(one, 'j')).to.deep.include({ state: 'Connected', remoteTracks: ['c-audio'] })
      expect(publicView(one, 'b')).to.include({ state: 'Ended', endTime: 1000 })
      const { step: both, outputs: last } = outputsOf([{ type: 'remoteEnded', callId: 'c', at: 3000 }], one)
      expect(last).to.deep.equal([
        { type: 'trackEnded', callId: 'j', trackId: 'c-audio', local: false, webrtcSessionId: 'w-j' },
        { type: 'trackEnded', callId: 'j', trackId: 'b-mic', local: true, webrtcSessionId: 'w-j' },
        { type: 'stateChanged', callId: 'j', previous: { state: 'Connected', localHold: false, remoteHold: false }, transition: { prevState: 'Connected' }, error: undefined },
      ])
      expect(publicView(both, 'j')).to.deep.include({ state: 'Ended', endTime: 3000, localTracks: [] })
    })

    /** The app ends the joined call, then its legs; the platform confirms each in turn. */
    const endAll: CallEvent[] = [
      { type: 'endRequested', callId: 'j' },
      { type: 'endRequested', callId: 'b' },
      { type: 'endRequested', callId: 'c' },
      { type: 'ended', callId: 'j', at: 4000 },
      { type: 'ended', callId: 'b', at: 4010 },
      { type: 'ended', callId: 'c', at: 4020 },
    ]

    it('ending the joined call: it ends by itself; its legs ending after say nothing', () => {
      const { step, outputs } = outputsOf(endAll, joint())
      expect(outputs.map((output) => `${output.type}:${output.callId}`)).to.deep.equal(['trackEnded:j', 'trackEnded:j', 'trackEnded:j', 'stateChanged:j'])
      expect(outputs.at(-1)).to.deep.include({ transition: undefined, error: undefined })
      expect(publicView(step, 'j').state).to.equal('Ended')
      expect(step.state.calls.b?.state).to.equal('Ended')
    })

    it('its legs say nothing of their media connection either: not while joined, nor when they end with the joined call', () => {
      // As the call store reduces (store.ts): the media connection layer around the joins.
      const reduceWithMedia = withMediaConnection(reduce)
      const events: CallEvent[] = [
        { type: 'mediaConnectionChanged', callId: 'b', state: 'connected' },
        { type: 'mediaConnectionChanged', callId: 'c', state: 'disconnected' },
        ...endAll,
      ]
      let state = joint().state
      const outputs: CallsStep['outputs'][number][] = []
      for (const event of events) {
        const step = reduceWithMedia(state, event)
        state = step.state
        outputs.push(...step.outputs)
      }
      expect(outputs.map((output) => `${output.type}:${output.callId}`)).to.deep.equal(['trackEnded:j', 'trackEnded:j', 'trackEnded:j', 'stateChanged:j', 'mediaConnectionChanged:j'])
      expect(state.calls.b?.mediaConnectionState).to.equal('closed')
    })
  })

  describe('refusals for joined calls and their legs (jointRefused)', () => {
    it('a joined call refuses media changes with each operation’s own event', () => {
      const error = new BasicError('call:5', 'audio only')
      const refusal = (operation: 'addMedia' | 'removeMedia' | 'replaceTrack' | 'stats' | 'dtmf' | 'join') =>
        reduce(joint().state, { type: 'jointRefused', callId: 'j', operation, error, trackId: 't', tones: '1' }).outputs
      expect(refusal('addMedia')).to.deep.equal([{ type: 'newMedia', callId: 'j', trackIds: [], mediaId: undefined, error }])
      expect(refusal('removeMedia')).to.deep.equal([{ type: 'removedMedia', callId: 'j', trackIds: [], error }])
      expect(refusal('replaceTrack')).to.deep.equal([{ type: 'trackReplaced', callId: 'j', newTrackId: undefined, oldTrack: undefined, error }])
      expect(refusal('stats')).to.deep.equal([{ type: 'statsReceived', callId: 'j', trackId: 't', result: undefined, error }])
      expect(refusal('dtmf')).to.deep.equal([{ type: 'dtmfSent', callId: 'j', tones: '1', inBand: false, error }])
      expect(refusal('join')).to.deep.equal([{ type: 'joinReported', callId: 'j', error }])
    })

    it('a call joined into another answers as the ended call it is for the public', () => {
      const error = new BasicError('call:6', 'joined')
      const ready = joint()
      const step = reduce(ready.state, { type: 'jointRefused', callId: 'b', operation: 'hold', error })
      expect(step.outputs).to.deep.equal([
        { type: 'stateChanged', callId: 'b', previous: { state: 'Ended', localHold: true, remoteHold: false }, transition: undefined, error },
      ])
      expect(step.state).to.equal(ready.state)
    })
  })
})
