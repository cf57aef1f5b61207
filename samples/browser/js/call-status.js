// What a call's state, its end, its media connection and its quality warnings mean in words,
// and the card's media line that shows the last two.
import { h } from './dom.js'

/** What the platform's status codes on an ended call mean (SIP codes, and the SDK's own transfer / join / audit codes). */
const endReasons = {
  404: 'Not found',
  408: 'No answer',
  480: 'Not available',
  486: 'Busy',
  487: 'Cancelled',
  603: 'Declined',
  9905: 'Transferred',
  9906: 'Joined into one call',
  9909: 'Call lost: the platform no longer knows it',
}

/** The media connection (`call.mediaConnectionState`) in words. */
const mediaTexts = {
  new: 'Media: waiting',
  checking: 'Media: connecting…',
  connected: 'Media: connected',
  completed: 'Media: connected',
  disconnected: 'Media: interrupted',
  failed: 'Media: lost',
  closed: 'Media: closed',
}

/** What each quality warning (`call.quality.warnings`, `call:qualityWarning`) means to the user. */
export const warningTexts = {
  'high-rtt': 'Long delay',
  'high-jitter': 'Unsteady connection',
  'packet-loss': 'Losing audio packets',
  'low-mos': 'Poor call quality',
  'no-inbound-media': 'Nothing arriving from the other side',
  'constant-audio-input': 'Your microphone sends silence',
}

/** The call's state in words (`states` is `client.call.states`). */
export function stateText(call, states) {
  switch (call.state) {
    case states.INITIATING:
    case states.INITIATED:
      return 'Calling…'
    case states.RINGING:
      return call.direction === 'incoming' ? 'Incoming call' : 'Ringing…'
    case states.CONNECTED:
      return 'Connected'
    case states.ON_HOLD:
      return call.localHold && call.remoteHold ? 'On hold (both sides)' : call.localHold ? 'On hold' : 'Held by the other side'
    case states.CANCELLED:
      return call.direction === 'incoming' ? 'Missed call' : 'Cancelled'
    case states.ENDED:
      return 'Call ended'
    default:
      return String(call.state)
  }
}

/**
 * Why a call ended, from `call:stateChange`: the platform's status code when it gives one,
 * else who ended it and when (a callee who ends a call that never connected declined it).
 */
export function endReason(call, transition, states, nameOf) {
  const reason = endReasons[transition?.statusCode]
  if (reason !== undefined) return reason
  if (transition?.prevState === undefined) return undefined
  const beforeAnswer = transition.prevState === states.INITIATED || transition.prevState === states.RINGING
  if (beforeAnswer) return call.direction === 'outgoing' ? 'Declined' : 'Missed call'
  return `Call ended by ${nameOf(call)}`
}

/** The card's media line and its live warnings, from the call's media connection state and quality. */
export function renderHealth(call, view, up, live) {
  const state = call.mediaConnectionState ?? 'new'
  view.media.hidden = !live || !up
  view.media.dataset.mediaState = state
  const mos = call.quality?.mos
  view.media.textContent = `${mediaTexts[state] ?? state}${mos === undefined || !['connected', 'completed'].includes(state) ? '' : ` · quality ${mos.toFixed(1)} / 4.5`}`
  const warnings = live ? (call.quality?.warnings ?? []) : []
  view.warnings.hidden = warnings.length === 0
  view.warnings.replaceChildren(...warnings.map((name) => h('li', { class: 'call-warning', dataset: { warning: name }, text: warningTexts[name] ?? name })))
}
