import { expect } from 'chai'
import type { SdpHandlerFunction } from '../../lib/index.js'
import { ivrBot } from '../../samples/node/bots/index.js'
import { ivrAcknowledgement, ivrGreeting } from '../../samples/node/bots/ivr.js'
import { dtmfSamples } from '../../samples/node/dtmf.js'
import { audioSampleRate, playback } from '../../samples/node/media.js'
import { callState, receivedText, useBot } from './helpers.js'

describe('bots: ivr', function () {
  this.timeout(40000)
  const { caller } = useBot(ivrBot({ pauseMs: 600 }))

  it('hears the digits a caller sends as in-band tones and acknowledges each sequence by chat (# or a pause ends one)', async () => {
    const alice = await caller('alice@example.com', { services: ['call', 'chat'] })
    const callId = alice.client.call.make('ivr@example.com', { audio: true })
    await callState(alice.client, callId, 'Connected')
    expect(await receivedText(alice.client, 'ivr@example.com', 'chat-oneToOne', (text) => text === ivrGreeting)).to.equal(ivrGreeting)

    const microphone = alice.client.call.getById(callId)!.localTracks.map((id) => alice.environment.media.local(id)).find((track) => track?.kind === 'audio')!
    microphone.play(playback(dtmfSamples('1234#', audioSampleRate)))
    expect(await receivedText(alice.client, 'ivr@example.com', 'chat-oneToOne', (text) => text !== ivrGreeting)).to.equal(ivrAcknowledgement('1234#'))

    microphone.play(playback(dtmfSamples('*09', audioSampleRate)))
    expect(await receivedText(alice.client, 'ivr@example.com', 'chat-oneToOne', (text) => text.endsWith('*09'))).to.equal(ivrAcknowledgement('*09'))
  })

  it('strips telephone-event from its answer, so the caller falls back to in-band tones', async () => {
    const seen: { type: string; endpoint: string; sdp: string }[] = []
    const record: SdpHandlerFunction = (sdp, info) => {
      seen.push({ type: info.type, endpoint: info.endpoint, sdp: JSON.stringify(sdp.media.map((media) => media.rtp.map((rtp) => rtp.codec))) })
      return sdp
    }
    const alice = await caller('alice@example.com', { services: ['call', 'chat'], config: { call: { sdpHandlers: [record] } } })
    const callId = alice.client.call.make('ivr@example.com', { audio: true })
    await callState(alice.client, callId, 'Connected')
    const offer = seen.find((entry) => entry.type === 'offer' && entry.endpoint === 'local')
    const answer = seen.find((entry) => entry.type === 'answer' && entry.endpoint === 'remote')
    expect(offer?.sdp, 'the caller offers telephone-event').to.include('telephone-event')
    expect(answer?.sdp, 'the IVR answers without it').to.not.include('telephone-event')
    expect(answer?.sdp, 'the IVR answers with opus').to.include('opus')
  })
})
