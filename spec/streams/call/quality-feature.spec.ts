import { expect } from 'chai'
import { filter, firstValueFrom, map } from 'rxjs'
import { usePlatform } from '../../helpers/platform.js'
import { connect, eventually, useCallCores } from './node-webrtc.js'

// Call quality in the streams with a real WebRTC stack (@roamhq/wrtc) over the local platform:
// once a call's media connects, its peer connection's stats are sampled into `call.quality`.

describe('call feature: quality sampling (Node, real WebRTC)', function () {
  this.timeout(20000)
  const platform = usePlatform()
  const core = useCallCores(platform)

  it("samples a connected call's stats every second into quality$, by call id, with its round trip and MOS", async () => {
    const alice = await core('alice@example.com')
    const bob = await core('bob@example.com')
    expect(alice.call.quality.current()).to.deep.equal({})
    const { callerCall } = await connect(alice, bob)
    const measured = await firstValueFrom(
      alice.call.quality.quality$.pipe(
        map((calls) => calls[callerCall]?.quality),
        filter((quality) => quality?.rttMs !== undefined),
      ),
    )
    expect(measured!.rttMs).to.be.a('number').and.at.least(0)
    expect(measured!.mos).to.be.a('number').and.above(4)
    expect(measured!.warnings).to.not.include('high-rtt')
    alice.call.commands.end(callerCall)
    await eventually(() => alice.call.current().calls[callerCall]?.state === 'Ended', 'alice ended')
    // The ended call keeps its last figures, with no warning left active.
    expect(alice.call.quality.current()[callerCall]?.quality.warnings).to.deep.equal([])
  })
})
