import { expect } from 'chai'
import { useHarness, type UserPage } from '../harness.js'
import { connect, inboundRising } from './steps.js'

/** The hold flags and state of a call on a page. */
const holdOf = (user: UserPage, callId: string) =>
  user.run((client, id) => {
    const call = client.call.getById(id)
    return { state: call?.state, localHold: call?.localHold, remoteHold: call?.remoteHold }
  }, callId)

const allRising = (kinds: string[], value: boolean) => Object.fromEntries(kinds.map((kind) => [kind, value]))

describe('calls in Chromium: hold and unhold (protocol/calls.md §7–§9)', function () {
  this.timeout(90000)
  const harness = useHarness()

  it('hold stops media both ways (getStats on both sides), both sides see On Hold with the right flags; unhold resumes it', async () => {
    const alice = await harness().open('alice@example.com')
    const bob = await harness().open('bob@example.com')
    const { callerCall, calleeCall } = await connect(alice, bob, { audio: true, video: true })
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal(allRising(['audio', 'video'], true))
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal(allRising(['audio', 'video'], true))

    await alice.run((client, id) => client.call.hold(id), callerCall)
    const held = await alice.waitFor('call:stateChange', { callId: callerCall, previous: { state: 'Connected', localHold: false, remoteHold: false } })
    expect(held.payload.error).to.equal(undefined)
    expect(await holdOf(alice, callerCall)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false })
    const remotelyHeld = await bob.waitFor('call:stateChange', { callId: calleeCall, previous: { state: 'Connected', localHold: false, remoteHold: false } })
    expect(remotelyHeld.payload.error).to.equal(undefined)
    expect(await holdOf(bob, calleeCall)).to.deep.equal({ state: 'On Hold', localHold: false, remoteHold: true })
    expect(await inboundRising(alice, callerCall, false)).to.deep.equal(allRising(['audio', 'video'], false))
    expect(await inboundRising(bob, calleeCall, false)).to.deep.equal(allRising(['audio', 'video'], false))

    await alice.run((client, id) => client.call.unhold(id), callerCall)
    await alice.waitFor('call:stateChange', { callId: callerCall, previous: { state: 'On Hold', localHold: true, remoteHold: false } })
    expect(await holdOf(alice, callerCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    await bob.waitFor('call:stateChange', { callId: calleeCall, previous: { state: 'On Hold', localHold: false, remoteHold: true } })
    expect(await holdOf(bob, calleeCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    expect(await inboundRising(alice, callerCall, true)).to.deep.equal(allRising(['audio', 'video'], true))
    expect(await inboundRising(bob, calleeCall, true)).to.deep.equal(allRising(['audio', 'video'], true))
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })
})
