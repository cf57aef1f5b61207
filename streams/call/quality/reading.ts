// A stats report of a call's peer connection as the figures quality is judged from, and two in a row as a sample; pure, the sampler does the I/O.

/** A kind of media the far end may send. */
export type MediaKind = 'audio' | 'video'

/** What a stats report says of the call's media (cumulative counters, as the report has them). */
export interface StatsReading {
  /** Per kind the far end is expected to send: packets received and lost so far (all its streams). */
  readonly inbound: Readonly<Partial<Record<MediaKind, { readonly received: number; readonly lost: number }>>>
  /** The worst inbound jitter in ms (audio when the call receives audio). */
  readonly jitterMs: number | undefined
  /** The round trip of the selected candidate pair (else as RTCP reports it), in ms. */
  readonly rttMs: number | undefined
  /** The MIME type of the inbound audio (`audio/opus`). */
  readonly codec: string | undefined
  /** The microphone's level (0 to 1) where the call sends a live, enabled microphone. */
  readonly audioInputLevel: number | undefined
}

/** One second of a call's media: the figures of the latest report and what changed since the one before. */
export interface QualitySample extends Pick<StatsReading, 'rttMs' | 'jitterMs' | 'codec' | 'audioInputLevel'> {
  /** The first sample since the media connection (re)connected: nothing to compare with. */
  readonly fresh: boolean
  /** Inbound packets lost since the previous sample, in percent of those sent (audio when the call receives audio). */
  readonly packetLossPercent: number | undefined
  /** Per kind the far end is expected to send: whether any of its packets arrived since the previous sample. */
  readonly arriving: Readonly<Partial<Record<MediaKind, boolean>>>
}

/** What the sampler knows besides the report: the kinds the call receives, and whether its microphone is live. */
export interface ReadingContext {
  readonly receiving: readonly MediaKind[]
  readonly microphone: boolean
}

type Stat = Readonly<Record<string, unknown>>

const numberIn = (stat: Stat | undefined, key: string): number | undefined => {
  const value = stat?.[key]
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

const isKind = (value: unknown): value is MediaKind => value === 'audio' || value === 'video'

/** The round trip in ms: the selected candidate pair's, else the first RTCP one (remote-inbound-rtp). */
function roundTrip(stats: readonly Stat[]): number | undefined {
  const transport = stats.find((stat) => stat.type === 'transport' && typeof stat.selectedCandidatePairId === 'string')
  const nominated = (stat: Stat): boolean => stat.type === 'candidate-pair' && stat.nominated === true && stat.state === 'succeeded'
  const selected = stats.find(transport === undefined ? nominated : (stat) => stat.id === transport.selectedCandidatePairId)
  const seconds = numberIn(selected, 'currentRoundTripTime') ?? stats.map((stat) => (stat.type === 'remote-inbound-rtp' ? numberIn(stat, 'roundTripTime') : undefined)).find((rtt) => rtt !== undefined)
  return seconds === undefined ? undefined : seconds * 1000
}

/**
 * The figures of one stats report (its values: `[...report.values()]`).
 *
 * readingOf([...(await peer.getStats()).values()], { receiving: ['audio'], microphone: true })
 */
export function readingOf(stats: readonly Stat[], { receiving, microphone }: ReadingContext): StatsReading {
  const inboundRtp = stats.filter((stat) => stat.type === 'inbound-rtp' && isKind(stat.kind) && receiving.includes(stat.kind))
  const inbound: Partial<Record<MediaKind, { received: number; lost: number }>> = {}
  for (const kind of receiving) inbound[kind] = { received: 0, lost: 0 }
  for (const stat of inboundRtp) {
    const totals = inbound[stat.kind as MediaKind]!
    totals.received += numberIn(stat, 'packetsReceived') ?? 0
    totals.lost += Math.max(0, numberIn(stat, 'packetsLost') ?? 0)
  }
  const audio = inboundRtp.filter((stat) => stat.kind === 'audio')
  const jitters = (audio.length > 0 ? audio : inboundRtp).map((stat) => numberIn(stat, 'jitter')).filter((jitter): jitter is number => jitter !== undefined)
  const codec = stats.find((stat) => stat.type === 'codec' && stat.id === audio[0]?.codecId)?.mimeType
  const source = stats.find((stat) => stat.type === 'media-source' && stat.kind === 'audio')
  return {
    inbound,
    jitterMs: jitters.length === 0 ? undefined : Math.max(...jitters) * 1000,
    rttMs: roundTrip(stats),
    codec: typeof codec === 'string' ? codec : undefined,
    audioInputLevel: microphone ? numberIn(source, 'audioLevel') : undefined,
  }
}

/** Lost packets in percent of those sent between two readings, over audio when both have it; undefined when nothing was sent. */
function lossBetween(previous: StatsReading, current: StatsReading): number | undefined {
  const kinds: MediaKind[] = current.inbound.audio !== undefined && previous.inbound.audio !== undefined ? ['audio'] : ['audio', 'video']
  let received = 0
  let lost = 0
  for (const kind of kinds) {
    const before = previous.inbound[kind]
    const now = current.inbound[kind]
    if (before === undefined || now === undefined) continue
    received += Math.max(0, now.received - before.received)
    lost += Math.max(0, now.lost - before.lost)
  }
  return received + lost === 0 ? undefined : (100 * lost) / (received + lost)
}

/**
 * The sample of a reading after `previous` (undefined: the first since the media connection connected).
 *
 * sampleOf(lastSecond, now) // { fresh: false, packetLossPercent: 25, arriving: { audio: true }, … }
 */
export function sampleOf(previous: StatsReading | undefined, current: StatsReading): QualitySample {
  const arriving: Partial<Record<MediaKind, boolean>> = {}
  for (const kind of Object.keys(current.inbound) as MediaKind[]) {
    arriving[kind] = current.inbound[kind]!.received > (previous?.inbound[kind]?.received ?? 0)
  }
  const { inbound: _inbound, ...figures } = current
  const packetLossPercent = previous === undefined ? undefined : lossBetween(previous, current)
  return { ...figures, fresh: previous === undefined, packetLossPercent, arriving }
}
