import { expect } from 'chai'
import { createCallStore } from '../../../streams/call/store.js'
import { defaultBandwidth } from '../../../streams/call/model.js'
import { BasicError, errorCodes } from '../../../streams/errors.js'

describe("the calls' store (streams/call/store.ts)", () => {
  const made = { type: 'callMade', callId: 'c1', webrtcSessionId: 'w1', from: 'alice', to: 'sip:bob@example.com', remoteParticipant: { displayNumber: 'bob@example.com', displayName: undefined }, bandwidth: defaultBandwidth, mediaConstraints: {} } as const

  it('tells a live call from an ended one that it still holds, and requests only what the machine accepts', () => {
    const store = createCallStore({ action: () => undefined })
    store.dispatch(made)
    expect(store.isLive('c1')).to.equal(true)
    expect(store.liveOf('c1')?.id).to.equal('c1')
    store.dispatch({ type: 'callFailed', callId: 'c1', error: new BasicError(errorCodes.call.GENERIC_ERROR, 'gone'), at: 1 })
    expect(store.callOf('c1')?.state).to.equal('Ended')
    expect(store.isLive('c1')).to.equal(false)
    expect(store.liveOf('c1')).to.equal(undefined)
    expect(store.isLive('unknown')).to.equal(false)
    expect(store.request({ type: 'endRequested', callId: 'c1' })).to.equal(undefined)
    store.complete()
  })
})
