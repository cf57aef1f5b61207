import { expect } from 'chai'
import { Subscription } from 'rxjs'
import { withMediaConnection, mediaConnectionState$, mediaConnectionStateOf } from '../../../streams/call/media-connection.js'
import type { CallEvent, CallsState, MediaConnectionState } from '../../../streams/call/model.js'
import { callsReducer, initialCallsState } from '../../../streams/call/state.js'
import { toCallObject } from '../../../streams/call/steps.js'

const reduce = withMediaConnection(callsReducer)

const made: CallEvent = {
  type: 'callMade',
  callId: 'c1',
  webrtcSessionId: 'w1',
  from: 'alice@example.com',
  to: 'sip:bob@example.com',
  remoteParticipant: { displayNumber: 'sip:bob@example.com', displayName: undefined },
  bandwidth: { audio: 5000, video: 5000 },
  mediaConstraints: { audio: true },
}

const run = (events: readonly CallEvent[], from: CallsState = initialCallsState) => {
  let state = from
  const outputs = []
  for (const event of events) {
    const step = reduce(state, event)
    state = step.state
    outputs.push(...step.outputs)
  }
  return { state, outputs }
}

const media = (state: MediaConnectionState): CallEvent => ({ type: 'mediaConnectionChanged', callId: 'c1', state })

describe('call media connection state (streams/call/media-connection.ts)', () => {
  it('starts as new on every call (CallObject.mediaConnectionState)', () => {
    const { state } = run([made])
    expect(toCallObject(state.calls.c1!).mediaConnectionState).to.equal('new')
  })

  it('follows the peer connection facts and reports each change with the previous state', () => {
    const { state, outputs } = run([made, { type: 'sessionCreated', callId: 'c1', sessionId: 's1' }, media('checking'), media('connected'), media('disconnected'), media('failed')])
    expect(state.calls.c1!.mediaConnectionState).to.equal('failed')
    expect(outputs.filter((output) => output.type === 'mediaConnectionChanged')).to.deep.equal([
      { type: 'mediaConnectionChanged', callId: 'c1', previous: { state: 'new' } },
      { type: 'mediaConnectionChanged', callId: 'c1', previous: { state: 'checking' } },
      { type: 'mediaConnectionChanged', callId: 'c1', previous: { state: 'connected' } },
      { type: 'mediaConnectionChanged', callId: 'c1', previous: { state: 'disconnected' } },
    ])
  })

  it('says nothing for a state the call already has, an unknown call, or an ended call', () => {
    const connected = run([made, media('connected')]).state
    expect(reduce(connected, media('connected'))).to.deep.equal({ state: connected, outputs: [] })
    expect(reduce(connected, { ...media('failed'), callId: 'nope' })).to.deep.equal({ state: connected, outputs: [] })
    const ended = run([{ type: 'callFailed', callId: 'c1', error: new Error('x') as never, at: 5 }], connected).state
    expect(reduce(ended, media('failed'))).to.deep.equal({ state: ended, outputs: [] })
  })

  it('closes the media connection when the call ends, after the call:stateChange', () => {
    const connected = run([made, media('connected')]).state
    const { state, outputs } = run([{ type: 'callFailed', callId: 'c1', error: new Error('gone') as never, at: 5 }], connected)
    expect(state.calls.c1!.mediaConnectionState).to.equal('closed')
    expect(outputs.map((output) => output.type)).to.deep.equal(['stateChanged', 'mediaConnectionChanged'])
    expect(outputs[1]).to.deep.equal({ type: 'mediaConnectionChanged', callId: 'c1', previous: { state: 'connected' } })
  })

  it('takes the ICE connection state, unless the connection state failed or closed', () => {
    expect(mediaConnectionStateOf('checking', 'connecting')).to.equal('checking')
    expect(mediaConnectionStateOf('completed', 'connected')).to.equal('completed')
    expect(mediaConnectionStateOf('connected', 'failed')).to.equal('failed')
    expect(mediaConnectionStateOf('disconnected', 'closed')).to.equal('closed')
    expect(mediaConnectionStateOf('disconnected', undefined)).to.equal('disconnected')
  })

  it('emits the state at once, then each distinct change of either state, until unsubscribed', () => {
    // An EventTarget with the two state properties: RTCPeerConnection's state events, driven by hand.
    const peer = Object.assign(new EventTarget(), { iceConnectionState: 'new', connectionState: 'new' }) as unknown as RTCPeerConnection & {
      iceConnectionState: RTCIceConnectionState
      connectionState: RTCPeerConnectionState
    }
    const seen: MediaConnectionState[] = []
    const subscription: Subscription = mediaConnectionState$(peer).subscribe((state) => seen.push(state))
    peer.iceConnectionState = 'checking'
    peer.dispatchEvent(new Event('iceconnectionstatechange'))
    peer.connectionState = 'connecting'
    peer.dispatchEvent(new Event('connectionstatechange'))
    peer.iceConnectionState = 'connected'
    peer.dispatchEvent(new Event('iceconnectionstatechange'))
    peer.connectionState = 'failed'
    peer.dispatchEvent(new Event('connectionstatechange'))
    subscription.unsubscribe()
    peer.iceConnectionState = 'closed'
    peer.dispatchEvent(new Event('iceconnectionstatechange'))
    expect(seen).to.deep.equal(['new', 'checking', 'connected', 'failed'])
  })
})
