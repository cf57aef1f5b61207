/**
 * `client.call`: make, answer, reject and end calls; hold, add and remove media, replace tracks,
 * send DTMF, transfer and join. Events: `call:*` (see the Events page).
 *
 * @module client.call
 */
export type { CallApi, CallObject, MakeOptions, AnswerOptions, MediaChangeOptions, BandwidthControls, MediaOptions, MediaConstraint } from '../../lib/api/call.js'
