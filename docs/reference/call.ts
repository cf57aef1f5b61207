/**
 * `client.call`: make, answer, reject and end calls; hold, add and remove media, replace tracks,
 * send DTMF, transfer and join; each call's media connection (`mediaConnectionState`,
 * `call:mediaConnectionChange`) and quality (`quality`, `call:qualityWarning`, thresholds in config
 * `call.qualityThresholds`). Events: `call:*` (see the Events page).
 *
 * @module client.call
 */
export type { CallApi, CallObject, MakeOptions, AnswerOptions, MediaChangeOptions, BandwidthControls, MediaOptions, MediaConstraint } from '../../lib/api/call.js'
export type { MediaConnectionState, MediaConnectionChange, PeerConfig, CallQuality, QualityWarning, QualityWarningName, QualityThresholds } from '../../lib/api/call.js'
