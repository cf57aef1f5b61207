import { expect } from 'chai'
import * as E from 'fp-ts/Either'
import { Subject, defer, lastValueFrom } from 'rxjs'
import { checkTones, dtmfPause, dtmfSchedule, dtmfTiming, inBandQueue, playInBand } from '../../../streams/call/dtmf.js'
import { virtualClock } from './node-webrtc.js'

describe('DTMF tones and timing (streams/call/dtmf.ts)', () => {
  it('accepts 0-9, *, # and , (pause)', () => {
    expect(checkTones('0123456789*#,')).to.deep.equal(E.right('0123456789*#,'))
  })

  it('refuses anything else with call:7, naming each bad character once (A-D are not documented tones)', () => {
    const refused = checkTones('12AxA#')
    if (E.isRight(refused)) throw new Error('accepted')
    expect(refused.left).to.include({ name: 'BasicError', code: 'call:7' })
    expect(refused.left.message).to.contain('"A", "x"')
    for (const tone of ['', undefined, 5, ['1']]) {
      const result = checkTones(tone)
      expect(E.isLeft(result) && result.left.code, String(tone)).to.equal('call:7')
    }
  })

  it('defaults to 100 ms tones and 70 ms gaps; clamps as RTCDTMFSender does (40–6000 ms, gap ≥ 30 ms)', () => {
    expect(dtmfTiming(undefined, undefined)).to.deep.equal(E.right({ duration: 100, gap: 70 }))
    expect(dtmfTiming(10, 5)).to.deep.equal(E.right({ duration: 40, gap: 30 }))
    expect(dtmfTiming(9000, 200)).to.deep.equal(E.right({ duration: 6000, gap: 200 }))
    for (const [duration, gap] of [[Number.NaN, 70], ['100', 70], [100, -1]] as const) {
      const result = dtmfTiming(duration, gap)
      expect(E.isLeft(result) && result.left.code, `${duration}/${gap}`).to.equal('call:7')
    }
  })

  it('schedules each tone with its two frequencies; a comma is a 2 s pause', () => {
    const { tones, length } = dtmfSchedule('1,#', { duration: 100, gap: 70 })
    expect(tones).to.deep.equal([
      { at: 0, low: 697, high: 1209 },
      { at: 170 + dtmfPause, low: 941, high: 1477 },
    ])
    expect(length).to.equal(170 + dtmfPause + 170)
  })
})

// In-band DTMF against stand-ins for WebAudio and the sender: what it does to the sender's track and when (Chromium plays the real tones,
// spec/browser/calls/dtmf.spec.ts). Promises settle on the microtask queue; `settled()` lets them.
const settled = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

const fakeTrack = (kind: string, id: string) => ({ kind, id, stopped: false, stop() { this.stopped = true } })
type FakeTrack = ReturnType<typeof fakeTrack>

/** A sender whose track changes with replaceTrack; `failing` rejects that many replaceTrack calls from the given one on. */
class FakeSender {
  replaced: Array<FakeTrack | null> = []
  constructor(
    public track: FakeTrack | null,
    private readonly failFrom = Number.POSITIVE_INFINITY,
  ) {}
  replaceTrack(track: FakeTrack | null): Promise<void> {
    this.replaced.push(track)
    if (this.replaced.length > this.failFrom) return Promise.reject(new Error('replaceTrack refused'))
    this.track = track
    return Promise.resolve()
  }
}

/** WebAudio as far as playInBand uses it; every context, source and oscillator it makes is kept. */
function fakeAudio(resume: () => Promise<void> = () => Promise.resolve()) {
  const contexts: FakeContext[] = []
  class FakeOscillator extends EventTarget {
    readonly frequency = { value: 0 }
    started = -1
    stopped = -1
    /** The node it feeds. */
    output: unknown
    connect(node: unknown): void {
      this.output = node
    }
    start(at: number): void {
      this.started = at
    }
    stop(at: number): void {
      this.stopped = at
    }
  }
  class FakeContext {
    // The audio clock has run by the time the tones are scheduled (resume, replaceTrack): they start from now, not from 0.
    readonly currentTime = 1.5
    readonly mixed = fakeTrack('audio', 'mixed')
    readonly oscillators: FakeOscillator[] = []
    sourceConnected = false
    closed = false
    constructor() {
      contexts.push(this)
    }
    resume = resume
    close(): Promise<void> {
      this.closed = true
      return Promise.resolve()
    }
    readonly destination = { stream: { getAudioTracks: () => [this.mixed] } }
    createMediaStreamDestination() {
      return this.destination
    }
    createMediaStreamSource() {
      return {
        connect: () => void (this.sourceConnected = true),
        disconnect: () => void (this.sourceConnected = false),
      }
    }
    createGain() {
      const gain = { gain: { value: 0 }, output: undefined as unknown, connect: (node: unknown) => void (gain.output = node) }
      return gain
    }
    createOscillator(): FakeOscillator {
      const oscillator = new FakeOscillator()
      this.oscillators.push(oscillator)
      return oscillator
    }
  }
  class FakeMediaStream {
    constructor(readonly tracks: unknown[]) {}
  }
  return { contexts, AudioContext: FakeContext as unknown as typeof AudioContext, MediaStream: FakeMediaStream as unknown as typeof MediaStream }
}

