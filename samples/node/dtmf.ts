// In-band DTMF (ITU-T Q.23/Q.24): tone synthesis and a Goertzel detector over plain sample
// arrays. No Node or DOM dependency, so browser pages can bundle it too.

/** The sixteen DTMF digits, keypad order. */
export const dtmfDigits = '123A456B789C*0#D'

const rows = [697, 770, 852, 941] as const
const columns = [1209, 1336, 1477, 1633] as const

/** The low (row) and high (column) frequency of a digit, in Hz; undefined for anything else. */
export function dtmfFrequencies(digit: string): readonly [number, number] | undefined {
  const index = digit.length === 1 ? dtmfDigits.indexOf(digit.toUpperCase()) : -1
  return index < 0 ? undefined : [rows[Math.floor(index / 4)]!, columns[index % 4]!]
}

export interface ToneOptions {
  /** Milliseconds of tone per digit (default 100). */
  readonly toneMs?: number
  /** Milliseconds of silence after each digit (default 100). */
  readonly gapMs?: number
  /** Peak amplitude of each of the two sines, 0–1 of full scale (default 0.25). */
  readonly amplitude?: number
}

/**
 * Synthesises digits as in-band DTMF: each digit's two sines for `toneMs`, then `gapMs` of
 * silence. Characters that are not DTMF digits (`,` for instance) become a silent digit slot.
 *
 * const samples = dtmfSamples('1234#', 48000)
 */
export function dtmfSamples(digits: string, sampleRate: number, options: ToneOptions = {}): Float32Array {
  const tone = Math.round((sampleRate * (options.toneMs ?? 100)) / 1000)
  const slot = tone + Math.round((sampleRate * (options.gapMs ?? 100)) / 1000)
  const amplitude = options.amplitude ?? 0.25
  const samples = new Float32Array(slot * digits.length)
  ;[...digits].forEach((digit, position) => {
    const pair = dtmfFrequencies(digit)
    if (pair === undefined) return
    const [low, high] = pair
    for (let i = 0; i < tone; i++) {
      const t = i / sampleRate
      samples[position * slot + i] = amplitude * (Math.sin(2 * Math.PI * low * t) + Math.sin(2 * Math.PI * high * t))
    }
  })
  return samples
}

/**
 * The power of one frequency in a block of samples (generalised Goertzel: the frequency need
 * not fall on a DFT bin). For a sine of amplitude A filling the block it is about (A·N/2)².
 */
export function goertzel(samples: ArrayLike<number>, sampleRate: number, frequency: number, start = 0, length = samples.length - start): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate)
  let previous = 0
  let beforePrevious = 0
  for (let i = start; i < start + length; i++) {
    const current = (samples[i] ?? 0) + coefficient * previous - beforePrevious
    beforePrevious = previous
    previous = current
  }
  return previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
}

export interface DetectorOptions {
  /** Analysis window in milliseconds (default 25.6, i.e. 205 samples at 8 kHz); windows overlap by half. */
  readonly blockMs?: number
  /** Milliseconds of tone that always make a digit (default 40, RTCDTMFSender's shortest); tones up to about 15 ms shorter never do. */
  readonly minToneMs?: number
  /** Milliseconds without its tone that end a digit (default 50, in steps of half a window); shorter drop-outs inside a tone are bridged. */
  readonly minPauseMs?: number
  /** Windows quieter than this RMS (of full scale 1) hold no digit (default 0.005, about −46 dBFS). */
  readonly minLevel?: number
}

/** A detector fed with consecutive chunks of one audio stream. */
export interface DtmfDetector {
  /** Adds samples (full scale ±1); returns the digits that completed detection in them, in order. */
  push(samples: ArrayLike<number>): string
  /** Every digit detected so far. */
  readonly digits: string
}

/** Share of a block's energy a tone pair must hold, and how far each must stand above its group's next strongest. */
const minShare = 0.5
const minDominance = 4
/** Largest power ratio between the two tones (about 10 dB, more than Q.24's 8 dB reverse twist). */
const maxTwist = 10

