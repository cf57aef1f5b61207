import { expect } from 'chai'
import { filter, firstValueFrom, map, type Observable } from 'rxjs'
import type { CallOutput } from '../../../streams/call/model.js'
import { usePlatform } from '../../helpers/platform.js'
import { aliceCallsBob, recordingWebrtc, useCallCores } from './node-webrtc.js'

// endCall (streams/call/engine.ts), in Node over the local platform with wrtc.

describe('a call ended by the far end (streams/call/engine.ts)', function () {
  this.timeout(20000)
  const platform = usePlatform()
  const core = useCallCores(platform, () => recordingWebrtc([]))

  it('releases its media before it ends: its tracks have ended when the app hears of the end', async () => {
    const { alice, bob, callerCall, calleeCall } = await aliceCallsBob(core)
    const localTrack = alice.call.current().calls[callerCall]?.localTracks[0] ?? ''
    const trackAtEnd = firstValueFrom(
      (alice.call.events$ as Observable<CallOutput>).pipe(
        filter((output) => output.type === 'stateChanged' && output.callId === callerCall && alice.call.current().calls[callerCall]?.state === 'Ended'),
        map(() => alice.media.current().tracks[localTrack]?.state),
      ),
    )
    bob.call.commands.end(calleeCall)
    expect(await trackAtEnd).to.equal('ended')
  })
})
