import { expect } from 'chai'
import { useHarness } from '../harness.js'
import { connect, flagsOf, hold, inboundRising, openPair, peerClosed } from './steps.js'

// Consultative transfer with three pages (protocol/calls.md §11): alice talks to bob and to
// carol, holds both and transfers; the platform re-connects bob and carol to each other
// (re-offers), alice's calls end, and bob and carol have media both ways.

describe('calls in Chromium: consultative transfer (three pages)', function () {
  this.timeout(120000)
  const harness = useHarness()

  it('alice transfers bob to carol: her calls end with 9905 "Transfer Successful"; bob and carol are Connected with media both ways', async () => {
    const { alice, bob } = await openPair(harness())
    const carol = await harness().open('carol@example.com')
    // One call of each direction for alice: she calls bob, carol calls her.
    const withBob = await connect(alice, bob, { audio: true, video: true })
    const withCarol = await connect(carol, alice, { audio: true, video: true })
    await hold(alice, withBob.callerCall)
    await hold(alice, withCarol.calleeCall)
    expect(await flagsOf(bob, withBob.calleeCall)).to.deep.equal({ state: 'On Hold', localHold: false, remoteHold: true })
    await carol.until((client, id) => client.call.getById(id)?.remoteHold === true, withCarol.callerCall)

    const before = (await alice.events('call:stateChange')).at(-1)?.index ?? -1
    await alice.run((client, { a, b }) => client.call.consultativeTransfer(a, b), { a: withBob.callerCall, b: withCarol.calleeCall })

    for (const callId of [withBob.callerCall, withCarol.calleeCall]) {
      const ended = await alice.waitFor('call:stateChange', { callId }, { after: before })
      expect(ended.payload).to.deep.include({
        error: undefined,
        transition: { statusCode: 9905, reasonText: 'Transfer Successful' },
        previous: { state: 'On Hold', localHold: true, remoteHold: false },
      })
      expect((await flagsOf(alice, callId)).state).to.equal('Ended')
    }
    expect(await alice.run((_client, _arg, { peers }) => peers.map((peer) => peer.signalingState))).to.deep.equal(['closed', 'closed'])
    expect(await peerClosed(alice)).to.equal(true)

    // bob and carol keep their calls (same ids), now with each other, off hold.
    await bob.until((client, id) => client.call.getById(id)?.state === 'Connected', withBob.calleeCall)
    await carol.until((client, id) => client.call.getById(id)?.state === 'Connected', withCarol.callerCall)
    expect(await flagsOf(bob, withBob.calleeCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    expect(await flagsOf(carol, withCarol.callerCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    expect(await inboundRising(bob, withBob.calleeCall, true)).to.deep.equal({ audio: true, video: true })
    expect(await inboundRising(carol, withCarol.callerCall, true)).to.deep.equal({ audio: true, video: true })
    // They really talk to each other: a hangup by carol reaches bob.
    await carol.run((client, id) => client.call.end(id), withCarol.callerCall)
    const hungUp = await bob.waitFor('call:stateChange', { callId: withBob.calleeCall, transition: { prevState: 'Connected' } })
    expect(hungUp.payload.error).to.equal(undefined)
    expect(alice.errors.concat(bob.errors, carol.errors)).to.deep.equal([])
  })

  it('refuses to transfer calls that are not both locally held (call:6), leaving them as they were', async () => {
    const { alice, bob } = await openPair(harness())
    const carol = await harness().open('carol@example.com')
    const withBob = await connect(alice, bob)
    const withCarol = await connect(alice, carol)
    await hold(alice, withBob.callerCall)
    await alice.run((client, { a, b }) => client.call.consultativeTransfer(a, b), { a: withBob.callerCall, b: withCarol.callerCall })
    const refused = await alice.waitFor('call:stateChange', { callId: withBob.callerCall, error: { code: 'call:6' } })
    expect(refused.payload.transition).to.equal(undefined)
    expect(await flagsOf(alice, withBob.callerCall)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false })
    expect(await flagsOf(alice, withCarol.callerCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    expect(await flagsOf(carol, withCarol.calleeCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
  })
})
