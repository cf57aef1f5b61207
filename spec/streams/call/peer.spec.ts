import { expect } from 'chai'
import * as E from 'fp-ts/Either'
import { VirtualTimeScheduler, firstValueFrom } from 'rxjs'
import { createPeer } from '../../../streams/call/peer.js'

// One call's peer connection (streams/call/peer.ts) over a fake RTCPeerConnection: what it is asked to do, and when its observables emit.
// A fake because these cases cannot be made on demand with a real one: gathering left complete by an earlier negotiation while a
// section has no candidate, and the listeners each step leaves behind. Real connections run the same code in feature.spec.ts (wrtc)
// and spec/browser/calls.

const section = (candidates: boolean): string =>
  `m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendrecv\r\n${candidates ? 'a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\r\n' : ''}`
const sdpWith = (candidates: boolean): string => `v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n${section(candidates)}`

/** A peer connection that records what it is asked, counts its listeners, and whose ICE gathering the spec sets. */
class FakePeerConnection extends EventTarget {
  static gathered = { state: 'complete' as RTCIceGatheringState, candidates: true }
  iceGatheringState: RTCIceGatheringState = 'new'
  signalingState: RTCSignalingState = 'stable'
  localDescription: RTCSessionDescriptionInit | null = null
  readonly listeners = new Map<string, number>()
  readonly added: Array<{ track: MediaStreamTrack; streams: MediaStream[] }> = []
  senders: Array<{ track: MediaStreamTrack | null; replaceTrack: (track: MediaStreamTrack | null) => Promise<void> }> = []
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
    this.listeners.set(type, (this.listeners.get(type) ?? 0) + 1)
    super.addEventListener(type, listener)
  }
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
    this.listeners.set(type, (this.listeners.get(type) ?? 0) - 1)
    super.removeEventListener(type, listener)
  }
  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): void {
    this.added.push({ track, streams })
  }
  readonly created: string[] = []
  async createOffer(): Promise<RTCSessionDescriptionInit> {
    this.created.push('offer')
    return { type: 'offer', sdp: sdpWith(false) }
  }
  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    this.created.push('answer')
    return { type: 'answer', sdp: sdpWith(false) }
  }
  async setLocalDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.iceGatheringState = FakePeerConnection.gathered.state
    this.localDescription = { type: description.type, sdp: sdpWith(FakePeerConnection.gathered.candidates) }
  }
  getSenders() {
    return this.senders
  }
  close(): void {
    this.signalingState = 'closed'
  }
}

const unchanged = (sdp: string) => E.right(sdp)
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

function peerOn(scheduler = new VirtualTimeScheduler()) {
  const peer = createPeer(FakePeerConnection as unknown as typeof RTCPeerConnection, {}, scheduler)
  return { peer, connection: peer.connection as unknown as FakePeerConnection, scheduler }
}

describe('a call’s peer connection (streams/call/peer.ts)', () => {
  afterEach(() => {
    FakePeerConnection.gathered = { state: 'complete', candidates: true }
  })

  it('a local description already gathered (every section has a candidate) is emitted at once, and gathering is no longer watched', async () => {
    const { peer, connection } = peerOn()
    const sdp = await firstValueFrom(peer.localDescription('offer', unchanged, unchanged))
    expect(sdp).to.contain('a=candidate:')
    expect(connection.created).to.deep.equal(['offer'])
    expect(connection.listeners.get('icegatheringstatechange')).to.equal(0)
    expect(connection.listeners.get('icecandidate')).to.equal(0)
  })

  it('gathering still complete from an earlier negotiation, but a section without candidates: waits for gathering (at most 3 s)', async () => {
    FakePeerConnection.gathered = { state: 'complete', candidates: false }
    const { peer, connection, scheduler } = peerOn()
    const emitted: string[] = []
    peer.localDescription('answer', unchanged, unchanged).subscribe((sdp) => emitted.push(sdp))
    await settle()
    expect(emitted).to.deep.equal([])
    scheduler.maxFrames = 2999
    scheduler.flush()
    await settle()
    expect(emitted).to.deep.equal([])
    scheduler.maxFrames = 3000
    scheduler.flush()
    await settle()
    expect(emitted).to.have.length(1)
    expect(connection.created).to.deep.equal(['answer'])
  })

  it('addLocal adds each track of the stream with its stream', () => {
    const { peer, connection } = peerOn()
    const tracks = [{ id: 'mic' }, { id: 'cam' }] as unknown as MediaStreamTrack[]
    const stream = { getTracks: () => tracks } as unknown as MediaStream
    peer.addLocal(stream)
    expect(connection.added).to.deep.equal(tracks.map((track) => ({ track, streams: [stream] })))
  })

  it('reattachSenders sets each sender’s own track again (a sender without one is left alone)', async () => {
    const { peer, connection } = peerOn()
    const replaced: Array<MediaStreamTrack | null> = []
    const track = { id: 'cam' } as unknown as MediaStreamTrack
    const replaceTrack = async (next: MediaStreamTrack | null): Promise<void> => void replaced.push(next)
    connection.senders = [
      { track, replaceTrack },
      { track: null, replaceTrack },
    ]
    await firstValueFrom(peer.reattachSenders(), { defaultValue: undefined })
    expect(replaced).to.deep.equal([track])
  })

  it('close completes the remote tracks, stops listening for them and closes the connection', () => {
    const { peer, connection } = peerOn()
    let completed = false
    peer.remoteTracks$.subscribe({ complete: () => (completed = true) })
    peer.close()
    expect(completed).to.equal(true)
    expect(connection.listeners.get('track')).to.equal(0)
    expect(connection.signalingState).to.equal('closed')
  })
})
