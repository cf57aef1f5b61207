import { expect } from 'chai'
import { usePlatform } from '../../helpers/platform.js'
import { eventually, next, recordingWebrtc, ring, useCallCores } from './node-webrtc.js'

// Refusing an incoming call (streams/call/incoming.ts), in Node over the local platform with wrtc.

describe('incoming call refused (streams/call/incoming.ts)', function () {
  this.timeout(20000)
  const platform = usePlatform()
  const peers: RTCPeerConnection[] = []
  const core = useCallCores(platform, (userId) => recordingWebrtc(userId === 'bob@example.com' ? peers : []))
  afterEach(() => platform().admin.clearFaults())

  /** Alice calls Bob, whose call rings. */
  async function ringing() {
    const alice = await core('alice@example.com')
    const bob = await core('bob@example.com')
    return { alice, bob, ...(await ring(alice, bob)) }
  }

  it('reject: once the platform took the DELETE, the call ends (from Ringing, its peer closed), and the caller is told', async () => {
    const { alice, bob, callerCall, calleeCall } = await ringing()
    const peer = peers.at(-1)
    const ended = next(bob, 'stateChanged', calleeCall)
    bob.call.commands.reject(calleeCall)
    const change = await ended
    expect(change.previous?.state).to.equal('Ringing')
    expect(change.error).to.equal(undefined)
    expect(bob.call.current().calls[calleeCall]).to.include({ state: 'Ended', operation: undefined })
    expect(peer?.signalingState).to.equal('closed')
    await eventually(() => alice.call.current().calls[callerCall]?.state === 'Ended', 'alice told')
  })

  it('reject that the platform refuses: call:stateChange with its error, the call still Ringing and free to be answered', async () => {
    const { bob, calleeCall } = await ringing()
    const sessionId = bob.call.current().calls[calleeCall]?.wrtcsSessionId ?? ''
    await platform().admin.fail({ prefix: `/cpaas/webrtcsignaling/v1/bob@example.com/sessions/${sessionId}`, status: 503, count: 1 })
    const failed = next(bob, 'stateChanged', calleeCall)
    bob.call.commands.reject(calleeCall)
    const change = await failed
    expect(change.error?.code).to.equal('SVC0001')
    expect(change.previous?.state).to.equal('Ringing')
    expect(bob.call.current().calls[calleeCall]).to.include({ state: 'Ringing', operation: undefined })
  })
})
