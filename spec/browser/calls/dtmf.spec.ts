import { expect } from 'chai'
import { build } from 'esbuild'
import { useHarness, type UserPage } from '../harness.js'
import { connect, connectedPair, openPair } from './steps.js'

// DTMF for real (protocol/calls.md §13): out-of-band, seen as the sender's `tonechange` sequence
// with `telephone-event` negotiated; in-band, when the callee strips `telephone-event`, heard by a
// Goertzel detector (samples/node/dtmf.ts, bundled into the page) on the callee's remote audio.

declare global {
  interface Window {
    dtmfModule: typeof import('../../../samples/node/dtmf.js')
    __tones: string[]
    __detector: { readonly digits: string } | undefined
  }
}

/** samples/node/dtmf.ts bundled for the page, as `window.dtmfModule`. */
async function detectorScript(): Promise<string> {
  const result = await build({ entryPoints: ['samples/node/dtmf.ts'], bundle: true, format: 'iife', globalName: 'dtmfModule', write: false, target: 'chrome120' })
  return result.outputFiles[0]!.text
}

/** Strips `telephone-event` from every SDP of this page's client (so the far end has no DTMF sender). */
const withoutTelephoneEvent = (user: UserPage): Promise<void> =>
  user.run((client) => client.updateConfig({ call: { sdpHandlers: [window.Kandy.sdpHandlers.createCodecRemover(['telephone-event'])] } }))

/**
 * In the page: plays the call's remote audio and feeds it to a streaming DTMF detector. The
 * samples are captured on the audio thread (an AudioWorklet posting every render quantum), so a
 * busy main thread delays them but never drops any.
 */
const listen = (user: UserPage, callId: string): Promise<number> =>
  user.run(async (client, id) => {
    const [trackId] = client.call.getById(id)?.remoteTracks ?? []
    client.media.renderTracks([trackId ?? ''], '#remote')
    const element = document.querySelector<HTMLAudioElement>('#remote audio')
    const track = (element?.srcObject as MediaStream).getAudioTracks()[0]!
    const context = new AudioContext()
    const worklet = `registerProcessor('capture', class extends AudioWorkletProcessor {
      process(inputs) { const channel = inputs[0] && inputs[0][0]; if (channel) this.port.postMessage(channel.slice(0)); return true }
    })`
    await context.audioWorklet.addModule(URL.createObjectURL(new Blob([worklet], { type: 'application/javascript' })))
    const capture = new AudioWorkletNode(context, 'capture')
    const detector = window.dtmfModule.createDtmfDetector(context.sampleRate)
    window.__detector = detector
    capture.port.onmessage = (event: MessageEvent<Float32Array>) => void detector.push(event.data)
    const silent = context.createGain()
    silent.gain.value = 0
    context.createMediaStreamSource(new MediaStream([track])).connect(capture)
    capture.connect(silent)
    silent.connect(context.destination)
    return context.sampleRate
  }, callId)

/** Records the `tonechange` events of the page's audio sender (out-of-band DTMF). */
const recordTones = (user: UserPage): Promise<boolean> =>
  user.run((_client, _arg, { peers }) => {
    window.__tones = []
    const dtmf = peers.at(-1)?.getSenders().find((sender) => sender.track?.kind === 'audio')?.dtmf
    dtmf?.addEventListener('tonechange', (event) => window.__tones.push((event as RTCDTMFToneChangeEvent).tone))
    return dtmf?.canInsertDTMF === true
  })

/** The public events of a page after index `after`, except stats. */
const callEventsAfter = async (user: UserPage, after: number) => (await user.events()).slice(after + 1).filter((event) => event.type.startsWith('call:'))

