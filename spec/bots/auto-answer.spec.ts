import { expect } from 'chai'
import { autoAnswerBot } from '../../samples/node/bots/index.js'
import { tone } from '../../samples/node/media.js'
import { bytesRising, callState, frames, listen, remoteTrack, toneShare, useBot } from './helpers.js'

describe('bots: auto-answer', function () {
  this.timeout(40000)
  const { caller } = useBot(autoAnswerBot())

  it('answers an audio call and plays its 440 Hz tone, whatever the caller sends', async () => {
    const alice = await caller('alice@example.com', { audio: tone(1000, 0.3) })
    const callId = alice.client.call.make('autoanswer@example.com', { audio: true })
    await callState(alice.client, callId, 'Connected')
    await bytesRising(alice.client, callId, 'audio')
    const heard = await listen(remoteTrack(alice, callId, 'audio'), 1500)
    const at440 = toneShare(heard.samples, heard.sampleRate, 440)
    expect(at440.rms, 'level of the tone').to.be.above(0.05)
    expect(at440.share, 'share of the audio at 440 Hz').to.be.above(0.8)
    expect(toneShare(heard.samples, heard.sampleRate, 1000).share, 'share at the caller’s 1 kHz').to.be.below(0.1)
  })

  it('answers a video call with video: frames and video bytes arrive', async () => {
    const alice = await caller('alice@example.com', { audio: tone(1000, 0.3) })
    const callId = alice.client.call.make('autoanswer@example.com', { audio: true, video: true })
    await callState(alice.client, callId, 'Connected')
    await bytesRising(alice.client, callId, 'video')
    const [frame] = await frames(remoteTrack(alice, callId, 'video'), 1)
    expect(frame!.width).to.be.above(0)
  })
})
