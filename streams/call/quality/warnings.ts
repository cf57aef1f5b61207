import { map, scan, type OperatorFunction, type SchedulerLike } from 'rxjs'
import type { QualityThresholds } from '../../config/quality.js'
import { estimatedMos } from './e-model.js'
import type { MediaKind, QualitySample } from './reading.js'

// A network warning (round trip, jitter, loss, MOS) rises when beyond its threshold in 3 of the last 5 samples and clears when in none of them,
// so one bad second neither raises nor clears it.

/** The warnings of `call:qualityWarning`. */
const qualityWarningNames = ['high-rtt', 'high-jitter', 'packet-loss', 'low-mos', 'no-inbound-media', 'constant-audio-input'] as const
export type QualityWarningName = (typeof qualityWarningNames)[number]

/** A call's quality as the latest sample shows it (`CallObject.quality`); figures are undefined until measured. */
export interface CallQuality {
  /** The MOS the ITU-T G.107 E-model estimates (1 to 4.5). */
  readonly mos: number | undefined
  readonly rttMs: number | undefined
  readonly jitterMs: number | undefined
  readonly packetLossPercent: number | undefined
  /** The warnings active now, in the order of `qualityWarningNames`. */
  readonly warnings: readonly QualityWarningName[]
}

/** A warning rose (`active: true`) or cleared; `value` is its figure then (ms, percent, MOS or microphone level). */
export interface QualityWarningChange {
  readonly name: QualityWarningName
  readonly active: boolean
  readonly value: number
}

/** The latest figure of each warning (the one a warning cleared at the end of sampling reports). */
export type WarningValues = Readonly<Partial<Record<QualityWarningName, number>>>

/** What one sample makes of a call's quality. */
export interface QualityStep {
  readonly quality: CallQuality
  readonly changes: readonly QualityWarningChange[]
  readonly values: WarningValues
}

/** Samples a network figure is judged over, and how many beyond its threshold raise it. */
const judgedSamples = 5
const beyondToRise = 3
/** A microphone level that moves less than this is constant. */
const levelTolerance = 0.001

const networkWarnings = ['high-rtt', 'high-jitter', 'packet-loss', 'low-mos'] as const
type NetworkWarning = (typeof networkWarnings)[number]

interface Judgement {
  /** Per network warning: whether each of the last samples was beyond the threshold (newest last). */
  readonly beyond: Readonly<Record<NetworkWarning, readonly boolean[]>>
  /** Per kind the far end should send: when its media last arrived (or was first expected). */
  readonly arrivedAt: Readonly<Partial<Record<MediaKind, number>>>
  /** The microphone's run of one level: since when, and its lowest and highest level. */
  readonly level: { readonly since: number; readonly low: number; readonly high: number } | undefined
  readonly active: ReadonlySet<QualityWarningName>
  readonly values: WarningValues
}

const initialJudgement: Judgement = {
  beyond: { 'high-rtt': [], 'high-jitter': [], 'packet-loss': [], 'low-mos': [] },
  arrivedAt: {},
  level: undefined,
  active: new Set(),
  values: {},
}

const mosOfSample = ({ rttMs, jitterMs, packetLossPercent, codec }: QualitySample): number | undefined =>
  rttMs === undefined || jitterMs === undefined ? undefined : estimatedMos({ rttMs, jitterMs, packetLossPercent: packetLossPercent ?? 0, codec })

/** Each network warning's figure in a sample, and whether it is beyond its threshold. */
function networkFigures(sample: QualitySample, mos: number | undefined, thresholds: QualityThresholds): Record<NetworkWarning, { value: number | undefined; beyond: boolean }> {
  const above = (value: number | undefined, limit: number) => ({ value, beyond: value !== undefined && value > limit })
  return {
    'high-rtt': above(sample.rttMs, thresholds.rttMs),
    'high-jitter': above(sample.jitterMs, thresholds.jitterMs),
    'packet-loss': above(sample.packetLossPercent, thresholds.packetLossPercent),
    'low-mos': { value: mos, beyond: mos !== undefined && mos < thresholds.mos },
  }
}

