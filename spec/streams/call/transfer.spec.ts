import { expect } from 'chai'
import { BasicError } from '../../../streams/errors.js'
import type { CallEvent, CallRecord, CallsStep } from '../../../streams/call/model.js'
import { refusalOf, toCallObject } from '../../../streams/call/steps.js'
import { remoteAddressOf, transferFailed, transferSucceeded } from '../../../streams/call/transfer.js'
import { answered, reduce, reoffer, run, tracks } from './machine.js'

// The consultative transfer around the call machine (streams/call/transfer.ts `withTransfers`),
// reduced as the call feature does: withJoins(withTransfers(callsReducer)).

/** An outgoing call to `callee`, answered, with a local and a remote audio track. */
const connected = (id: string, callee: string): CallEvent[] => [...answered(id, callee, { audio: true }), ...tracks(id, { mic: true, in: false })]

const held = (id: string): CallEvent[] => reoffer(id, 'hold')

/** alice's calls with bob (`b`) and carol (`c`), both locally held. */
const consulting = (): CallsStep => run([...connected('b', 'bob@example.com'), ...held('b'), ...connected('c', 'carol@example.com'), ...held('c')])

const requested: CallEvent = { type: 'transferRequested', callId: 'b', otherCallId: 'c' }

describe('consultative transfer in the call machine (streams/call/transfer.ts)', () => {
  it('marks both locally held calls as transferring and says nothing yet', () => {
    const step = run([requested], consulting())
    expect(step.outputs).to.deep.equal([])
    expect([step.state.calls.b?.operation, step.state.calls.c?.operation]).to.deep.equal(['transfer', 'transfer'])
    expect(toCallObject(step.state.calls.b as CallRecord)).to.include({ state: 'On Hold', localHold: true })
  })

  it('SessionEnded while transferring ends each call with "Transfer Successful" (9905), its tracks first', () => {
    const pending = run([requested], consulting())
    const first = reduce(pending.state, { type: 'remoteEnded', callId: 'b', at: 500, transition: { statusCode: 9905, reasonText: 'Transfer Successful' } })
    expect(first.outputs).to.deep.equal([
      { type: 'trackEnded', callId: 'b', trackId: 'b-mic', local: true, webrtcSessionId: 'w-b' },
      { type: 'trackEnded', callId: 'b', trackId: 'b-in', local: false, webrtcSessionId: 'w-b' },
      { type: 'stateChanged', callId: 'b', previous: { state: 'On Hold', localHold: true, remoteHold: false }, transition: transferSucceeded, error: undefined },
    ])
    expect(transferSucceeded).to.deep.equal({ statusCode: 9905, reasonText: 'Transfer Successful' })
    // The platform need not say why: a bare SessionEnded completes the transfer just the same.
    const second = reduce(first.state, { type: 'remoteEnded', callId: 'c', at: 510 })
    expect(second.outputs.at(-1)).to.deep.include({ callId: 'c', transition: transferSucceeded, error: undefined })
    expect(toCallObject(second.state.calls.c as CallRecord)).to.deep.include({ state: 'Ended', endTime: 510, localTracks: [], remoteTracks: [] })
  })

  it('SessionEnded of a call that is not transferring keeps its own transition (prevState)', () => {
    const step = reduce(consulting().state, { type: 'remoteEnded', callId: 'b', at: 500 })
    expect(step.outputs.at(-1)).to.deep.include({ transition: { prevState: 'On Hold' } })
  })

  it('a transfer the platform refused unmarks both calls, still held: the error and "Transfer Failed" (-1) on each', () => {
    const error = new BasicError('SVC0002', 'Invalid input value for message part wrtcsTransfer.address')
    const step = run([requested, { type: 'transferFailed', callId: 'b', otherCallId: 'c', error }], consulting())
    expect(step.outputs).to.deep.equal([
      { type: 'stateChanged', callId: 'b', previous: { state: 'On Hold', localHold: true, remoteHold: false }, transition: transferFailed, error },
      { type: 'stateChanged', callId: 'c', previous: { state: 'On Hold', localHold: true, remoteHold: false }, transition: transferFailed, error },
    ])
    expect(transferFailed).to.deep.equal({ statusCode: -1, reasonText: 'Transfer Failed' })
    expect([step.state.calls.b?.operation, step.state.calls.c?.operation]).to.deep.equal([undefined, undefined])
    expect(toCallObject(step.state.calls.b as CallRecord)).to.include({ state: 'On Hold', localHold: true })
    // A late failure of a transfer that already completed changes nothing.
    expect(reduce(step.state, { type: 'transferFailed', callId: 'b', otherCallId: 'c', error }).outputs).to.deep.equal([])
  })

  describe('refusals: the state unchanged, call:stateChange with the error on the first call', () => {
    const refusal = (step: CallsStep, event: CallEvent) => {
      const next = reduce(step.state, event)
      expect(next.state).to.equal(step.state)
      expect(next.outputs).to.have.length(1)
      return { output: next.outputs[0], error: refusalOf(next) }
    }

    it('an unknown call or the same call twice: call:7', () => {
      const ready = consulting()
      const unknown = refusal(ready, { type: 'transferRequested', callId: 'b', otherCallId: 'nope' })
      expect(unknown.error?.code).to.equal('call:7')
      expect(unknown.error?.message).to.contain('"nope"')
      expect(unknown.output).to.deep.include({ type: 'stateChanged', callId: 'b', previous: { state: 'On Hold', localHold: true, remoteHold: false } })
      expect(refusal(ready, { type: 'transferRequested', callId: 'nope', otherCallId: 'b' }).output).to.deep.include({ callId: 'nope', previous: undefined })
      expect(refusal(ready, { type: 'transferRequested', callId: 'b', otherCallId: 'b' }).error?.code).to.equal('call:7')
    })

    it('a call that is not locally held, or busy with another operation: call:6', () => {
      const oneHeld = run([...connected('b', 'bob@example.com'), ...held('b'), ...connected('c', 'carol@example.com')])
      const notHeld = refusal(oneHeld, requested)
      expect(notHeld.error?.code).to.equal('call:6')
      expect(notHeld.error?.message).to.contain('call c')
      const unholding = run([{ type: 'reofferRequested', callId: 'c', operation: 'unhold' }], consulting())
      expect(refusal(unholding, requested).error?.code).to.equal('call:6')
      const transferring = run([requested], consulting())
      expect(refusal(transferring, requested).error?.code).to.equal('call:6')
    })

    it('a remotely held call that is not locally held: call:6', () => {
      const remotelyHeld = run([
        ...connected('b', 'bob@example.com'),
        ...held('b'),
        ...connected('c', 'carol@example.com'),
        { type: 'remoteOfferAnswered', callId: 'c', operation: 'hold' },
      ])
      expect(remotelyHeld.state.calls.c).to.include({ state: 'On Hold', remoteHold: true, localHold: false })
      expect(refusal(remotelyHeld, requested).error?.code).to.equal('call:6')
    })
  })

  it('while transferring, local operations on either call are refused (call:6)', () => {
    const pending = run([requested], consulting())
    expect(refusalOf(reduce(pending.state, { type: 'reofferRequested', callId: 'c', operation: 'unhold' }))?.code).to.equal('call:6')
  })

  it('names the far end of either direction as a SIP address', () => {
    const step = consulting()
    expect(remoteAddressOf(step.state.calls.b as CallRecord)).to.equal('sip:bob@example.com')
    const incoming = { ...(step.state.calls.b as CallRecord), direction: 'incoming' as const, from: 'carol@example.com', to: 'alice@example.com' }
    expect(remoteAddressOf(incoming)).to.equal('sip:carol@example.com')
  })

  it('keeps a sip:, sips: or tel: address as it is, and falls back on the display number when the far end is not recorded', () => {
    const call = consulting().state.calls.b as CallRecord
    expect(remoteAddressOf({ ...call, to: 'SIPS:bob@example.com' })).to.equal('SIPS:bob@example.com')
    expect(remoteAddressOf({ ...call, to: 'tel:+15551230001' })).to.equal('tel:+15551230001')
    const unnamed = { ...call, direction: 'incoming' as const, from: undefined, remoteParticipant: { displayNumber: 'dave@example.com', displayName: undefined } }
    expect(remoteAddressOf(unnamed)).to.equal('sip:dave@example.com')
  })
})