describe('in-band DTMF (streams/call/dtmf.ts playInBand)', () => {
  const timing = { duration: 100, gap: 70 }
  /** Starts playing `tones` on a sender of the microphone (refusing replaceTrack after `failFrom` calls) and lets the start settle. */
  const play = async (tones: string, { audio = fakeAudio(), failFrom }: { audio?: ReturnType<typeof fakeAudio>; failFrom?: number } = {}) => {
    const microphone = fakeTrack('audio', 'microphone')
    const sender = new FakeSender(microphone, failFrom)
    const { clock, advance } = virtualClock()
    const seen: string[] = []
    let error: unknown
    const subscription = playInBand({ AudioContext: audio.AudioContext, MediaStream: audio.MediaStream, scheduler: clock }, sender as unknown as RTCRtpSender, tones, timing).subscribe({
      next: () => seen.push(`next (sender on ${sender.track?.id})`),
      error: (failure: unknown) => {
        error = failure
        seen.push(`error (source ${audio.contexts[0]?.sourceConnected === true ? 'connected' : 'disconnected'})`)
      },
      complete: () => seen.push('complete'),
    })
    await settled()
    return { microphone, sender, advance, seen, subscription, error: () => error, context: () => audio.contexts[0]! }
  }

  it('refuses with call:2 without AudioContext or MediaStream, or when the sender sends no audio', async () => {
    const microphone = fakeTrack('audio', 'microphone')
    const { AudioContext, MediaStream } = fakeAudio()
    const cases = [
      [{ AudioContext: undefined, MediaStream }, new FakeSender(microphone), 'AudioContext'],
      [{ AudioContext, MediaStream: undefined }, new FakeSender(microphone), 'MediaStream'],
      [{ AudioContext, MediaStream }, new FakeSender(null), 'send audio'],
      [{ AudioContext, MediaStream }, new FakeSender(fakeTrack('video', 'camera')), 'send audio'],
    ] as const
    for (const [host, sender, says] of cases) {
      const { clock } = virtualClock()
      const error = await lastValueFrom(playInBand({ ...host, scheduler: clock }, sender as unknown as RTCRtpSender, '1', timing)).catch((failure: unknown) => failure)
      expect(error, says).to.include({ name: 'BasicError', code: 'call:2' })
      expect((error as Error).message, says).to.contain(says)
      expect(sender.replaced, says).to.deep.equal([])
    }
  })

  it('puts the mix on the sender, starts each sine at its time, and gives the microphone back 250 ms after the last tone ended; then emits once and completes', async () => {
    const { microphone, sender, advance, seen, context } = await play('1#')
    expect(sender.track?.id).to.equal('mixed')
    expect(context().sourceConnected).to.equal(true)
    const oscillators = context().oscillators
    // Start and stop on the audio clock (s), 20 ms from now (1.5 s); shown in ms.
    const ms = (seconds: number) => Math.round(seconds * 1000)
    expect(oscillators.map((oscillator) => [oscillator.frequency.value, ms(oscillator.started), ms(oscillator.stopped)])).to.deep.equal([
      [697, 1520, 1620],
      [1209, 1520, 1620],
      [941, 1690, 1790],
      [1477, 1690, 1790],
    ])
    // Each sine reaches the mix through a gain of 0.3: the pair peaks near -4 dBFS, loud enough to be heard, short of clipping.
    const levels = oscillators.map((oscillator) => {
      const gain = oscillator.output as { gain: { value: number }; output: unknown } | undefined
      return [gain?.gain.value, gain?.output === context().destination]
    })
    expect(levels).to.deep.equal(oscillators.map(() => [0.3, true]))
    oscillators[3]!.dispatchEvent(new Event('ended'))
    advance(249)
    await settled()
    expect(sender.track?.id).to.equal('mixed')
    expect(seen).to.deep.equal([])
    advance(1)
    await settled()
    expect(sender.replaced.map((track) => track?.id)).to.deep.equal(['mixed', 'microphone'])
    expect(seen).to.deep.equal(['next (sender on microphone)', 'complete'])
    expect([context().sourceConnected, context().mixed.stopped, context().closed, microphone.stopped]).to.deep.equal([false, true, true, false])
  })

  it('pauses only: waits the sequence length (2 s a comma), then the 250 ms tail', async () => {
    const { advance, seen, context } = await play(',')
    expect(context().oscillators).to.deep.equal([])
    advance(dtmfPause + 249)
    await settled()
    expect(seen).to.deep.equal([])
    advance(1)
    await settled()
    expect(seen).to.deep.equal(['next (sender on microphone)', 'complete'])
  })

  it('unsubscribing while the tones play gives the microphone back and tears the mix down', async () => {
    const { microphone, sender, subscription, seen, context } = await play('1')
    expect(sender.track?.id).to.equal('mixed')
    subscription.unsubscribe()
    await settled()
    expect(sender.track).to.equal(microphone)
    expect([context().sourceConnected, context().mixed.stopped, context().closed]).to.deep.equal([false, true, true])
    expect(seen).to.deep.equal([])
  })

  it('a WebAudio failure is call:2 "In-band DTMF failed", reported once the mix is being torn down; the sender keeps the microphone', async () => {
    const { microphone, sender, seen, error, context } = await play('1', { audio: fakeAudio(() => Promise.reject(new Error('suspended for good'))) })
    expect(seen).to.deep.equal(['error (source disconnected)'])
    expect(error()).to.include({ name: 'BasicError', code: 'call:2', message: 'In-band DTMF failed: suspended for good' })
    expect(sender.replaced).to.deep.equal([])
    expect(sender.track).to.equal(microphone)
    expect([context().mixed.stopped, context().closed]).to.deep.equal([true, true])
  })

  it('a sender that refuses the microphone back still ends the sequence, the mix stopped', async () => {
    const { sender, advance, seen, context } = await play(',', { failFrom: 1 })
    advance(dtmfPause + 250)
    await settled()
    expect(sender.replaced.map((track) => track?.id)).to.deep.equal(['mixed', 'microphone'])
    expect(seen).to.deep.equal(['next (sender on mixed)', 'complete'])
    expect([context().mixed.stopped, context().closed]).to.deep.equal([true, true])
  })
})

