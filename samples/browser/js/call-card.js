// One card per call: its title, state, timer, video stage, media line, warnings, error, and the
// controls (mute, camera, hold, keypad, end; answer, reject and ignore while it rings).
import { duration, h, icon, setIcon } from './dom.js'
import { closeKeypadIfDisabled, createKeypad } from './call-keypad.js'

const toggle = (name, iconName, label) =>
  h('button', { type: 'button', class: 'call-button', 'aria-pressed': 'false', dataset: { control: name } }, icon(iconName), h('span', { class: 'label', text: label }))

/** The buttons of a card, each with its `data-control` name. */
function createControls(keypadId) {
  const mute = toggle('mute', 'mic', 'Mute')
  mute.setAttribute('aria-label', 'Mute microphone')
  const camera = toggle('camera', 'video', 'Video')
  camera.setAttribute('aria-label', 'Stop video')
  const hold = toggle('hold', 'pause', 'Hold')
  hold.setAttribute('aria-label', 'Hold call')
  const keypadToggle = h('button', { type: 'button', class: 'call-button', 'aria-expanded': 'false', 'aria-controls': keypadId, dataset: { control: 'keypad' } }, icon('keypad'), h('span', { class: 'label', text: 'Keypad' }))
  const end = h('button', { type: 'button', class: 'call-button danger', dataset: { control: 'end' } }, icon('phone', 'icon hang-up'), h('span', { class: 'label', text: 'End' }))
  end.setAttribute('aria-label', 'End call')
  // An incoming call rings: its card offers what the prompt does (answer, reject, ignore).
  const answer = h('button', { type: 'button', class: 'call-button accept', 'aria-label': 'Answer call', dataset: { control: 'answer' }, hidden: true }, icon('phone'), h('span', { class: 'label', text: 'Answer' }))
  const reject = h('button', { type: 'button', class: 'call-button danger', 'aria-label': 'Reject call', dataset: { control: 'reject' }, hidden: true }, icon('phone', 'icon hang-up'), h('span', { class: 'label', text: 'Reject' }))
  const ignore = h('button', { type: 'button', class: 'call-button', 'aria-label': 'Ignore call', dataset: { control: 'ignore' }, hidden: true }, icon('x'), h('span', { class: 'label', text: 'Ignore' }))
  return { mute, camera, hold, keypadToggle, answer, reject, ignore, end }
}

/** The card of the `n`th call of the page, not yet on it; the view holds its parts and what is on screen. */
export function createCallCard(n) {
  const title = h('h3', { id: `call-${n}-title`, class: 'call-title' })
  const state = h('p', { class: 'call-state', role: 'status' })
  const timer = h('span', { class: 'call-timer', 'aria-label': 'Call duration' })
  const remote = h('div', { class: 'remote-media', id: `call-${n}-remote` })
  const local = h('div', { class: 'local-media', id: `call-${n}-local` })
  const face = h('div', { class: 'stage-placeholder' })
  const stage = h('div', { class: 'stage', role: 'group', 'aria-label': 'Call video' }, face, remote, local)
  const error = h('p', { class: 'call-error', role: 'alert', hidden: true })
  const media = h('p', { class: 'call-media', hidden: true })
  const warnings = h('ul', { class: 'call-warnings', 'aria-label': 'Call quality warnings', hidden: true })
  const keypadId = `call-${n}-keypad`
  const controls = createControls(keypadId)
  const { mute, camera, hold, keypadToggle, answer, reject, ignore, end } = controls
  const { keypad, tones } = createKeypad(keypadId)
  const card = h(
    'article',
    { class: 'call-card', 'aria-labelledby': title.id, dataset: { callNumber: String(n) } },
    h('header', { class: 'call-header' }, h('div', {}, title, state), timer),
    stage,
    media,
    warnings,
    error,
    h('div', { class: 'call-controls' }, mute, camera, hold, keypadToggle, answer, reject, ignore, end),
    keypad,
  )
  const view = { n, card, title, state, timer, stage, face, remote, local, error, media, warnings, ...controls, keypad, tones, rendered: new Set(), connectedAt: undefined, removal: undefined, pendingTones: '', toneTimer: undefined }
  view.remoteSelector = `#${remote.id}`
  view.localSelector = `#${local.id}`
  return view
}

/** Shows how long the call has been connected. */
export function tick(view) {
  view.timer.textContent = view.connectedAt === undefined ? '' : duration((Date.now() - view.connectedAt) / 1000)
}

const setToggle = (button, pressed, enabled) => {
  button.setAttribute('aria-pressed', String(pressed))
  button.disabled = !enabled
}

/**
 * Brings the card's controls up to date. `call` is the SDK's call; `facts` says what the page
 * knows of it: `up`, `live`, its local `audio` and `video` tracks, `allMuted(ids)`, `can(operation)`.
 */
export function renderControls(view, call, states, { up, live, audio, video, allMuted, can }) {
  setToggle(view.mute, allMuted(audio), up && audio.length > 0)
  setIcon(view.mute.querySelector('svg'), allMuted(audio) ? 'mic-off' : 'mic')
  setToggle(view.camera, allMuted(video), up && video.length > 0)
  setIcon(view.camera.querySelector('svg'), allMuted(video) ? 'video-off' : 'video')
  view.camera.hidden = video.length === 0
  setToggle(view.hold, call.localHold === true, up && can('hold') && can('unhold'))
  setIcon(view.hold.querySelector('svg'), call.localHold ? 'play' : 'pause')
  view.keypadToggle.disabled = call.state !== states.CONNECTED || !can('sendDTMF')
  closeKeypadIfDisabled(view)
  const ringingHere = call.direction === 'incoming' && call.state === states.RINGING
  // Until answered, the card offers only what can be done with a ringing call.
  for (const button of [view.mute, view.hold, view.keypadToggle]) button.hidden = ringingHere
  if (ringingHere) view.camera.hidden = true
  view.answer.hidden = !ringingHere
  view.reject.hidden = !ringingHere
  view.ignore.hidden = !ringingHere || !can('ignore')
  view.end.hidden = ringingHere
  view.end.disabled = !live
  const cancelling = call.state === states.RINGING || call.state === states.INITIATED || call.state === states.INITIATING
  view.end.querySelector('.label').textContent = cancelling ? 'Cancel' : 'End'
  view.end.setAttribute('aria-label', cancelling ? 'Cancel call' : 'End call')
}
