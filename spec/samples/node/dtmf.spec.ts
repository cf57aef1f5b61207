import { expect } from 'chai'
import { createDtmfDetector, detectDtmf, dtmfDigits, dtmfFrequencies, dtmfSamples, goertzel, pcmToFloat } from '../../../samples/node/dtmf.js'

/** A seeded generator, so the noise of each run is the same. */
const random = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31
  return seed / 2 ** 31
}

/** Gaussian white noise of the given RMS (Box–Muller). */
const noise = (length: number, rms: number, seed = 7): Float32Array => {
  const next = random(seed)
  const out = new Float32Array(length)
  for (let i = 0; i < length; i++) out[i] = rms * Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next())
  return out
}

const add = (a: Float32Array, b: Float32Array): Float32Array => a.map((value, i) => value + (b[i] ?? 0))
const rms = (samples: Float32Array): number => Math.sqrt(samples.reduce((sum, value) => sum + value * value, 0) / samples.length)
const sine = (frequency: number, sampleRate: number, ms: number, amplitude = 0.5): Float32Array =>
  Float32Array.from({ length: Math.round((sampleRate * ms) / 1000) }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate))

describe('samples/node/dtmf: in-band DTMF synthesis and Goertzel detection', () => {
  it('maps every digit to its row and column frequency, and nothing else', () => {
    expect(dtmfFrequencies('1')).to.deep.equal([697, 1209])
    expect(dtmfFrequencies('#')).to.deep.equal([941, 1477])
    expect(dtmfFrequencies('d')).to.deep.equal([941, 1633])
    expect(dtmfFrequencies('E')).to.equal(undefined)
    expect(dtmfFrequencies('12')).to.equal(undefined)
  })

  it('goertzel gives (A·N/2)² for a sine filling the block and next to nothing for another frequency', () => {
    const block = sine(1000, 8000, 25, 0.5)
    const expected = ((0.5 * block.length) / 2) ** 2
    expect(goertzel(block, 8000, 1000) / expected).to.be.closeTo(1, 0.02)
    expect(goertzel(block, 8000, 1633) / expected).to.be.below(0.01)
  })

  for (const sampleRate of [8000, 16000, 48000]) {
    it(`detects all 16 digits in order at ${sampleRate} Hz`, () => {
      expect(detectDtmf(dtmfSamples(dtmfDigits, sampleRate), sampleRate)).to.equal(dtmfDigits)
    })
  }

  it('detects each digit alone, once, however long it lasts', () => {
    for (const digit of dtmfDigits) {
      expect(detectDtmf(dtmfSamples(digit, 48000, { toneMs: 400 }), 48000), digit).to.equal(digit)
    }
  })

  it('detects repeated digits separated by short gaps as separate digits', () => {
    expect(detectDtmf(dtmfSamples('1100##', 48000, { toneMs: 70, gapMs: 70 }), 48000)).to.equal('1100##')
  })

  it('counts a tone once when one block inside it is lost (a concealed packet), not twice', () => {
    const samples = dtmfSamples('5', 48000, { toneMs: 200, gapMs: 100 })
    samples.fill(0, 4800, 4800 + 1229) // 25.6 ms of silence 100 ms into the tone
    expect(detectDtmf(samples, 48000)).to.equal('5')
  })

  /** `digits` as the SDK keys them, after `leadMs` of silence (so a tone starts anywhere within a block). */
  const keyed = (digits: string, leadMs: number, toneMs: number, gapMs: number, sampleRate = 48000): Float32Array => {
    const tones = dtmfSamples(digits, sampleRate, { toneMs, gapMs })
    const samples = new Float32Array(Math.round((sampleRate * leadMs) / 1000) + tones.length)
    samples.set(tones, samples.length - tones.length)
    return samples
  }

  it('counts a tone once when a silent drop-out of up to 35 ms cuts it anywhere (lost or concealed packets)', () => {
    const heard = new Set<string>()
    for (const dropMs of [10, 20, 30, 35])
      for (let atMs = 20; atMs <= 120; atMs += 1) {
        const samples = dtmfSamples('5', 48000, { toneMs: 200, gapMs: 100 })
        samples.fill(0, atMs * 48, (atMs + dropMs) * 48)
        heard.add(detectDtmf(samples, 48000))
      }
    expect([...heard]).to.deep.equal(['5'])
  })

  it("counts a tone once when the caller's microphone beeps loudly inside it (Chromium's fake microphone: 20 ms of 400 Hz every 500 ms)", () => {
    const heard = new Set<string>()
    for (let atMs = 0; atMs <= 140; atMs += 1) {
      const samples = dtmfSamples('4', 48000, { toneMs: 160, gapMs: 90, amplitude: 0.3 })
      for (let i = 0; i < 20 * 48; i++) samples[atMs * 48 + i]! += Math.floor(i / 60) % 2 === 0 ? 0.7 : -0.7
      heard.add(detectDtmf(samples, 48000))
    }
    expect([...heard]).to.deep.equal(['4'])
  })

  it("hears repeated digits keyed with the SDK's timings (default 100 ms + 70 ms, shortest tone 40 ms, the sample keypad's 160 + 90 ms) wherever they start", () => {
    for (const [toneMs, gapMs] of [[100, 70], [40, 70], [160, 90]] as const)
      for (let leadMs = 0; leadMs < 26; leadMs++) expect(detectDtmf(keyed('4477##', leadMs, toneMs, gapMs), 48000), `${toneMs} + ${gapMs} ms after ${leadMs} ms`).to.equal('4477##')
  })

  it('still detects every digit in white noise at 10 dB SNR, and at a tenth of the level', () => {
    const clean = dtmfSamples(dtmfDigits, 8000, { gapMs: 100 })
    const toneRms = 0.25 // each sine 0.25 peak: the pair's RMS is 0.25
    expect(detectDtmf(add(clean, noise(clean.length, toneRms / Math.sqrt(10))), 8000)).to.equal(dtmfDigits)
    const quiet = dtmfSamples(dtmfDigits, 48000, { amplitude: 0.025 })
    expect(detectDtmf(add(quiet, noise(quiet.length, 0.025 / Math.sqrt(10), 3)), 48000)).to.equal(dtmfDigits)
  })

  it('finds no digit in silence, white noise, a single DTMF frequency, a 1 kHz tone or two non-DTMF tones', () => {
    expect(detectDtmf(new Float32Array(48000), 48000)).to.equal('')
    expect(detectDtmf(noise(48000, 0.3), 48000)).to.equal('')
    expect(rms(noise(48000, 0.3))).to.be.closeTo(0.3, 0.01)
    expect(detectDtmf(sine(697, 48000, 500), 48000)).to.equal('')
    expect(detectDtmf(sine(1209, 48000, 500), 48000)).to.equal('')
    expect(detectDtmf(sine(1000, 48000, 500), 48000)).to.equal('')
    expect(detectDtmf(add(sine(500, 48000, 500, 0.25), sine(2000, 48000, 500, 0.25)), 48000)).to.equal('')
  })

  it('rejects a pair whose twist is beyond 10 dB (one tone far stronger than the other)', () => {
    const twisted = add(sine(770, 8000, 300, 0.5), sine(1336, 8000, 300, 0.04))
    expect(detectDtmf(twisted, 8000)).to.equal('')
    const mild = add(sine(770, 8000, 300, 0.5), sine(1336, 8000, 300, 0.3))
    expect(detectDtmf(mild, 8000)).to.equal('5')
  })

  it('ignores tones of 25 ms or less wherever they start, as Q.24 asks of a receiver', () => {
    for (let leadMs = 0; leadMs < 26; leadMs++) expect(detectDtmf(keyed('5', leadMs, 25, 100, 8000), 8000), `after ${leadMs} ms`).to.equal('')
  })

  it('streams: digits split across chunks of any size come out once, in order', () => {
    const samples = dtmfSamples('9*0#', 48000)
    const detector = createDtmfDetector(48000)
    let found = ''
    for (let at = 0; at < samples.length; at += 333) found += detector.push(samples.subarray(at, at + 333))
    expect(found).to.equal('9*0#')
    expect(detector.digits).to.equal('9*0#')
  })

  it('converts 16-bit PCM to ±1 samples, keeping the first channel', () => {
    expect([...pcmToFloat(Int16Array.from([16384, 0, -32768, 5]), 2)]).to.deep.equal([0.5, -1])
  })
})