describe('in-band DTMF queue (streams/call/dtmf.ts inBandQueue)', () => {
  /** A sequence that logs its start and ends when told to (`end.complete()` or `end.error(…)`). */
  const sequence = (name: string, log: string[]) => {
    const end = new Subject<void>()
    return { end, sequence$: defer(() => (log.push(`${name} starts`), end)) }
  }
  /** A queue owned as a call owns it, and a log of what its sequences and their callers see. */
  const queued = () => {
    const queue = inBandQueue()
    const log: string[] = []
    const owner = queue.queued$.subscribe()
    const play = (name: string) => {
      const played = sequence(name, log)
      const caller = queue.play(played.sequence$).subscribe({
        complete: () => log.push(`${name} done`),
        error: (error: Error) => log.push(`${name} failed: ${error.message}`),
      })
      return { ...played, caller }
    }
    return { log, owner, play }
  }

  it('plays sequences one after another: the next starts once the one before has ended, each caller told of its own end', () => {
    const { log, owner, play } = queued()
    const first = play('first')
    const second = play('second')
    expect(log).to.deep.equal(['first starts'])
    first.end.complete()
    expect(log).to.deep.equal(['first starts', 'first done', 'second starts'])
    second.end.complete()
    expect(log).to.deep.equal(['first starts', 'first done', 'second starts', 'second done'])
    owner.unsubscribe()
  })

  it('a sequence that fails tells its caller and the next one still plays', () => {
    const { log, owner, play } = queued()
    const first = play('first')
    play('second')
    first.end.error(new Error('no audio'))
    expect(log).to.deep.equal(['first starts', 'first failed: no audio', 'second starts'])
    owner.unsubscribe()
  })

  it('a caller gone before its turn gives the turn up: its tones never play, the one after still does', () => {
    const { log, owner, play } = queued()
    const first = play('first')
    const second = play('second')
    play('third')
    second.caller.unsubscribe()
    first.end.complete()
    expect(log).to.deep.equal(['first starts', 'first done', 'third starts'])
    owner.unsubscribe()
  })
})
