import { expect } from 'chai'
import { NEVER, Observable, asapScheduler, finalize, of } from 'rxjs'
import { createRuntimes } from '../../../streams/call/runtime.js'
import type { CallEvent, CallRecord } from '../../../streams/call/model.js'

// The calls' runtimes (streams/call/runtime.ts) over fakes: a peer connection that fires its state events when told, a store that records.
// A fake because a real connection's state events cannot be fired on demand, least of all on a connection already replaced; real
// connections reach the same runtime in media-connection-feature.spec.ts (wrtc) and spec/browser/calls.

/** A peer connection whose states the spec sets, firing the event a browser would. */
class FakePeerConnection extends EventTarget {
  iceConnectionState: RTCIceConnectionState = 'new'
  connectionState: RTCPeerConnectionState = 'new'
  signalingState: RTCSignalingState = 'stable'
  close(): void {
    this.signalingState = 'closed'
  }
  set(ice: RTCIceConnectionState): void {
    this.iceConnectionState = ice
    this.dispatchEvent(new Event('iceconnectionstatechange'))
  }
}

/** A track whose stop is counted. */
const fakeTrack = (id: string) => ({ id, stopped: 0, stop() { this.stopped++ } })

function setup(live = true, watchPeer: (callId: string, connection: RTCPeerConnection) => Observable<unknown> = () => NEVER) {
  const dispatched: CallEvent[] = []
  const ended: Array<{ trackIds: readonly string[]; local: boolean }> = []
  const call = { id: 'c', localTracks: ['l1'], remoteTracks: ['r1'] } as unknown as CallRecord
  const camera = fakeTrack('v1')
  const runtimes = createRuntimes({
    store: { callOf: (callId) => (callId === 'c' ? call : undefined), isLive: () => live, dispatch: (event) => dispatched.push(event) },
    media: {
      commands: {
        endTracks: (trackIds: readonly string[], local: boolean) => ended.push({ trackIds, local }),
        userMedia: () => of({ id: 'm', getTracks: () => [camera] }),
      },
      current: () => ({ tracks: {} }),
    } as never,
    environment: { RTCPeerConnection: FakePeerConnection as unknown as typeof RTCPeerConnection, scheduler: asapScheduler },
    peerConfig: () => ({}),
    logger: { error: () => undefined },
    watchPeer,
  })
  return { runtimes, dispatched, ended, camera }
}

describe('call runtimes (streams/call/runtime.ts)', () => {
  it('a peer connection reports its media connection states while it is the call’s, not once a new one replaced it', () => {
    const { runtimes, dispatched } = setup()
    const first = runtimes.newPeer('c', []).connection as unknown as FakePeerConnection
    const second = runtimes.newPeer('c', []).connection as unknown as FakePeerConnection
    dispatched.length = 0
    first.set('failed')
    expect(dispatched).to.deep.equal([])
    second.set('connected')
    expect(dispatched).to.deep.equal([{ type: 'mediaConnectionChanged', callId: 'c', state: 'connected' }])
  })

  it('release: the call’s tracks end, its local media stops, its peer closes, its effects and negotiations stop, no answer is awaited', () => {
    const { runtimes, ended } = setup()
    const runtime = runtimes.runtime('c')
    const peer = runtimes.newPeer('c', []).connection as unknown as FakePeerConnection
    const microphone = fakeTrack('l1')
    runtime.localStream = { getTracks: () => [microphone] } as unknown as MediaStream
    runtime.awaitingAnswer = () => undefined
    const stopped: string[] = []
    runtimes.own('c', NEVER.pipe(finalize(() => stopped.push('effect'))))
    runtime.negotiation.local(() => NEVER.pipe(finalize(() => stopped.push('negotiation'))))
    let queued = false
    runtime.negotiation.local(() => NEVER.pipe(finalize(() => (queued = true))))

    runtimes.release('c')
    expect(ended).to.deep.equal([
      { trackIds: ['l1'], local: true },
      { trackIds: ['r1'], local: false },
    ])
    expect(microphone.stopped).to.equal(1)
    expect(peer.signalingState).to.equal('closed')
    expect(stopped).to.have.members(['effect', 'negotiation'])
    expect(queued).to.equal(false)
    expect(runtime.awaitingAnswer).to.equal(undefined)
    expect(runtimes.find('c')).to.equal(undefined)
  })

  it('media that arrives for a call that ended meanwhile is stopped, and leaves the call no runtime', () => {
    const { runtimes, camera } = setup(false)
    let failure: unknown
    runtimes.localMedia('c', { video: true }).subscribe({ error: (error: unknown) => (failure = error) })
    expect(failure).to.include({ code: 'call:6' })
    expect(camera.stopped).to.equal(1)
    expect(runtimes.find('c')).to.equal(undefined)
  })

  it('a peer connection’s quality is watched while it is the call’s: a new one replacing it stops the old one’s watch', () => {
    const watched: string[] = []
    const names = ['first', 'second']
    const { runtimes } = setup(true, () => {
      const name = names.shift()
      return new Observable(() => {
        watched.push(`${name} watched`)
        return () => watched.push(`${name} stopped`)
      })
    })
    runtimes.newPeer('c', [])
    expect(watched).to.deep.equal(['first watched'])
    runtimes.newPeer('c', [])
    expect(watched).to.deep.equal(['first watched', 'first stopped', 'second watched'])
    runtimes.release('c')
    expect(watched).to.deep.equal(['first watched', 'first stopped', 'second watched', 'second stopped'])
  })

  it('a peer restored after its replacement failed is the call’s again: the replacement closes, its quality watched and its media connection state reported again', () => {
    const watched: string[] = []
    const { runtimes, dispatched } = setup(true, (_callId, connection) => {
      const name = connection.signalingState === 'closed' ? 'closed' : 'open'
      return new Observable(() => {
        watched.push(`${name} watched`)
        return () => watched.push('stopped')
      })
    })
    const old = runtimes.newPeer('c', [])
    ;(old.connection as unknown as FakePeerConnection).set('connected')
    const replacement = runtimes.newPeer('c', [])
    dispatched.length = 0
    watched.length = 0
    runtimes.restorePeer('c', old)
    expect(runtimes.peerOf('c')).to.equal(old)
    expect(replacement.connection.signalingState).to.equal('closed')
    expect(old.connection.signalingState).to.equal('stable')
    // The replacement's watch stops, and the restored peer (open) is watched again.
    expect(watched).to.deep.equal(['stopped', 'open watched'])
    expect(dispatched).to.deep.equal([{ type: 'mediaConnectionChanged', callId: 'c', state: 'connected' }])
    // Its state changes are the call's again; the replacement's are not.
    ;(old.connection as unknown as FakePeerConnection).set('disconnected')
    expect(dispatched.at(-1)).to.deep.equal({ type: 'mediaConnectionChanged', callId: 'c', state: 'disconnected' })
  })

  it('a peer restored for a call released meanwhile closes', () => {
    const { runtimes } = setup()
    const old = runtimes.newPeer('c', [])
    runtimes.newPeer('c', [])
    runtimes.release('c')
    runtimes.restorePeer('c', old)
    expect(old.connection.signalingState).to.equal('closed')
  })
})
