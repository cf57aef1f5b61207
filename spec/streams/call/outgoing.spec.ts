import { expect } from 'chai'
import { errorCodes } from '../../../streams/errors.js'
import { usePlatform } from '../../helpers/platform.js'
import { eventually, next, recordingWebrtc, useCallCores } from './node-webrtc.js'

// `make` (streams/call/outgoing.ts), in Node over the local platform with wrtc.

describe('an outgoing call (streams/call/outgoing.ts)', function () {
  this.timeout(20000)
  const platform = usePlatform()
  const core = useCallCores(platform, () => recordingWebrtc([]))

  it('records the normalised address, its display number, the caller and the media options', async () => {
    const alice = await core('alice@example.com')
    const callId = alice.call.commands.make(' bob ', { audio: true })
    const call = alice.call.current().calls[callId]
    expect(call).to.include({ to: 'sip:bob@example.com', from: 'alice@example.com' })
    expect(call?.remoteParticipant).to.deep.equal({ displayNumber: 'bob@example.com', displayName: undefined })
    expect(call?.mediaConstraints).to.deep.equal({ audio: true })
    alice.call.commands.end(callId)
  })

  it('calls the trimmed destination as given when normalizeDestination is false', async () => {
    const alice = await core('alice@example.com', {}, { call: { normalizeDestination: false } })
    const callId = alice.call.commands.make(' bob@example.com ', { audio: true })
    expect(alice.call.current().calls[callId]?.to).to.equal('bob@example.com')
    alice.call.commands.end(callId)
  })

  it('a blank destination fails at once with call:INVALID_PARAM, the call keeping the destination as given', async () => {
    const alice = await core('alice@example.com')
    const failed = next(alice, 'stateChanged')
    const callId = alice.call.commands.make('   ', { audio: true })
    expect((await failed).error?.code).to.equal(errorCodes.call.INVALID_PARAM)
    const call = alice.call.current().calls[callId]
    expect(call).to.include({ state: 'Ended', to: '   ' })
    expect(call?.remoteParticipant.displayNumber).to.equal(undefined)
  })

  it('sdpSemantics "plan-b" fails at once with call:NOT_SUPPORTED', async () => {
    const alice = await core('alice@example.com', {}, { call: { sdpSemantics: 'plan-b' } })
    const failed = next(alice, 'stateChanged')
    const callId = alice.call.commands.make('bob@example.com', { audio: true })
    const change = await failed
    expect(change.callId).to.equal(callId)
    expect(change.error?.code).to.equal(errorCodes.call.NOT_SUPPORTED)
    expect(alice.call.current().calls[callId]?.state).to.equal('Ended')
  })

  it("the callee sees the display name the caller gave, and for an empty one the platform's name of the caller", async () => {
    const alice = await core('alice@example.com')
    const bob = await core('bob@example.com')
    for (const [given, seen] of [['Alice A.', 'Alice A.'], ['', 'Alice Archer'], [undefined, 'Alice Archer']] as const) {
      const received = next(bob, 'callReceived')
      const callId = alice.call.commands.make('bob@example.com', { audio: true }, { displayName: given })
      const calleeCall = (await received).callId
      expect(bob.call.current().calls[calleeCall]?.remoteParticipant.displayName).to.equal(seen)
      alice.call.commands.end(callId)
      await eventually(() => bob.call.current().calls[calleeCall]?.state !== 'Ringing', 'bob told')
    }
  })

  it('a call ended before its session is created creates none: the callee never hears of it', async () => {
    const alice = await core('alice@example.com')
    const bob = await core('bob@example.com')
    const ended = alice.call.commands.make('bob@example.com', { audio: true })
    alice.call.commands.end(ended)
    expect(alice.call.current().calls[ended]?.state).to.equal('Ended')
    // Barrier: a second call, placed after the first ended, reaches Bob.
    const received = next(bob, 'callReceived')
    const second = alice.call.commands.make('bob@example.com', { audio: true })
    await received
    await eventually(() => alice.call.current().calls[second]?.state === 'Ringing', 'alice Ringing')
    expect(Object.keys(bob.call.current().calls)).to.have.length(1)
    expect(alice.call.current().calls[ended]?.wrtcsSessionId).to.equal(undefined)
  })
})
