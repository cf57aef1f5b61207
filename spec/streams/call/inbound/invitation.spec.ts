import { expect } from 'chai'
import { usePlatform } from '../../../helpers/platform.js'
import { eventually, next, recordingWebrtc, useCallCores } from '../node-webrtc.js'

// Incoming invitations (streams/call/inbound/invitation.ts), in Node over the local platform with wrtc.

describe('an incoming invitation (streams/call/inbound/invitation.ts)', function () {
  this.timeout(20000)
  const platform = usePlatform()
  const core = useCallCores(platform, () => recordingWebrtc([]))
  afterEach(() => platform().admin.clearFaults())
  const bobSessions = '/cpaas/webrtcsignaling/v1/bob@example.com/sessions/'

  it('records the caller as a user reads it, the callee, and that the offer came with it', async () => {
    const alice = await core('alice@example.com')
    const bob = await core('bob@example.com')
    const received = next(bob, 'callReceived')
    alice.call.commands.make('bob@example.com', { audio: true })
    const calleeCall = (await received).callId
    await eventually(() => bob.call.current().calls[calleeCall] !== undefined, 'the call recorded')
    const call = bob.call.current().calls[calleeCall]
    expect(call).to.include({ from: 'alice@example.com', to: 'bob@example.com', isSlowStart: false, state: 'Ringing' })
    expect(call?.remoteParticipant).to.deep.equal({ displayNumber: 'alice@example.com', displayName: 'Alice Archer' })
  })

  it('rings even when the platform refuses the Ringing status', async () => {
    const alice = await core('alice@example.com')
    const bob = await core('bob@example.com')
    await platform().admin.fail({ prefix: bobSessions, status: 503, count: 1 })
    const received = next(bob, 'callReceived')
    alice.call.commands.make('bob@example.com', { audio: true })
    const calleeCall = (await received).callId
    expect(bob.call.current().calls[calleeCall]?.state).to.equal('Ringing')
  })

  it('a slow-start invitation (no offer) rings as such; the same session invited again makes no second call', async () => {
    const bob = await core('bob@example.com')
    const invite = (session: string) =>
      platform().admin.notify('bob@example.com', 'call', {
        wrtcsSessionInvitationNotification: { offer: {}, link: [{ href: `${bobSessions}${session}` }], originatorAddress: 'tel:+15551230001' },
      })
    const received = next(bob, 'callReceived')
    await invite('slow-1')
    const calleeCall = (await received).callId
    await eventually(() => bob.call.current().calls[calleeCall] !== undefined, 'the call recorded')
    const call = bob.call.current().calls[calleeCall]
    expect(call).to.include({ isSlowStart: true, from: '+15551230001', wrtcsSessionId: 'slow-1' })

    await invite('slow-1')
    const barrier = next(bob, 'callReceived')
    await invite('slow-2')
    await barrier
    await eventually(() => Object.keys(bob.call.current().calls).length >= 2, 'the second session')
    const sessions = Object.values(bob.call.current().calls).map((each) => each?.wrtcsSessionId)
    expect(sessions).to.deep.equal(['slow-1', 'slow-2'])
  })

  it('an invitation whose originator name is null (not a text) still rings, without a display name', async () => {
    const bob = await core('bob@example.com')
    const received = next(bob, 'callReceived')
    await platform().admin.notify('bob@example.com', 'call', {
      wrtcsSessionInvitationNotification: { offer: {}, link: [{ href: `${bobSessions}slow-3` }], originatorAddress: 'carol@example.com', originatorName: null },
    })
    const calleeCall = (await received).callId
    await eventually(() => bob.call.current().calls[calleeCall] !== undefined, 'the call recorded')
    const call = bob.call.current().calls[calleeCall]
    expect(call).to.include({ state: 'Ringing', from: 'carol@example.com' })
    expect(call?.remoteParticipant).to.deep.equal({ displayNumber: 'carol@example.com', displayName: undefined })
  })
})
