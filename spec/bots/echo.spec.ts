import { expect } from 'chai'
import { echoBot } from '../../samples/node/bots/index.js'
import { movingBar, tone } from '../../samples/node/media.js'
import { bytesRising, callState, frames, listen, nextEvent, remoteTrack, toneShare, useBot } from './helpers.js'

describe('bots: echo', function () {
  this.timeout(40000)
  const { bot, caller } = useBot(echoBot())

  it("answers an audio and video call and sends the caller's own audio back: the tone she sends is the tone she hears, and follows when she changes it", async () => {
    const alice = await caller('alice@example.com', { audio: tone(1000, 0.3), video: movingBar })
    const callId = alice.client.call.make('echo@example.com', { audio: true, video: true })
    await callState(alice.client, callId, 'Connected')

    const audio = remoteTrack(alice, callId, 'audio')
    await bytesRising(alice.client, callId, 'audio')
    const heard = await listen(audio, 1500)
    const at1000 = toneShare(heard.samples, heard.sampleRate, 1000)
    expect(at1000.rms, 'echoed level').to.be.above(0.05)
    expect(at1000.share, 'share of the echo at 1 kHz').to.be.above(0.8)

    const local = alice.client.call.getById(callId)!.localTracks.map((id) => alice.environment.media.local(id)).find((track) => track?.kind === 'audio')!
    local.play(tone(1500, 0.3))
    await listen(audio, 500)
    const after = await listen(audio, 1000)
    expect(toneShare(after.samples, after.sampleRate, 1500).share, 'share at 1.5 kHz after the change').to.be.above(0.8)
    expect(toneShare(after.samples, after.sampleRate, 1000).share, 'share at 1 kHz after the change').to.be.below(0.1)
  })

  it("sends the caller's video back: frames of her moving bar arrive, and video bytes rise", async () => {
    const alice = await caller('alice@example.com', { audio: tone(1000, 0.3), video: movingBar })
    const callId = alice.client.call.make('echo@example.com', { audio: true, video: true })
    await callState(alice.client, callId, 'Connected')
    const { after } = await bytesRising(alice.client, callId, 'video')
    expect(after).to.be.above(0)
    const received = await frames(remoteTrack(alice, callId, 'video'), 5)
    const last = received.at(-1)!
    expect(last.width * 3, 'aspect ratio 4:3').to.equal(last.height * 4)
    const luma = last.data.subarray(0, last.width * last.height)
    const bright = luma.filter((value) => value > 200).length / luma.length
    expect(bright, 'share of the picture the white bar covers').to.be.within(0.03, 0.3)
  })

  it('answers an audio-only call with audio only, and releases its media when the caller hangs up', async () => {
    const alice = await caller('alice@example.com', { audio: tone(1000, 0.3) })
    const ended = nextEvent<{ callId: string }>(bot().agent.client, 'call:stateChange', (payload) => bot().agent.client.call.getById(payload.callId)?.state === 'Ended', 20000)
    const callId = alice.client.call.make('echo@example.com', { audio: true })
    await callState(alice.client, callId, 'Connected')
    const botCall = bot().agent.client.call.getAll().filter((call) => call.state === 'Connected').at(-1)!
    expect(bot().agent.client.call.getAll().filter((call) => call.state === 'Connected'), 'the calls of the earlier tests ended').to.have.length(1)
    expect(botCall.localTracks.map((id) => bot().agent.client.media.getTrackById(id)?.kind)).to.deep.equal(['audio'])
    await bytesRising(alice.client, callId, 'audio')

    alice.client.call.end(callId)
    const { callId: botCallId } = await ended
    expect(botCallId).to.equal(botCall.id)
    expect(bot().agent.media.locals(), 'live synthetic tracks of the bot').to.deep.equal([])
  })

  it('hangs up a call whose caller vanished without hanging up, once its media connection fails', async function () {
    this.timeout(60000)
    const alice = await caller('alice@example.com', { audio: tone(1000, 0.3) })
    const callId = alice.client.call.make('echo@example.com', { audio: true })
    await callState(alice.client, callId, 'Connected')
    // The bot's side of this call: the newest it has not ended (it may not be Connected yet: Alice hears of the
    // answer before the bot's answer request returns).
    const botCall = bot().agent.client.call.getAll().filter((call) => call.state !== 'Ended').at(-1)!
    await callState(bot().agent.client, botCall.id, 'Connected')
    alice.vanish()
    await callState(bot().agent.client, botCall.id, 'Ended', 45000)
    expect(bot().agent.media.locals(), 'live synthetic tracks of the bot').to.deep.equal([])
  })
})