describe('calls in Chromium: DTMF (protocol/calls.md §13)', function () {
  this.timeout(90000)
  const harness = useHarness()
  let script = ''
  before(async () => {
    script = await detectorScript()
  })

  /** Alice calls Bob, whose client strips telephone-event and whose page has the detector: her DTMF has to go in-band. */
  async function inBandCall() {
    const { alice, bob } = await openPair(harness())
    await withoutTelephoneEvent(bob)
    await bob.page.addScriptTag({ content: script })
    return { alice, bob, ...(await connect(alice, bob, { audio: true })) }
  }

  it('out-of-band where telephone-event is negotiated: the sender plays the tones (tonechange sequence), with the timing given; no event', async () => {
    const { alice, bob, callerCall } = await connectedPair(harness(), { audio: true })
    const negotiated = await alice.run((_client, _arg, { peers }) => /a=rtpmap:\d+ telephone-event\//.test(peers.at(-1)?.remoteDescription?.sdp ?? ''))
    expect(negotiated, 'telephone-event in the answer').to.equal(true)
    expect(await recordTones(alice)).to.equal(true)
    const before = (await alice.events()).length - 1

    const started = Date.now()
    await alice.run((client, id) => client.call.sendDTMF(id, '159#*0,7', 60, 40), callerCall)
    const tones = await alice.until(() => (window.__tones.at(-1) === '' ? window.__tones : false), undefined, 10000)
    expect(tones.join(' ')).to.equal('1 5 9 # * 0 , 7 ')
    // 7 tones × (60 + 40) ms and a 2 s pause for the comma.
    expect(Date.now() - started).to.be.within(2600, 8000)
    expect(await callEventsAfter(alice, before)).to.deep.equal([])
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('in-band when the far end does not take telephone-event: the callee’s Goertzel detector hears the sequence; the microphone track is put back', async () => {
    const { alice, bob, callerCall, calleeCall } = await inBandCall()
    const { negotiated, dtmfReady, microphone } = await alice.run((_client, _arg, { peers }) => {
      const sender = peers.at(-1)?.getSenders().find((candidate) => candidate.track?.kind === 'audio')
      return { negotiated: /telephone-event/.test(peers.at(-1)?.remoteDescription?.sdp ?? ''), dtmfReady: sender?.dtmf?.canInsertDTMF === true, microphone: sender?.track?.id }
    })
    expect([negotiated, dtmfReady]).to.deep.equal([false, false])
    await bob.expectMediaFlowing(calleeCall)
    expect(await listen(bob, calleeCall)).to.be.greaterThan(0)
    const before = (await alice.events()).length - 1

    const sequence = '1590#*7'
    await alice.run((client, { id, tones }) => client.call.sendDTMF(id, tones, 160, 90), { id: callerCall, tones: sequence })
    // The mix goes onto the sender once replaceTrack resolves: polled while the 1.75 s of tones play, not read once at the send.
    const mixing = await alice.until(
      (_client, original, { peers }) => {
        const sent = peers.at(-1)?.getSenders().find((sender) => sender.track?.kind === 'audio')?.track?.id
        return sent !== undefined && sent !== original ? sent : false
      },
      microphone,
      1500,
    )
    const heard = await bob.until((_client, expected) => (window.__detector?.digits === expected ? window.__detector.digits : false), sequence, 15000).catch(async (error: unknown) => {
      throw new Error(`detector heard "${await bob.run(() => window.__detector?.digits ?? '')}": ${String(error)}`)
    })
    expect(heard).to.equal(sequence)
    expect(mixing, 'the sender carried the mixed track while the tones played').to.not.equal(microphone)
    const restored = await alice.until(
      (_client, mic, { peers }) => peers.at(-1)?.getSenders().find((sender) => sender.track?.kind === 'audio')?.track?.id === mic,
      microphone,
    )
    expect(restored).to.equal(true)
    expect(await alice.run((_client, _arg, { peers }) => peers.at(-1)?.signalingState)).to.equal('stable')
    expect(await callEventsAfter(alice, before)).to.deep.equal([])
    expect(await bob.run(() => window.__detector?.digits)).to.equal(sequence)
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('in-band sequences sent back to back play one after another: all heard, and the live microphone is put back', async () => {
    const { alice, bob, callerCall, calleeCall } = await inBandCall()
    const microphone = await alice.run((_client, _arg, { peers }) => peers.at(-1)?.getSenders().find((sender) => sender.track?.kind === 'audio')?.track?.id)
    await bob.expectMediaFlowing(calleeCall)
    await listen(bob, calleeCall)

    // Issued while the one before is still playing: each would otherwise take the other's mixed track for the microphone.
    await alice.run((client, id) => {
      for (const tones of ['1', '2', '3', '4#']) client.call.sendDTMF(id, tones, 160, 90)
    }, callerCall)
    const heard = await bob.until((_client, expected) => (window.__detector?.digits === expected ? window.__detector.digits : false), '1234#', 15000).catch(async (error: unknown) => {
      throw new Error(`detector heard "${await bob.run(() => window.__detector?.digits ?? '')}": ${String(error)}`)
    })
    expect(heard).to.equal('1234#')
    const sending = await alice.until((_client, mic, { peers }) => {
      const track = peers.at(-1)?.getSenders().find((sender) => sender.track?.kind === 'audio')?.track
      return track?.id === mic ? track.readyState : false
    }, microphone)
    expect(sending, 'the microphone is back on the sender, still live').to.equal('live')
    await bob.expectMediaFlowing(calleeCall)
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('bad tones, timing or state: nothing is sent and no event is emitted; the error is logged with its code', async () => {
    const { alice, callerCall } = await connectedPair(harness(), { audio: true })
    expect(await recordTones(alice)).to.equal(true)
    const before = (await alice.events()).length - 1
    await alice.run((client, id) => {
      client.call.sendDTMF(id, '12A')
      client.call.sendDTMF(id, '')
      client.call.sendDTMF(id, '1', Number.NaN)
    }, callerCall)
    await alice.run((client, id) => client.call.hold(id), callerCall)
    await alice.until((client, id) => client.call.getById(id)?.state === 'On Hold', callerCall)
    await alice.run((client, id) => client.call.sendDTMF(id, '1'), callerCall)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await alice.run(() => window.__tones)).to.deep.equal([])
    expect((await callEventsAfter(alice, before)).map((event) => event.type)).to.deep.equal(['call:stateChange'])
    const logged = alice.errors.filter((line) => line.includes('DTMF'))
    expect(logged).to.have.length(4)
    expect(logged[0]).to.contain('"A"')
    expect(logged.slice(0, 3).every((line) => line.includes('call:7')), logged.join('\n')).to.equal(true)
    expect(logged[3]).to.contain('call:6')
  })
})
