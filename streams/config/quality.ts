import * as t from 'io-ts'
import { numberWhere } from './peer.js'

// `call.qualityThresholds`: where `call:qualityWarning`s rise. Each figure is checked where the app sets it; a partial update keeps the others.

const Positive = numberWhere('PositiveNumber', (value) => value > 0)
const Percent = numberWhere('Percent', (value) => value >= 0 && value <= 100)
const Mos = numberWhere('Mos', (value) => value >= 1 && value <= 4.5)

/** What an app may set of `call.qualityThresholds`. */
export const QualityThresholdsUpdate = t.partial({
  /** `high-rtt` above this round trip (ms). */
  rttMs: Positive,
  /** `high-jitter` above this inbound jitter (ms). */
  jitterMs: Positive,
  /** `packet-loss` above this share of inbound packets lost (percent). */
  packetLossPercent: Percent,
  /** `low-mos` below this estimated MOS (1 to 4.5). */
  mos: Mos,
  /** `no-inbound-media` after this long (ms) with the media connected and nothing arriving. */
  noInboundMediaMs: Positive,
  /** `constant-audio-input` after this long (ms) with the microphone silent or at one level. */
  constantAudioInputMs: Positive,
})
export type QualityThresholdsUpdate = t.TypeOf<typeof QualityThresholdsUpdate>

/** Every threshold of `call.qualityThresholds`, as `getConfig()` shows them. */
export type QualityThresholds = Required<QualityThresholdsUpdate>

/** The defaults: a round trip of 400 ms, 30 ms of jitter, 3% loss, MOS 3.5, 3 s without media, 10 s of a constant microphone. */
export const defaultQualityThresholds: QualityThresholds = {
  rttMs: 400,
  jitterMs: 30,
  packetLossPercent: 3,
  mos: 3.5,
  noInboundMediaMs: 3000,
  constantAudioInputMs: 10_000,
}