/** When each expected kind last arrived: now when it arrives, when it is newly expected, or when the media connection reconnected. */
function arrivals(previous: Judgement['arrivedAt'], sample: QualitySample, now: number): Partial<Record<MediaKind, number>> {
  const next: Partial<Record<MediaKind, number>> = {}
  for (const [kind, arriving] of Object.entries(sample.arriving) as Array<[MediaKind, boolean]>) {
    const last = previous[kind]
    next[kind] = arriving || sample.fresh || last === undefined ? now : last
  }
  return next
}

/** The microphone's run of one level after this sample; none while the call sends no live microphone. */
function levelRun(run: Judgement['level'], level: number | undefined, now: number): Judgement['level'] {
  if (level === undefined) return undefined
  if (run !== undefined && Math.max(run.high, level) - Math.min(run.low, level) <= levelTolerance) return { since: run.since, low: Math.min(run.low, level), high: Math.max(run.high, level) }
  return { since: now, low: level, high: level }
}

/** Judges one sample at `now`: the next judgement, and the step it reports. */
function judge(previous: Judgement, sample: QualitySample, thresholds: QualityThresholds, now: number): { judgement: Judgement; step: QualityStep } {
  const mos = mosOfSample(sample)
  const figures = networkFigures(sample, mos, thresholds)
  const arrivedAt = arrivals(previous.arrivedAt, sample, now)
  const gap = Math.max(0, ...Object.values(arrivedAt).map((at) => now - at))
  const level = levelRun(previous.level, sample.audioInputLevel, now)
  const beyond = {} as Record<NetworkWarning, readonly boolean[]>
  const active = new Set<QualityWarningName>()
  const values: Partial<Record<QualityWarningName, number>> = { ...previous.values }
  for (const name of networkWarnings) {
    beyond[name] = [...previous.beyond[name], figures[name].beyond].slice(-judgedSamples)
    const count = beyond[name].filter(Boolean).length
    if (count >= beyondToRise || (previous.active.has(name) && count > 0)) active.add(name)
    if (figures[name].value !== undefined) values[name] = figures[name].value
  }
  values['no-inbound-media'] = gap
  if (gap >= thresholds.noInboundMediaMs) active.add('no-inbound-media')
  if (sample.audioInputLevel !== undefined) values['constant-audio-input'] = sample.audioInputLevel
  if (level !== undefined && now - level.since >= thresholds.constantAudioInputMs) active.add('constant-audio-input')

  const changes = qualityWarningNames
    .filter((name) => active.has(name) !== previous.active.has(name))
    .map((name): QualityWarningChange => ({ name, active: active.has(name), value: values[name] ?? 0 }))
  const { rttMs, jitterMs, packetLossPercent } = sample
  const quality: CallQuality = { mos, rttMs, jitterMs, packetLossPercent, warnings: qualityWarningNames.filter((name) => active.has(name)) }
  return { judgement: { beyond, arrivedAt, level, active, values }, step: { quality, changes, values } }
}

type Judged = ReturnType<typeof judge>

/**
 * A call's quality after each sample, with the warnings that rose or cleared; a sample's time is the scheduler's now (for `no-inbound-media`,
 * `constant-audio-input`). Thresholds are read at each sample, so a config change applies from the next one.
 *
 * samples$.pipe(qualitySteps(() => config.current().call.qualityThresholds, scheduler))
 */
export function qualitySteps(thresholds: () => QualityThresholds, scheduler: SchedulerLike): OperatorFunction<QualitySample, QualityStep> {
  return (samples$) =>
    samples$.pipe(
      scan<QualitySample, Judged, Pick<Judged, 'judgement'>>(({ judgement }, sample) => judge(judgement, sample, thresholds(), scheduler.now()), { judgement: initialJudgement }),
      map(({ step }) => step),
    )
}