/** The digit one block holds, or '' (silence, noise, a single tone, speech-like spectra). */
function classify(block: ArrayLike<number>, start: number, length: number, sampleRate: number, minLevel: number): string {
  let energy = 0
  for (let i = start; i < start + length; i++) energy += (block[i] ?? 0) ** 2
  if (energy / length < minLevel * minLevel) return ''
  // Each power as the share of the block's energy it represents (a lone sine filling the block gives 1).
  const share = (frequency: number): number => (2 * goertzel(block, sampleRate, frequency, start, length)) / (length * energy)
  const strongest = (group: readonly number[]): { index: number; power: number; runnerUp: number } => {
    const powers = group.map(share)
    const index = powers.indexOf(Math.max(...powers))
    const runnerUp = Math.max(...powers.filter((_, i) => i !== index))
    return { index, power: powers[index]!, runnerUp }
  }
  const row = strongest(rows)
  const column = strongest(columns)
  if (row.power + column.power < minShare) return ''
  if (row.power < minDominance * row.runnerUp || column.power < minDominance * column.runnerUp) return ''
  if (row.power > maxTwist * column.power || column.power > maxTwist * row.power) return ''
  return dtmfDigits[row.index * 4 + column.index]!
}

/** The amplitude of a digit's weaker tone in a block (a sine of amplitude A filling the block gives A; filling half of it, A/2). */
function pairLevel(block: ArrayLike<number>, sampleRate: number, digit: string): number {
  const [low, high] = dtmfFrequencies(digit)!
  const amplitude = (frequency: number): number => (2 * Math.sqrt(goertzel(block, sampleRate, frequency))) / block.length
  return Math.min(amplitude(low), amplitude(high))
}

/**
 * A streaming DTMF detector, timed as ITU-T Q.24 asks of a receiver: Goertzel filters at the
 * eight DTMF frequencies classify half-overlapping windows; a digit counts once its pair fills
 * `minToneMs`, and ends only when its own two tones have been gone (below half their level) for
 * `minPauseMs`. Other sound over a tone (speech, a beep) or a short drop-out does not end it,
 * so it never counts twice; the same digit keyed again after a pause counts again.
 *
 * const detector = createDtmfDetector(48000)
 * sink.ondata = ({ samples }) => { const digits = detector.push(toFloat(samples)); if (digits) handle(digits) }
 */
export function createDtmfDetector(sampleRate: number, options: DetectorOptions = {}): DtmfDetector {
  const blockLength = Math.max(2, Math.round((sampleRate * (options.blockMs ?? 25.6)) / 1000))
  const hop = Math.floor(blockLength / 2)
  const hopMs = (1000 * hop) / sampleRate
  // A window holds what fills more than half of it, so T ms of tone (or of pause) fill about T / hop consecutive windows.
  const minTone = Math.round(((options.minToneMs ?? 40) * sampleRate) / 1000)
  const toneWindows = Math.max(1, Math.floor(minTone / hop))
  const pauseWindows = Math.max(1, Math.ceil((options.minPauseMs ?? 50) / hopMs))
  const minLevel = options.minLevel ?? 0.005
  const block = new Float32Array(blockLength)
  let filled = 0
  let candidate = ''
  let run = 0
  let reported = ''
  let level = 0
  let absent = 0
  let digits = ''

  /** Ends the reported digit after `pauseWindows` in a row below half the level it was detected at. */
  const follow = (): void => {
    if (pairLevel(block, sampleRate, reported) >= level / 2) absent = 0
    else if (++absent >= pauseWindows) reported = ''
  }

  const windowDone = (): string => {
    if (reported !== '') follow()
    const digit = classify(block, 0, blockLength, sampleRate, minLevel)
    run = digit === candidate ? run + 1 : 1
    candidate = digit
    if (digit === '' || run < toneWindows || digit === reported) return ''
    reported = digit
    level = pairLevel(block, sampleRate, digit)
    absent = 0
    digits += digit
    return digit
  }

  return {
    push: (samples) => {
      let found = ''
      for (let i = 0; i < samples.length; i++) {
        block[filled++] = samples[i] ?? 0
        if (filled === blockLength) {
          found += windowDone()
          block.copyWithin(0, hop)
          filled = blockLength - hop
        }
      }
      return found
    },
    get digits() {
      return digits
    },
  }
}

/**
 * The DTMF digits in a buffer of samples (full scale ±1), in order.
 *
 * detectDtmf(dtmfSamples('159#', 8000), 8000) // '159#'
 */
export function detectDtmf(samples: ArrayLike<number>, sampleRate: number, options: DetectorOptions = {}): string {
  return createDtmfDetector(sampleRate, options).push(samples)
}

/** 16-bit PCM (as `RTCAudioSink` delivers it) to samples of full scale ±1; keeps the first channel. */
export function pcmToFloat(samples: Int16Array, channelCount = 1): Float32Array {
  const frames = Math.floor(samples.length / channelCount)
  const out = new Float32Array(frames)
  for (let i = 0; i < frames; i++) out[i] = samples[i * channelCount]! / 32768
  return out
}
