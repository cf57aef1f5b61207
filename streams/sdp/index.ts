import { createCodecRemover } from './codecRemover.js'

/** Ready-made SDP handlers (`call.sdpHandlers` config): `createCodecRemover(codecs)`. */
export const sdpHandlers = { createCodecRemover } as const

export { createCodecRemover, type CodecSelector } from './codecRemover.js'
