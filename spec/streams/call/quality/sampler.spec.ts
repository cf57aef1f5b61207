import { expect } from 'chai'
import type { QualitySample } from '../../../../streams/call/quality/reading.js'
import { qualitySamples } from '../../../../streams/call/quality/sampler.js'
import { virtualClock } from '../node-webrtc.js'

// The sampler against a stand-in peer connection (connected, its transceivers and stats as given), on a virtual clock;
// getStats answers on the microtask queue, which `settled()` lets run.
const settled = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

type Transceiver = readonly [kind: 'audio' | 'video', currentDirection: RTCRtpTransceiverDirection | null]

/** A connected peer connection receiving on `transceivers`; each getStats reports 100 more packets of each kind. */
function connectedPeer(transceivers: readonly Transceiver[]) {
  let packets = 0
  const peer = Object.assign(new EventTarget(), {
    iceConnectionState: 'connected',
    connectionState: 'connected',
    getTransceivers: () => transceivers.map(([kind, currentDirection]) => ({ currentDirection, receiver: { track: { kind } } })),
    getSenders: () => [],
    getStats: async () => {
      packets += 100
      return new Map(
        ['audio', 'video'].map((kind) => [kind, { id: kind, type: 'inbound-rtp', kind, packetsReceived: packets, packetsLost: 0 }]),
      )
    },
  })
  return peer as unknown as RTCPeerConnection
}

/** The samples of the first `seconds` seconds. */
async function samplesOf(peer: RTCPeerConnection, seconds: number): Promise<QualitySample[]> {
  const { clock, advance } = virtualClock()
  const samples: QualitySample[] = []
  const subscription = qualitySamples(peer, clock).subscribe((sample) => samples.push(sample))
  for (let second = 0; second < seconds; second++) {
    advance(1000)
    await settled()
  }
  subscription.unsubscribe()
  return samples
}

describe('call quality: the sampler (streams/call/quality/sampler.ts)', () => {
  it('judges the kinds the far end agreed to send (a receiving current direction)', async () => {
    const peer = connectedPeer([
      ['audio', 'sendrecv'],
      ['video', 'sendonly'],
    ])
    const samples = await samplesOf(peer, 2)
    expect(samples.map((sample) => sample.arriving)).to.deep.equal([{ audio: true }, { audio: true }])
  })

  it('judges video alone when only video is received, and both kinds when both are', async () => {
    expect((await samplesOf(connectedPeer([['audio', 'inactive'], ['video', 'recvonly']]), 1)).map((sample) => sample.arriving)).to.deep.equal([{ video: true }])
    const both = await samplesOf(
      connectedPeer([
        ['video', 'recvonly'],
        ['audio', 'recvonly'],
      ]),
      1,
    )
    expect(both.map((sample) => sample.arriving)).to.deep.equal([{ audio: true, video: true }])
  })
})
