import { expect } from 'chai'
import { filter, firstValueFrom, map } from 'rxjs'
import { usePlatform } from '../../helpers/platform.js'
import { connect, eventually, recordingWebrtc, useCallCores } from './node-webrtc.js'

// The media connection state in calls$ with a real WebRTC stack (@roamhq/wrtc) over the local
// platform: the peer connection's state events reach the CallObject through the reducer.

describe('call feature: media connection state and defaultPeerConfig (Node, real WebRTC)', function () {
  this.timeout(20000)
  const platform = usePlatform()
  const peers: RTCPeerConnection[] = []
  const core = useCallCores(platform, () => recordingWebrtc(peers))

  it('calls$ shows the media connection going from new to connected, and closed once the call ends', async () => {
    const alice = await core('alice@example.com')
    const bob = await core('bob@example.com')
    const seen: string[] = []
    const watching = alice.call.calls$
      .pipe(map((calls) => calls[0]?.mediaConnectionState))
      .subscribe((state) => {
        if (state !== undefined && seen.at(-1) !== state) seen.push(state)
      })
    const first = firstValueFrom(alice.call.events$.pipe(filter((output) => output.type === 'mediaConnectionChanged')))
    const { callerCall } = await connect(alice, bob)
    await eventually(() => ['connected', 'completed'].includes(alice.call.current().calls[callerCall]?.mediaConnectionState ?? ''), 'alice media connected')
    // wrtc may report checking and connected in one go; Chromium shows each (spec/browser/calls/relay.spec.ts).
    expect(seen[0]).to.equal('new')
    expect(seen.some((state) => state === 'connected' || state === 'completed')).to.equal(true)
    expect(await first).to.deep.equal({ type: 'mediaConnectionChanged', callId: callerCall, previous: { state: 'new' } })
    alice.call.commands.end(callerCall)
    await eventually(() => alice.call.current().calls[callerCall]?.mediaConnectionState === 'closed', 'alice media closed')
    watching.unsubscribe()
    expect(seen.at(-1)).to.equal('closed')
  })

  it("merges call.defaultPeerConfig into every peer connection's configuration", async () => {
    const alice = await core('alice@example.com', {}, { call: { defaultPeerConfig: { iceCandidatePoolSize: 2 } } })
    const bob = await core('bob@example.com')
    const created = peers.length
    await connect(alice, bob)
    const configuration = peers[created]!.getConfiguration()
    expect(configuration).to.include({ iceCandidatePoolSize: 2 })
  })

  it('refuses an invalid call.defaultPeerConfig with BAD_INPUT and keeps the default configuration', async () => {
    const alice = await core('alice@example.com')
    expect(() => alice.config.update({ call: { defaultPeerConfig: { iceTransportPolicy: 'nohost' } as never } })).to.throw().with.property('code', 'BAD_INPUT')
    const bob = await core('bob@example.com')
    const created = peers.length
    const { callerCall } = await connect(alice, bob)
    expect(alice.call.current().calls[callerCall]?.state).to.equal('Connected')
    expect(peers[created]!.getConfiguration().iceTransportPolicy).to.equal('all')
  })
})
