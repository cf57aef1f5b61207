import { expect } from 'chai'
import { Subject } from 'rxjs'
import { callEvents$ } from '../../../lib/api/call-events.js'
import type { PublicEvent } from '../../../lib/events.js'
import type { QualityWarningOutput } from '../../../streams/call/quality/store.js'
import type { CallOutput } from '../../../streams/call/model.js'
import type { TrackObject } from '../../../streams/media/state.js'
import { BasicError } from '../../../streams/errors.js'

// The call feature's outputs are given here by hand: the mapping to the documented events is pure, and every kind of output, with
// every field set, can be given at once. Real calls produce them in spec/bots (Node, wrtc) and spec/browser/calls (Chromium).
const setup = () => {
  const outputs = new Subject<CallOutput>()
  const warnings = new Subject<QualityWarningOutput>()
  const dropped = new Subject<BasicError>()
  const seen: PublicEvent[] = []
  const subscription = callEvents$({ events$: outputs, quality: { warnings$: warnings } as never, droppedNotifications$: dropped }).subscribe((event) => seen.push(event))
  return { outputs, warnings, dropped, seen, subscription }
}

const error = new BasicError('call:1', 'failed')

describe('call events', () => {
  it('gives each call output its documented event and payload, every field named and none more', () => {
    const { outputs, seen } = setup()
    const previous = { state: 'Initiated', localHold: false, remoteHold: false } as const
    const transition = { prevState: 'Ringing', statusCode: 486, reasonText: 'Busy Here' } as const
    const result = new Map() as unknown as RTCStatsReport
    const oldTrack = { id: 't-old' } as TrackObject
    const given: CallOutput[] = [
      { type: 'callStarted', callId: 'c1' },
      { type: 'callReceived', callId: 'c2' },
      { type: 'stateChanged', callId: 'c1', previous, transition, error },
      { type: 'trackAdded', callId: 'c1', trackId: 't1', local: true, webrtcSessionId: 's1' },
      { type: 'trackEnded', callId: 'c1', trackId: 't2', local: false, webrtcSessionId: 's1' },
      { type: 'statsReceived', callId: 'c1', trackId: 't1', result, error },
      { type: 'newMedia', callId: 'c1', trackIds: ['t3', 't4'], mediaId: 'm1', error },
      { type: 'removedMedia', callId: 'c1', trackIds: ['t3'], error },
      { type: 'trackReplaced', callId: 'c1', newTrackId: 't5', oldTrack, error },
      { type: 'joinReported', callId: 'c3', error },
      { type: 'mediaConnectionChanged', callId: 'c1', previous: { state: 'checking' } },
    ]
    for (const output of given) outputs.next(output)
    expect(seen).to.deep.equal([
      { type: 'call:start', payload: { callId: 'c1', error: undefined } },
      { type: 'call:receive', payload: { callId: 'c2', error: undefined } },
      { type: 'call:stateChange', payload: { callId: 'c1', error, transition, previous } },
      { type: 'call:newTrack', payload: { callId: 'c1', local: true, trackId: 't1', id: 's1' } },
      { type: 'call:trackEnded', payload: { callId: 'c1', local: false, trackId: 't2', id: 's1' } },
      { type: 'call:statsReceived', payload: { callId: 'c1', error, result, trackId: 't1' } },
      { type: 'call:newMedia', payload: { callId: 'c1', error, local: true, tracks: ['t3', 't4'], mediaId: 'm1' } },
      { type: 'call:removedMedia', payload: { callId: 'c1', error, local: true, tracks: ['t3'] } },
      { type: 'call:trackReplaced', payload: { callId: 'c1', error, newTrackId: 't5', oldTrack } },
      { type: 'call:join', payload: { callId: 'c3', error } },
      { type: 'call:mediaConnectionChange', payload: { callId: 'c1', previous: { state: 'checking' } } },
    ])
  })

  it("gives call:newMedia and call:removedMedia an array of their own, which the app may change without touching the call's", () => {
    const { outputs, seen } = setup()
    const trackIds = ['t1']
    outputs.next({ type: 'newMedia', callId: 'c1', trackIds, mediaId: 'm1', error: undefined })
    outputs.next({ type: 'removedMedia', callId: 'c1', trackIds, error: undefined })
    const tracks = seen.map(({ payload }) => (payload as { tracks: string[] }).tracks)
    expect(tracks).to.deep.equal([['t1'], ['t1']])
    expect(tracks[0]).to.not.equal(trackIds)
    expect(tracks[1]).to.not.equal(trackIds)
  })

  it('emits nothing for sent DTMF tones, success or failure (protocol/events.md §6)', () => {
    const { outputs, seen } = setup()
    outputs.next({ type: 'dtmfSent', callId: 'c1', tones: '12', inBand: false, error: undefined })
    outputs.next({ type: 'dtmfSent', callId: 'c1', tones: '3', inBand: true, error })
    outputs.next({ type: 'callStarted', callId: 'c1' })
    expect(seen.map(({ type }) => type)).to.deep.equal(['call:start'])
  })

  it('gives call:mediaRestart an error only when the restart failed', () => {
    const { outputs, seen } = setup()
    outputs.next({ type: 'mediaRestarted', callId: 'c1' })
    outputs.next({ type: 'mediaRestarted', callId: 'c1', error: undefined })
    outputs.next({ type: 'mediaRestarted', callId: 'c1', error })
    expect(seen).to.deep.equal([
      { type: 'call:mediaRestart', payload: { callId: 'c1' } },
      { type: 'call:mediaRestart', payload: { callId: 'c1' } },
      { type: 'call:mediaRestart', payload: { callId: 'c1', error } },
    ])
  })

  it('gives a quality warning as call:qualityWarning with the call, the warning, whether it is active and its value', () => {
    const { warnings, seen } = setup()
    warnings.next({ type: 'qualityWarning', callId: 'c1', name: 'high-rtt', active: true, value: 420 })
    warnings.next({ type: 'qualityWarning', callId: 'c1', name: 'high-rtt', active: false, value: 80 })
    expect(seen).to.deep.equal([
      { type: 'call:qualityWarning', payload: { callId: 'c1', name: 'high-rtt', active: true, value: 420 } },
      { type: 'call:qualityWarning', payload: { callId: 'c1', name: 'high-rtt', active: false, value: 80 } },
    ])
  })

  it('reports a call notification that names no call as notifications:error on the websocket channel', () => {
    const { dropped, seen } = setup()
    dropped.next(error)
    expect(seen).to.deep.equal([{ type: 'notifications:error', payload: { channel: 'websocket', error } }])
  })

  it('keeps the order in which the outputs came, across the three sources', () => {
    const { outputs, warnings, dropped, seen } = setup()
    outputs.next({ type: 'callStarted', callId: 'c1' })
    warnings.next({ type: 'qualityWarning', callId: 'c1', name: 'low-mos', active: true, value: 2.1 })
    dropped.next(error)
    outputs.next({ type: 'joinReported', callId: 'c1', error: undefined })
    expect(seen.map(({ type }) => type)).to.deep.equal(['call:start', 'call:qualityWarning', 'notifications:error', 'call:join'])
  })
})
