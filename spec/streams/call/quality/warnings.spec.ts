import { expect } from 'chai'
import { filter, map, type Observable } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { defaultQualityThresholds, type QualityThresholds } from '../../../../streams/config/quality.js'
import type { QualitySample } from '../../../../streams/call/quality/reading.js'
import { qualitySteps, type QualityStep } from '../../../../streams/call/quality/warnings.js'

// Marble specs in virtual time: one sample a second (`1s` apart, as the sampler takes them); the
// output shows the warnings that rose (+name) or cleared (−name) at each sample that changed one.

const good: QualitySample = { fresh: false, rttMs: 40, jitterMs: 2, packetLossPercent: 0, codec: 'audio/opus', arriving: { audio: true }, audioInputLevel: undefined }
const sample = (values: Partial<QualitySample> = {}): QualitySample => ({ ...good, ...values })

/** A cold marble of samples one second apart: the n-th letter is `samples[n]`. */
function timeline(samples: readonly QualitySample[]): { marble: string; values: Record<string, QualitySample> } {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
  const values: Record<string, QualitySample> = {}
  samples.forEach((value, index) => (values[letters[index]!] = value))
  return { marble: Object.keys(values).join(' 999ms '), values }
}

/** The changes of each step as one label (`+packet-loss`, `-packet-loss,+low-mos`); steps with none are left out. */
const changes = (steps$: Observable<QualityStep>): Observable<string> =>
  steps$.pipe(
    map((step) => step.changes.map((change) => `${change.active ? '+' : '-'}${change.name}`).join(',')),
    filter((label) => label !== ''),
  )

/** Frames (ms) of the samples at these indexes, for the expected marble: "3s" is the 4th sample. */
const at = (...labelled: Array<[index: number, label: string]>) => {
  let marble = ''
  let now = 0
  const values: Record<string, string> = {}
  labelled.forEach(([index, label], n) => {
    const key = String.fromCharCode(65 + n)
    const frame = index * 1000
    marble += `${frame - now === 0 ? '' : `${frame - now - (now === 0 ? 0 : 1)}ms `}${key} `
    now = frame
    values[key] = label
  })
  return { marble: marble.trim(), values }
}

const testScheduler = () =>
  new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected)
  })

