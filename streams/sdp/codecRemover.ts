import type { MediaDescription } from 'sdp-transform'
import type { SdpHandlerFunction, SdpObject } from '../config/state.js'
import { definedFields } from '../record.js'

/**
 * A codec to remove: its name (`'VP8'`, case-insensitive), or its name with fmtp parameters a payload must all have to be removed
 * (`{ name: 'H264', fmtpParams: ['packetization-mode=0'] }`), as later versions of the reference accept.
 */
export type CodecSelector = string | { readonly name: string; readonly fmtpParams?: readonly string[] }

/** An fmtp parameter as compared: no spaces, lower case. */
const normalised = (param: string): string => param.replace(/\s+/g, '').toLowerCase()

/** A codec to remove as compared: its name in lower case, the fmtp parameters normalised. */
const toSelector = (codec: CodecSelector) =>
  typeof codec === 'string' ? { name: codec.toLowerCase(), params: [] } : { name: codec.name.toLowerCase(), params: (codec.fmtpParams ?? []).map(normalised) }
type Selector = ReturnType<typeof toSelector>

const fmtpParams = (config: string | undefined): string[] => (config ?? '').split(';').map(normalised).filter((param) => param !== '')

/** The payloads a selector names in one media section. */
const selected = (media: MediaDescription, selectors: readonly Selector[]): Set<number> => {
  const configOf = (payload: number): string[] => fmtpParams(media.fmtp.find((fmtp) => fmtp.payload === payload)?.config)
  return new Set(
    media.rtp
      .filter(({ codec, payload }) =>
        selectors.some(({ name, params }) => codec.toLowerCase() === name && params.every((param) => configOf(payload).includes(param))),
      )
      .map(({ payload }) => payload),
  )
}

/**
 * The payloads that only make sense beside removed ones: rtx / fec whose `apt=` points at a removed payload, and RED whose redundancy list
 * (`111/111`) names only removed payloads; runs to a fixed point, so the rtx of a removed RED goes too.
 */
const withCompanions = (media: MediaDescription, removed: Set<number>): Set<number> => {
  const result = new Set(removed)
  let grew = true
  while (grew) {
    grew = false
    for (const { payload, config } of media.fmtp) {
      if (result.has(payload)) continue
      const params = fmtpParams(config)
      const apt = params.find((param) => param.startsWith('apt='))
      const red = /^\d+(\/\d+)*$/.test(config.trim()) ? config.trim().split('/').map(Number) : []
      const companion =
        (apt !== undefined && result.has(Number(apt.slice(4)))) || (red.length > 0 && red.every((target) => result.has(target)))
      if (companion) {
        result.add(payload)
        grew = true
      }
    }
  }
  return result
}

/** A media section without the given payloads: `m=` list, `a=rtpmap`, `a=fmtp`, `a=rtcp-fb` (and `trr-int`). */
const withoutPayloads = (media: MediaDescription, removed: ReadonlySet<number>): MediaDescription => {
  const kept = (payload: number | string): boolean => payload === '*' || !removed.has(Number(payload))
  return {
    ...media,
    rtp: media.rtp.filter(({ payload }) => kept(payload)),
    fmtp: media.fmtp.filter(({ payload }) => kept(payload)),
    ...definedFields({
      payloads: media.payloads?.split(' ').filter((payload) => payload !== '' && kept(payload)).join(' '),
      rtcpFb: media.rtcpFb?.filter(({ payload }) => kept(payload)),
      rtcpFbTrrInt: media.rtcpFbTrrInt?.filter(({ payload }) => kept(payload)),
    }),
  }
}

/**
 * Creates an SDP handler that removes the named codecs (case-insensitive) from every media section, with their rtx / RED / fec companions and
 * their `a=rtpmap`, `a=fmtp` and `a=rtcp-fb` lines, keeping each `m=` payload list consistent; it returns a new SDP, leaving the one given as it was.
 *
 * const client = create({ call: { sdpHandlers: [sdpHandlers.createCodecRemover(['VP8', 'VP9'])] } })
 */
export function createCodecRemover(codecs: readonly CodecSelector[]): SdpHandlerFunction {
  const selectors = (Array.isArray(codecs) ? codecs : [])
    .filter((codec): codec is CodecSelector => typeof codec === 'string' || (typeof codec === 'object' && codec !== null && typeof codec.name === 'string'))
    .map(toSelector)
  return (newSdp: SdpObject): SdpObject => {
    if (selectors.length === 0) return newSdp
    return {
      ...newSdp,
      media: newSdp.media.map((media) => {
        if (!Array.isArray(media.rtp) || !Array.isArray(media.fmtp)) return media
        const removed = withCompanions(media, selected(media, selectors))
        return removed.size === 0 ? media : withoutPayloads(media, removed)
      }),
    }
  }
}
