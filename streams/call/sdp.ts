import * as E from 'fp-ts/Either'
import { parse, write } from 'sdp-transform'
import type { Config, SdpHandlerFunction, SdpHandlerInfo, SdpObject } from '../config/state.js'
import { BasicError, errorCodes, shown, type ErrorCode } from '../errors.js'
import { definedFields } from '../record.js'
import { createCodecRemover } from '../sdp/codecRemover.js'

// One pipeline for every SDP of a call, local and remote (`protocol/calls.md` §14.3): the peer-connection layer's fixes on local SDPs, then `sdpHandlersOf`.

const removeH264 = createCodecRemover(['H264'])

/** Deletes `a=crypto` from every m-section that also has a DTLS fingerprint (here or at session level). */
export const removeSdes: SdpHandlerFunction = (sdp) => ({
  ...sdp,
  media: sdp.media.map((media) => {
    const { crypto: _crypto, ...rest } = media
    return media.crypto !== undefined && (media.fingerprint !== undefined || sdp.fingerprint !== undefined) ? rest : media
  }),
})

/** Tells the far end how much to send us: `b=AS:<kbps>` and `b=TIAS:<bps>` on every audio and video m-section of a local SDP, replacing its `b=` lines. */
export const applyBandwidth: SdpHandlerFunction = (sdp, info) => {
  const { bandwidth } = info
  if (info.endpoint !== 'local' || bandwidth === undefined) return sdp
  return {
    ...sdp,
    media: sdp.media.map((media) => {
      const limit = media.type === 'audio' || media.type === 'video' ? bandwidth[media.type] : undefined
      return limit === undefined ? media : { ...media, bandwidth: [{ type: 'AS', limit }, { type: 'TIAS', limit: limit * 1000 }] }
    }),
  }
}

/**
 * The handlers every SDP of a call goes through, in order: the app's `call.sdpHandlers`, the H264 remover (`call.removeH264Codecs`), SDES, bandwidth.
 *
 * shapeSdp(offer, { type: 'offer', endpoint: 'local', bandwidth }, sdpHandlersOf(config.call))
 */
export function sdpHandlersOf(call: Pick<Config['call'], 'sdpHandlers' | 'removeH264Codecs'>): readonly SdpHandlerFunction[] {
  const application = Array.isArray(call.sdpHandlers) ? call.sdpHandlers.filter((handler) => typeof handler === 'function') : []
  return [...application, ...(call.removeH264Codecs ? [removeH264] : []), removeSdes, applyBandwidth]
}

/** The fixes of the peer-connection layer on SDPs it generates: no trickle option, no BUNDLE group (calls.md §14.3). */
export const localFixes: SdpHandlerFunction = (sdp) => {
  const withoutTrickle = (options: string | undefined): string | undefined => {
    const rest = (options ?? '').split(' ').filter((option) => option !== '' && option !== 'trickle')
    return rest.length === 0 ? undefined : rest.join(' ')
  }
  const { iceOptions: sessionOptions, groups, ...session } = sdp
  const remainingGroups = (groups ?? []).filter((group) => group.type !== 'BUNDLE')
  return {
    ...session,
    ...definedFields({ iceOptions: withoutTrickle(sessionOptions), groups: remainingGroups.length === 0 ? undefined : remainingGroups }),
    media: sdp.media.map(({ iceOptions, ...media }) => ({ ...media, ...definedFields({ iceOptions: withoutTrickle(iceOptions) }) })),
  }
}

/** Every `a=setup:<from>`, at session level and in each m-section, made `a=setup:<to>`. */
export const setupReplaced = (sdp: SdpObject, from: string, to: string): SdpObject => ({
  ...sdp,
  ...(sdp.setup === from ? { setup: to } : {}),
  media: sdp.media.map((media) => (media.setup === from ? { ...media, setup: to } : media)),
})

/** A remote answer saying `a=setup:actpass` (not allowed) gets `role`, for this SDP only (calls.md §6, §14.3: the reference's pipeline-wide fix leaks). */
export const dtlsRoleFix = (role: 'active' | 'passive'): SdpHandlerFunction => (sdp) => setupReplaced(sdp, 'actpass', role)

/** Runs a parsed SDP through handlers `(newSdp, info, originalSdp)` and writes it back; a handler that throws or returns no SDP object fails it with `code`. */
export function shapeSdp(
  sdp: string,
  info: SdpHandlerInfo,
  handlers: readonly SdpHandlerFunction[],
  code: ErrorCode = errorCodes.call.GENERIC_ERROR,
): E.Either<BasicError, string> {
  try {
    const original: SdpObject = parse(sdp)
    let shaped: SdpObject = parse(sdp)
    for (const handler of handlers) {
      const next: unknown = handler(shaped, info, original)
      if (typeof next !== 'object' || next === null || !Array.isArray((next as SdpObject).media))
        return E.left(new BasicError(code, `An SDP handler returned ${next === null ? 'null' : typeof next} instead of an SDP object`))
      shaped = next as SdpObject
    }
    return E.right(write(shaped))
  } catch (cause) {
    return E.left(new BasicError(code, `The ${info.endpoint} ${info.type} could not be processed: ${cause instanceof Error ? cause.message : shown(cause)}`))
  }
}
