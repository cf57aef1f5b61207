import { expect } from 'chai'
import { errorCodes } from '../../../streams/errors.js'
import { usePlatform } from '../../helpers/platform.js'
import { aliceCallsBob, eventually, next, recordingWebrtc, useCallCores } from './node-webrtc.js'

// `end` and `getStats` (streams/call/ending.ts), in Node over the local platform with wrtc.

describe('end and getStats (streams/call/ending.ts)', function () {
  this.timeout(20000)
  const platform = usePlatform()
  const core = useCallCores(platform, () => recordingWebrtc([]))
  afterEach(() => platform().admin.clearFaults())

  it('end that the platform refuses: the call still ends, with the platform error', async () => {
    const { alice, callerCall } = await aliceCallsBob(core)
    const sessionId = alice.call.current().calls[callerCall]?.wrtcsSessionId ?? ''
    await platform().admin.fail({ prefix: `/cpaas/webrtcsignaling/v1/alice@example.com/sessions/${sessionId}`, status: 503, count: 1 })
    const ended = next(alice, 'stateChanged', callerCall, (change) => change.error !== undefined)
    alice.call.commands.end(callerCall)
    const change = await ended
    expect(change.error?.code).to.equal('SVC0001')
    await eventually(() => alice.call.current().calls[callerCall]?.state === 'Ended', 'alice Ended')
  })

  it("getStats: the call's report, and call:INVALID_PARAM for a track that is not one of the call's", async () => {
    const { alice, callerCall } = await aliceCallsBob(core)
    const whole = next(alice, 'statsReceived', callerCall)
    alice.call.commands.getStats(callerCall)
    const report = await whole
    expect(report.error).to.equal(undefined)
    expect(report.result).to.not.equal(undefined)

    const foreign = next(alice, 'statsReceived', callerCall)
    alice.call.commands.getStats(callerCall, 'not-a-track')
    const refused = await foreign
    expect(refused).to.include({ trackId: 'not-a-track', result: undefined })
    expect(refused.error?.code).to.equal(errorCodes.call.INVALID_PARAM)
  })
})
