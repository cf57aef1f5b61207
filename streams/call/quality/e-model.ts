import { entryOf } from '../../record.js'

// The ITU-T G.107 E-model as usually simplified for WebRTC: defaults but for delay and loss (R0 − Is = 93.2, A = 0), the delay impairment of the one-way
// "effective latency" (Cole & Rosenbluth's fit of G.107's Idd), and the equipment impairment of the codec under random loss (Ie, Bpl; BurstR = 1).

/** A codec's equipment impairment `ie`, its packet-loss robustness `bpl` and its frame delay (ms). */
interface CodecImpairment {
  readonly ie: number
  readonly bpl: number
  readonly frameMs: number
}

/**
 * Per codec (lower-case RTP payload name); G.711 with concealment from G.113 App. I. ITU-T lists no Opus: as WebRTC sends it (≥ 32 kbps, in-band FEC)
 * it is taken as transparent and more robust to loss than G.711 with concealment, the values WebRTC quality tools commonly use.
 */
export const codecImpairments: Readonly<Record<string, CodecImpairment>> = {
  opus: { ie: 0, bpl: 30, frameMs: 20 },
  pcmu: { ie: 0, bpl: 25.1, frameMs: 20 },
  pcma: { ie: 0, bpl: 25.1, frameMs: 20 },
  g722: { ie: 0, bpl: 25.1, frameMs: 20 },
}

/** A codec the table does not name: G.711 without concealment (G.113 App. I: Bpl 4.3), the cautious guess. */
export const unknownCodec: CodecImpairment = { ie: 0, bpl: 4.3, frameMs: 20 }

/** What the E-model is computed from: network figures of one sample, and the codec. */
interface Transmission {
  readonly rttMs: number
  readonly jitterMs: number
  readonly packetLossPercent: number
  readonly codec?: string | undefined
}

/** R0 − Is with every G.107 default: the rating of a perfect narrowband call. */
const basicRating = 93.2

/**
 * The delay impairment Id of a one-way delay in ms: 0.024·d, plus 0.11·(d − 177.3) beyond 177.3 ms.
 *
 * delayImpairment(177.3) // 4.2552
 */
export function delayImpairment(oneWayMs: number): number {
  const delay = Math.max(0, oneWayMs)
  return 0.024 * delay + (delay > 177.3 ? 0.11 * (delay - 177.3) : 0)
}

/**
 * The effective equipment impairment Ie,eff of a codec under random packet loss (G.107 §7.4): Ie + (95 − Ie) · Ppl / (Ppl + Bpl).
 *
 * equipmentImpairment(codecImpairments.pcmu, 2) // 7.011…
 */
export function equipmentImpairment(codec: CodecImpairment, lossPercent: number): number {
  const loss = Math.min(100, Math.max(0, lossPercent))
  return codec.ie + ((95 - codec.ie) * loss) / (loss + codec.bpl)
}

/**
 * The MOS (conversational quality, 1 to 4.5) of a rating R (G.107 Annex B).
 *
 * mosOf(93.2) // 4.409…
 */
export function mosOf(rating: number): number {
  if (rating <= 0) return 1
  if (rating >= 100) return 4.5
  return 1 + 0.035 * rating + rating * (rating - 60) * (100 - rating) * 7e-6
}

/** The codec's figures; `codec` is a name (`opus`) or a MIME type (`audio/opus`), in any case. */
export function impairmentOf(codec: string | undefined): CodecImpairment {
  const name = codec?.toLowerCase().replace(/^audio\//, '')
  // The name comes from the far end's SDP: own entries only, so `constructor` or `__proto__` is an unknown codec, not Object.prototype's.
  return (name === undefined ? undefined : entryOf(codecImpairments, name)) ?? unknownCodec
}

/**
 * The rating R of a transmission: Id of the effective latency (half the round trip, a jitter buffer of twice the jitter, the codec's frame), Ie,eff of the codec.
 *
 * rating({ rttMs: 0, jitterMs: 0, packetLossPercent: 0, codec: 'opus' }) // 92.72
 */
export function rating({ rttMs, jitterMs, packetLossPercent, codec }: Transmission): number {
  const impairment = impairmentOf(codec)
  const effectiveLatency = rttMs / 2 + 2 * jitterMs + impairment.frameMs
  return basicRating - delayImpairment(effectiveLatency) - equipmentImpairment(impairment, packetLossPercent)
}

/**
 * The MOS the E-model estimates for a transmission, rounded to two decimals.
 *
 * estimatedMos({ rttMs: 40, jitterMs: 2, packetLossPercent: 0, codec: 'audio/opus' }) // 4.39
 */
export function estimatedMos(transmission: Transmission): number {
  return Math.round(mosOf(rating(transmission)) * 100) / 100
}
