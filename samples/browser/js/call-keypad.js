// A call card's keypad: the key grid, the tones sent so far, and DTMF sent in sequences.
import { h } from './dom.js'

const keypadKeys = [
  ['1', ''],
  ['2', 'ABC'],
  ['3', 'DEF'],
  ['4', 'GHI'],
  ['5', 'JKL'],
  ['6', 'MNO'],
  ['7', 'PQRS'],
  ['8', 'TUV'],
  ['9', 'WXYZ'],
  ['*', ''],
  ['0', '+'],
  ['#', ''],
]
/** How long each keypad tone lasts and the gap after it, in milliseconds. */
const toneMs = 160
const toneGapMs = 90
/** How long the first key waits for more keys to send with it. */
const toneCollectMs = 150
/** Extra wait after a sequence's length before the next one (the tones start a little after the request). */
const toneSettleMs = 400

/** The keypad (hidden until opened) with its `tones` output; `id` is what its toggle controls. */
export function createKeypad(id) {
  const tones = h('output', { class: 'dtmf-output', 'aria-live': 'polite', 'aria-label': 'Tones sent' })
  const keypad = h(
    'div',
    { class: 'keypad', id, role: 'group', 'aria-label': 'Keypad', hidden: true },
    h('div', { class: 'keypad-grid' }, ...keypadKeys.map(([key, letters]) =>
      h('button', { type: 'button', class: 'key', 'aria-label': `Send tone ${key}`, dataset: { tone: key } }, h('span', { class: 'key-digit', text: key }), h('span', { class: 'key-letters', 'aria-hidden': 'true', text: letters })),
    )),
    tones,
  )
  return { keypad, tones }
}

/** Opens or closes the card's keypad from its toggle, focusing the first key on opening. */
export function toggleKeypad(view, button) {
  const opening = view.keypad.hidden
  view.keypad.hidden = !opening
  button.setAttribute('aria-expanded', String(opening))
  if (opening) view.keypad.querySelector('.key')?.focus()
}

/** Closes the keypad when its toggle cannot be used (the call is not connected). */
export function closeKeypadIfDisabled(view) {
  if (view.keypadToggle.disabled && !view.keypad.hidden) {
    view.keypad.hidden = true
    view.keypadToggle.setAttribute('aria-expanded', 'false')
  }
}

// Keys pressed in quick succession, or while tones still play, go out together as one
// sequence: one sequence at a time per call (the SDK reports no end of the tones, so the page
// waits for their length).
export function sendTone(callApi, callId, view, tone) {
  view.tones.textContent = `${view.tones.textContent}${tone}`
  view.pendingTones += tone
  if (view.toneTimer === undefined) view.toneTimer = setTimeout(() => flushTones(callApi, callId, view), toneCollectMs)
}

/** Sends the keys collected so far, then waits for them to play before the next sequence. */
function flushTones(callApi, callId, view) {
  const tones = view.pendingTones
  view.pendingTones = ''
  view.toneTimer = undefined
  // Tones left over when the call ended or went on hold are dropped.
  if (tones === '' || callApi.getById(callId)?.state !== callApi.states.CONNECTED) return
  callApi.sendDTMF(callId, tones, toneMs, toneGapMs)
  view.toneTimer = setTimeout(() => flushTones(callApi, callId, view), tones.length * (toneMs + toneGapMs) + toneSettleMs)
}