describe('call quality: warnings (streams/call/quality/warnings.ts)', () => {
  let scheduler: TestScheduler
  beforeEach(() => (scheduler = testScheduler()))

  const run = (samples: readonly QualitySample[], expected: ReturnType<typeof at>, thresholds: () => QualityThresholds = () => defaultQualityThresholds) =>
    scheduler.run(({ cold, expectObservable }) => {
      const { marble, values } = timeline(samples)
      expectObservable(changes(cold(marble, values).pipe(qualitySteps(thresholds, scheduler)))).toBe(expected.marble, expected.values)
    })

  it('raises packet-loss when 3 of the last 5 samples are beyond the threshold, not for one or two bad seconds', () => {
    const lossy = sample({ packetLossPercent: 25 })
    run([good, lossy, good, lossy, good, good, good, good, good, lossy, lossy, lossy], at([11, '+packet-loss,+low-mos']))
  })

  it('clears packet-loss only after 5 samples in a row within the threshold (hysteresis), and says so once', () => {
    const lossy = sample({ packetLossPercent: 25 })
    run([lossy, lossy, lossy, good, lossy, good, good, good, good, good, good], at([2, '+packet-loss,+low-mos'], [9, '-packet-loss,-low-mos']))
  })

  it('raises high-rtt and high-jitter on their own figures; a threshold change applies from the next sample', () => {
    let thresholds = defaultQualityThresholds
    const slow = sample({ rttMs: 450 })
    const jittery = sample({ jitterMs: 45 })
    scheduler.run(({ cold, expectObservable }) => {
      const { marble, values } = timeline([slow, slow, slow, jittery, jittery, jittery, jittery, jittery, jittery])
      scheduler.schedule(() => (thresholds = { ...thresholds, jitterMs: 50 }), 5500)
      // high-rtt clears after 5 good round trips; high-jitter stays: under the new threshold its last
      // 3 samples are within, but 2 of the last 5 are still beyond.
      const expected = at([2, '+high-rtt'], [5, '+high-jitter'], [7, '-high-rtt'])
      expectObservable(changes(cold(marble, values).pipe(qualitySteps(() => thresholds, scheduler)))).toBe(expected.marble, expected.values)
    })
  })

  it('reads the thresholds at each sample: raised before the third slow round trip, high-rtt does not rise', () => {
    const slow = sample({ rttMs: 450 })
    run([slow, slow, slow], at([2, '+high-rtt']))
    scheduler = testScheduler()
    let thresholds = defaultQualityThresholds
    scheduler.run(({ cold, expectObservable }) => {
      const { marble, values } = timeline([slow, slow, slow])
      scheduler.schedule(() => (thresholds = { ...thresholds, rttMs: 500 }), 1500)
      expectObservable(changes(cold(marble, values).pipe(qualitySteps(() => thresholds, scheduler)))).toBe('')
    })
  })

  it('reports the figures of the latest sample and the MOS the E-model gives them', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const steps$ = cold('a', { a: sample({ rttMs: 40, jitterMs: 2 }) }).pipe(qualitySteps(() => defaultQualityThresholds, scheduler))
      expectObservable(steps$.pipe(map((step) => step.quality))).toBe('a', { a: { mos: 4.39, rttMs: 40, jitterMs: 2, packetLossPercent: 0, warnings: [] } })
    })
  })

  it('raises low-mos with the MOS as its value, and has no MOS before a round trip is known', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const bad = sample({ rttMs: 900, jitterMs: 60, packetLossPercent: 10 })
      const steps$ = cold('a 999ms b 999ms c 999ms d', { a: sample({ rttMs: undefined }), b: bad, c: bad, d: bad }).pipe(qualitySteps(() => defaultQualityThresholds, scheduler))
      expectObservable(steps$.pipe(map((step) => [step.quality.mos === undefined, step.changes.find((change) => change.name === 'low-mos')?.value ?? null]))).toBe('a 999ms b 999ms c 999ms d', {
        a: [true, null],
        b: [false, null],
        c: [false, null],
        d: [false, 1.03],
      })
    })
  })

  it('raises no-inbound-media 3 s after the last media arrived, with the gap as value, and clears it when media arrives', () => {
    const silent = sample({ arriving: { audio: false } })
    scheduler.run(({ cold, expectObservable }) => {
      const { marble, values } = timeline([good, silent, silent, silent, silent, good, good])
      const steps$ = cold(marble, values).pipe(qualitySteps(() => defaultQualityThresholds, scheduler))
      expectObservable(steps$.pipe(map((step) => step.changes.map((change) => `${change.active}:${change.value}`).join()), filter(Boolean))).toBe('3000ms a 1999ms b', { a: 'true:3000', b: 'false:0' })
    })
  })

  it('counts no-inbound-media from the start of the connected period, for each kind the far end should send (one-way video too)', () => {
    const noVideo = sample({ arriving: { audio: true, video: false } })
    // Connected with nothing yet: 3 s from the first sample.
    run([sample({ fresh: true, arriving: { audio: false } }), sample({ arriving: { audio: false } }), sample({ arriving: { audio: false } }), sample({ arriving: { audio: false } })], at([3, '+no-inbound-media']))
    scheduler = testScheduler()
    run([good, noVideo, noVideo, noVideo, noVideo], at([4, '+no-inbound-media']))
  })

  it('restarts the no-inbound-media clock when the media connection reconnects, and ignores a kind no longer expected (held)', () => {
    const silent = sample({ arriving: { audio: false } })
    run([good, silent, silent, sample({ fresh: true, arriving: { audio: false } }), silent, silent, silent], at([6, '+no-inbound-media']))
    scheduler = testScheduler()
    run([good, silent, silent, sample({ arriving: {} }), sample({ arriving: {} }), sample({ arriving: {} })], at())
  })

  it('raises constant-audio-input after 10 s of one microphone level (or silence), and clears it when the level moves or the microphone stops', () => {
    const level = (audioInputLevel: number | undefined) => sample({ audioInputLevel })
    const still = Array.from({ length: 11 }, () => level(0))
    run([...still, level(0.0005), level(0.3), level(0.3)], at([10, '+constant-audio-input'], [12, '-constant-audio-input']))
    scheduler = testScheduler()
    run([...still, level(undefined)], at([10, '+constant-audio-input'], [11, '-constant-audio-input']))
    scheduler = testScheduler()
    run(Array.from({ length: 12 }, (_, index) => level(index % 2 === 0 ? 0.2 : 0.25)), at())
  })
})
