// Calls: dialling, the incoming-call prompt, one card per call (state, remote and local video,
// mute, camera, hold, DTMF keypad, hang up), transfer and join of two held calls, and the choice
// of microphone, camera and speaker. Everything follows the SDK's events; the page keeps no call
// state of its own beyond which tracks it has put on screen.
import { destinationOf, displayAddress } from './address.js'
import { $, announce, avatar, duration, errorText, h, icon, setIcon, showError, showFieldProblem } from './dom.js'
import { listenerScope } from './listeners.js'

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
const removeAfterMs = 4000
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
/** How long each keypad tone lasts and the gap after it, in milliseconds. */
const toneMs = 160
const toneGapMs = 90
/** How long the first key waits for more keys to send with it. */
const toneCollectMs = 150
/** Extra wait after a sequence's length before the next one (the tones start a little after the request). */
const toneSettleMs = 400
const storedDevice = (kind) => localStorage.getItem(`kandy-rx-sample.${kind}`) ?? ''

/** Starts the calls part of the page. `people` names addresses; `ui.showView(name)` switches views on small screens. */
export function startCalls(client, self, people, ui) {
  const { states } = client.call
  const { on, listen, stop: stopListening } = listenerScope(client)
  /** Hold, DTMF, transfer, join and replaceTrack are used where this SDK build has them. */
  const can = (operation) => typeof client.call[operation] === 'function'

  const views = new Map()
  let counter = 0
  const callList = $('#call-list')
  const callsEmpty = $('#calls-empty')
  const incoming = $('#incoming')
  const callsBadge = $('#calls-badge')

  const kindOf = (trackId) => client.media.getTrackById(trackId)?.kind
  const isLive = (call) => call !== undefined && call.state !== states.ENDED && call.state !== states.CANCELLED
  const isUp = (call) => call?.state === states.CONNECTED || call?.state === states.ON_HOLD
  const addressOf = (call) => displayAddress(call.remoteParticipant?.displayNumber ?? (call.direction === 'outgoing' ? call.to : call.from) ?? '')
  const joinedNames = new Map() // joined call id → the names of its two parties
  let joining // the names of the two calls being joined
  const nameOf = (call) => {
    if (joinedNames.has(call.id)) return joinedNames.get(call.id).join(' and ')
    const address = addressOf(call)
    const known = people.nameOf(address)
    return known !== address ? known : (call.remoteParticipant?.displayName ?? address)
  }
  const isVideoCall = (call) => [...call.remoteTracks, ...call.localTracks].some((trackId) => kindOf(trackId) === 'video') || call.mediaConstraints?.video === true

  const stateText = (call) => {
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
  const endReason = (call, transition) => {
    const reason = endReasons[transition?.statusCode]
    if (reason !== undefined) return reason
    if (transition?.prevState === undefined) return undefined
    const beforeAnswer = transition.prevState === states.INITIATED || transition.prevState === states.RINGING
    if (beforeAnswer) return call.direction === 'outgoing' ? 'Declined' : 'Missed call'
    return `Call ended by ${nameOf(call)}`
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
  const warningTexts = {
    'high-rtt': 'Long delay',
    'high-jitter': 'Unsteady connection',
    'packet-loss': 'Losing audio packets',
    'low-mos': 'Poor call quality',
    'no-inbound-media': 'Nothing arriving from the other side',
    'constant-audio-input': 'Your microphone sends silence',
  }

  /** The card's media line and its live warnings, from the call's media connection state and quality. */
  const renderHealth = (call, view, live) => {
    const state = call.mediaConnectionState ?? 'new'
    view.media.hidden = !live || !isUp(call)
    view.media.dataset.mediaState = state
    const mos = call.quality?.mos
    view.media.textContent = `${mediaTexts[state] ?? state}${mos === undefined || !['connected', 'completed'].includes(state) ? '' : ` · quality ${mos.toFixed(1)} / 4.5`}`
    const warnings = live ? (call.quality?.warnings ?? []) : []
    view.warnings.hidden = warnings.length === 0
    view.warnings.replaceChildren(...warnings.map((name) => h('li', { class: 'call-warning', dataset: { warning: name }, text: warningTexts[name] ?? name })))
  }

  // ── Devices ───────────────────────────────────────────────────────────────────────────────
  const deviceSelects = { microphone: $('#device-microphone'), camera: $('#device-camera'), speaker: $('#device-speaker') }
  const deviceNames = { microphone: 'Microphone', camera: 'Camera', speaker: 'Speaker' }
  const renderDevices = () => {
    const devices = client.media.getDevices()
    for (const [kind, select] of Object.entries(deviceSelects)) {
      const wanted = select.value || storedDevice(kind)
      const options = (devices[kind] ?? []).map((device, index) => h('option', { value: device.deviceId, text: device.label || `${deviceNames[kind]} ${index + 1}` }))
      select.replaceChildren(h('option', { value: '', text: 'System default' }), ...options)
      select.value = options.some((option) => option.value === wanted) ? wanted : ''
    }
  }
  const chosen = (kind) => deviceSelects[kind].value
  const speakerOptions = () => (chosen('speaker') === '' ? {} : { speakerId: chosen('speaker') })
  const mediaOptions = (video) => ({
    audio: true,
    video,
    ...(chosen('microphone') === '' ? {} : { audioOptions: { deviceId: { ideal: chosen('microphone') } } }),
    ...(video && chosen('camera') !== '' ? { videoOptions: { deviceId: { ideal: chosen('camera') } } } : {}),
  })
  for (const [kind, select] of Object.entries(deviceSelects)) {
    listen(select, 'change', () => {
      localStorage.setItem(`kandy-rx-sample.${kind}`, select.value)
      if (kind === 'speaker') {
        // Re-render remote audio on the chosen speaker.
        for (const call of client.call.getAll().filter(isLive)) {
          const view = views.get(call.id)
          const audio = call.remoteTracks.filter((trackId) => kindOf(trackId) === 'audio')
          if (view !== undefined && audio.length > 0) client.media.renderTracks(audio, view.remoteSelector, speakerOptions())
        }
      } else if (can('replaceTrack') && select.value !== '') {
        // Switch the device of calls in progress.
        const trackKind = kind === 'camera' ? 'video' : 'audio'
        for (const call of client.call.getAll().filter(isUp)) {
          const trackId = call.localTracks.find((id) => kindOf(id) === trackKind)
          if (trackId === undefined) continue
          const options = trackKind === 'video' ? { video: true, videoOptions: { deviceId: { exact: select.value } } } : { audio: true, audioOptions: { deviceId: { exact: select.value } } }
          client.call.replaceTrack(call.id, trackId, options)
        }
      }
    })
  }

  // ── Placing calls ─────────────────────────────────────────────────────────────────────────
  const dialInput = $('#dial-to')
  const dialError = $('#dial-error')
  /** Shows (or clears) what is wrong with the typed destination, next to the field. */
  const showDialProblem = (problem) => showFieldProblem(dialInput, dialError, problem)
  listen(dialInput, 'input', () => showDialProblem(undefined))
  const place = (destination, video) => {
    const { address: to, problem } = destinationOf(destination)
    if (to === undefined) {
      ui.showView('calls')
      showDialProblem(problem)
      return dialInput.focus()
    }
    showDialProblem(undefined)
    try {
      const callId = client.call.make(to, mediaOptions(video), self.name ? { displayName: self.name } : {})
      ui.showView('calls')
      render(callId)
    } catch (error) {
      showError(`Call: ${errorText(error)}`)
    }
  }
  const dialForm = $('#dial-form')
  listen(dialForm, 'submit', (event) => {
    event.preventDefault()
    place($('#dial-to').value, event.submitter?.value === 'video')
  })

  // ── One card per call ─────────────────────────────────────────────────────────────────────
  const toggle = (name, iconName, label) =>
    h('button', { type: 'button', class: 'call-button', 'aria-pressed': 'false', dataset: { control: name } }, icon(iconName), h('span', { class: 'label', text: label }))

  const viewOf = (callId) => {
    const existing = views.get(callId)
    if (existing !== undefined) return existing
    counter += 1
    const n = counter
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
    const mute = toggle('mute', 'mic', 'Mute')
    mute.setAttribute('aria-label', 'Mute microphone')
    const camera = toggle('camera', 'video', 'Video')
    camera.setAttribute('aria-label', 'Stop video')
    const hold = toggle('hold', 'pause', 'Hold')
    hold.setAttribute('aria-label', 'Hold call')
    const keypadId = `call-${n}-keypad`
    const keypadToggle = h('button', { type: 'button', class: 'call-button', 'aria-expanded': 'false', 'aria-controls': keypadId, dataset: { control: 'keypad' } }, icon('keypad'), h('span', { class: 'label', text: 'Keypad' }))
    const end = h('button', { type: 'button', class: 'call-button danger', dataset: { control: 'end' } }, icon('phone', 'icon hang-up'), h('span', { class: 'label', text: 'End' }))
    end.setAttribute('aria-label', 'End call')
    // An incoming call rings: its card offers what the prompt does (answer, reject, ignore).
    const answer = h('button', { type: 'button', class: 'call-button accept', 'aria-label': 'Answer call', dataset: { control: 'answer' }, hidden: true }, icon('phone'), h('span', { class: 'label', text: 'Answer' }))
    const reject = h('button', { type: 'button', class: 'call-button danger', 'aria-label': 'Reject call', dataset: { control: 'reject' }, hidden: true }, icon('phone', 'icon hang-up'), h('span', { class: 'label', text: 'Reject' }))
    const ignore = h('button', { type: 'button', class: 'call-button', 'aria-label': 'Ignore call', dataset: { control: 'ignore' }, hidden: true }, icon('x'), h('span', { class: 'label', text: 'Ignore' }))
    const tones = h('output', { class: 'dtmf-output', 'aria-live': 'polite', 'aria-label': 'Tones sent' })
    const keypad = h(
      'div',
      { class: 'keypad', id: keypadId, role: 'group', 'aria-label': 'Keypad', hidden: true },
      h('div', { class: 'keypad-grid' }, ...keypadKeys.map(([key, letters]) =>
        h('button', { type: 'button', class: 'key', 'aria-label': `Send tone ${key}`, dataset: { tone: key } }, h('span', { class: 'key-digit', text: key }), h('span', { class: 'key-letters', 'aria-hidden': 'true', text: letters })),
      )),
      tones,
    )
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
    const view = { n, card, title, state, timer, stage, face, remote, local, error, media, warnings, mute, camera, hold, keypadToggle, keypad, tones, answer, reject, ignore, end, rendered: new Set(), connectedAt: undefined, removal: undefined, pendingTones: '', toneTimer: undefined }
    view.remoteSelector = `#${remote.id}`
    view.localSelector = `#${local.id}`
    card.addEventListener('click', (event) => control(callId, view, event))
    keypad.addEventListener('keydown', (event) => {
      if (/^[0-9*#]$/.test(event.key)) {
        event.preventDefault()
        sendTone(callId, view, event.key)
      }
    })
    views.set(callId, view)
    callList.append(card)
    return view
  }

  // Keys pressed in quick succession, or while tones still play, go out together as one
  // sequence: one sequence at a time per call (the SDK reports no end of the tones, so the page
  // waits for their length).
  const sendTone = (callId, view, tone) => {
    view.tones.textContent = `${view.tones.textContent}${tone}`
    view.pendingTones += tone
    if (view.toneTimer === undefined) view.toneTimer = setTimeout(() => flushTones(callId, view), toneCollectMs)
  }
  const flushTones = (callId, view) => {
    const tones = view.pendingTones
    view.pendingTones = ''
    view.toneTimer = undefined
    // Tones left over when the call ended or went on hold are dropped.
    if (tones === '' || client.call.getById(callId)?.state !== states.CONNECTED) return
    client.call.sendDTMF(callId, tones, toneMs, toneGapMs)
    view.toneTimer = setTimeout(() => flushTones(callId, view), tones.length * (toneMs + toneGapMs) + toneSettleMs)
  }

  const control = (callId, view, event) => {
    const button = event.target.closest('button')
    if (button === null || button.disabled) return
    const call = client.call.getById(callId)
    if (call === undefined) return
    if (button.dataset.tone !== undefined) return sendTone(callId, view, button.dataset.tone)
    switch (button.dataset.control) {
      case 'mute': {
        const audio = call.localTracks.filter((trackId) => kindOf(trackId) === 'audio')
        return button.getAttribute('aria-pressed') === 'true' ? client.media.unmuteTracks(audio) : client.media.muteTracks(audio)
      }
      case 'camera': {
        const video = call.localTracks.filter((trackId) => kindOf(trackId) === 'video')
        return button.getAttribute('aria-pressed') === 'true' ? client.media.unmuteTracks(video) : client.media.muteTracks(video)
      }
      case 'hold':
        return call.localHold ? client.call.unhold(callId) : client.call.hold(callId)
      case 'keypad': {
        const opening = view.keypad.hidden
        view.keypad.hidden = !opening
        button.setAttribute('aria-expanded', String(opening))
        if (opening) view.keypad.querySelector('.key')?.focus()
        return
      }
      case 'answer':
        return answerCall(call)
      case 'reject':
        return client.call.reject(callId)
      case 'ignore':
        return client.call.ignore(callId)
      case 'end':
        return client.call.end(callId)
    }
  }

  /** Puts the call's tracks not yet on screen there: remote audio and video, local video (muted). */
  const renderMedia = (call, view) => {
    const fresh = (trackId) => !view.rendered.has(trackId) && client.media.getTrackById(trackId)?.state !== 'ended'
    const remote = call.remoteTracks.filter(fresh)
    const local = call.localTracks.filter((trackId) => fresh(trackId) && kindOf(trackId) === 'video')
    if (remote.length > 0) client.media.renderTracks(remote, view.remoteSelector, speakerOptions())
    if (local.length > 0) client.media.renderTracks(local, view.localSelector)
    remote.concat(local).forEach((trackId) => view.rendered.add(trackId))
    const live = (trackId) => view.rendered.has(trackId) && kindOf(trackId) === 'video' && client.media.getTrackById(trackId)?.state !== 'ended'
    view.stage.classList.toggle('has-remote-video', call.remoteTracks.some(live))
    view.stage.classList.toggle('has-local-video', call.localTracks.some(live))
  }

  const unrender = (view, trackId) => {
    if (!view.rendered.delete(trackId)) return
    client.media.removeTracks([trackId], view.remoteSelector)
    client.media.removeTracks([trackId], view.localSelector)
  }

  /** Takes every track of an ended call off the screen at once (the card stays a moment to say why it ended). */
  const clearMedia = (view) => {
    ;[...view.rendered].forEach((trackId) => unrender(view, trackId))
    view.stage.classList.remove('has-remote-video', 'has-local-video')
  }

  const setToggle = (button, pressed, enabled) => {
    button.setAttribute('aria-pressed', String(pressed))
    button.disabled = !enabled
  }

  /** Brings the card (and prompt) of a call up to date with the SDK's view of it. */
  const render = (callId) => {
    const call = client.call.getById(callId)
    if (call === undefined) return
    const view = viewOf(callId)
    const name = nameOf(call)
    const up = isUp(call)
    const live = isLive(call)
    view.title.textContent = name
    view.state.textContent = !live && view.endNote !== undefined ? view.endNote : stateText(call)
    view.card.dataset.state = call.state
    const parties = joinedNames.get(callId) ?? [name]
    view.face.replaceChildren(h('span', { class: 'faces' }, ...parties.map((party) => avatar(party, 'large'))))
    if (call.state === states.CONNECTED && view.connectedAt === undefined) view.connectedAt = Date.now()
    tick(view)

    const audio = call.localTracks.filter((trackId) => kindOf(trackId) === 'audio')
    const video = call.localTracks.filter((trackId) => kindOf(trackId) === 'video')
    const allMuted = (ids) => ids.length > 0 && ids.every((trackId) => client.media.getTrackById(trackId)?.muted === true)
    setToggle(view.mute, allMuted(audio), up && audio.length > 0)
    setIcon(view.mute.querySelector('svg'), allMuted(audio) ? 'mic-off' : 'mic')
    setToggle(view.camera, allMuted(video), up && video.length > 0)
    setIcon(view.camera.querySelector('svg'), allMuted(video) ? 'video-off' : 'video')
    view.camera.hidden = video.length === 0
    setToggle(view.hold, call.localHold === true, up && can('hold') && can('unhold'))
    setIcon(view.hold.querySelector('svg'), call.localHold ? 'play' : 'pause')
    view.keypadToggle.disabled = call.state !== states.CONNECTED || !can('sendDTMF')
    if (view.keypadToggle.disabled && !view.keypad.hidden) {
      view.keypad.hidden = true
      view.keypadToggle.setAttribute('aria-expanded', 'false')
    }
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

    renderHealth(call, view, live)
    if (!live) clearMedia(view)
    else if (up || call.direction === 'outgoing') renderMedia(call, view)
    renderPrompt(call)

    if (!live && view.removal === undefined) {
      view.card.classList.add('ended')
      view.removal = setTimeout(() => forget(callId), removeAfterMs)
    }
    renderTwoCalls()
    renderCount()
  }

  const forget = (callId) => {
    const view = views.get(callId)
    if (view === undefined) return
    clearTimeout(view.removal)
    clearTimeout(view.toneTimer)
    const hadFocus = view.card.contains(document.activeElement)
    ;[...view.rendered].forEach((trackId) => unrender(view, trackId))
    view.card.remove()
    views.delete(callId)
    if (hadFocus) $('#dial-to').focus()
    renderCount()
    renderTwoCalls()
  }

  const tick = (view) => {
    view.timer.textContent = view.connectedAt === undefined ? '' : duration((Date.now() - view.connectedAt) / 1000)
  }
  const ticker = setInterval(() => {
    for (const [callId, view] of views) {
      const call = client.call.getById(callId)
      if (!isUp(call)) continue
      tick(view)
      // The quality figure changes every second without an event (only warnings have one).
      renderHealth(call, view, isLive(call))
    }
  }, 1000)

  const renderCount = () => {
    const live = client.call.getAll().filter(isLive).length
    callsBadge.hidden = live === 0
    callsBadge.textContent = String(live)
    callsEmpty.hidden = views.size > 0
  }

  // ── Incoming calls ────────────────────────────────────────────────────────────────────────
  const prompts = new Map()
  /** Answers with video when asked to, or (from the card) when the caller sends video. */
  const answerCall = (call, withVideo = isVideoCall(call)) => {
    client.call.answer(call.id, mediaOptions(withVideo))
    ui.showView('calls')
  }
  const renderPrompt = (call) => {
    const ringing = call.direction === 'incoming' && call.state === states.RINGING
    const existing = prompts.get(call.id)
    if (!ringing) {
      if (existing !== undefined) {
        const hadFocus = existing.contains(document.activeElement)
        existing.remove()
        prompts.delete(call.id)
        incoming.hidden = prompts.size === 0
        if (hadFocus) (views.get(call.id)?.end ?? $('#dial-to')).focus()
      }
      return
    }
    if (existing !== undefined) return
    const name = nameOf(call)
    const video = isVideoCall(call)
    const label = h('p', { class: 'incoming-title', id: `incoming-${call.id}`, text: `${name} is calling` })
    const answer = (withVideo) => () => answerCall(call, withVideo)
    const prompt = h(
      'div',
      { class: 'incoming-call', role: 'group', 'aria-labelledby': label.id },
      avatar(name),
      h('div', { class: 'incoming-text' }, label, h('p', { class: 'muted small', text: video ? 'Video call' : 'Audio call' })),
      h(
        'div',
        { class: 'incoming-actions' },
        h('button', { type: 'button', class: 'accept', onclick: answer(true) }, icon('video'), h('span', { text: 'Answer with video' })),
        h('button', { type: 'button', class: 'accept', onclick: answer(false) }, icon('phone'), h('span', { text: 'Answer audio only' })),
        h('button', { type: 'button', class: 'decline', onclick: () => client.call.reject(call.id) }, icon('phone', 'icon hang-up'), h('span', { text: 'Decline' })),
        h('button', { type: 'button', class: 'ghost', onclick: () => client.call.ignore(call.id) }, h('span', { text: 'Ignore' })),
      ),
    )
    prompts.set(call.id, prompt)
    incoming.append(prompt)
    incoming.hidden = false
    announce(`Incoming ${video ? 'video' : 'audio'} call from ${name}`, 'assertive')
  }

  // ── Transfer and join ─────────────────────────────────────────────────────────────────────
  const twoCalls = $('#two-calls')
  const transferButton = $('#transfer-button')
  const joinButton = $('#join-button')
  const help = $('#two-calls-help')
  const heldPair = () => client.call.getAll().filter((call) => isUp(call) && call.localHold === true).slice(-2)
  const renderTwoCalls = () => {
    const live = client.call.getAll().filter(isUp)
    twoCalls.hidden = live.length < 2
    const pair = heldPair()
    const ready = pair.length === 2
    transferButton.disabled = !ready || !can('consultativeTransfer')
    joinButton.disabled = !ready || !can('join')
    help.textContent = ready
      ? `Transfer connects ${nameOf(pair[0])} with ${nameOf(pair[1])} and leaves you out; join puts the three of you in one audio call.`
      : 'Hold both calls to transfer one person to the other, or to join all three of you.'
  }
  listen(transferButton, 'click', () => {
    const [first, second] = heldPair()
    if (first !== undefined && second !== undefined) client.call.consultativeTransfer(first.id, second.id)
  })
  listen(joinButton, 'click', () => {
    const [first, second] = heldPair()
    if (first === undefined || second === undefined) return
    joining = [nameOf(first), nameOf(second)]
    client.call.join(first.id, second.id)
  })

  // ── SDK events ────────────────────────────────────────────────────────────────────────────
  on('call:start', ({ callId }) => render(callId))
  on('call:receive', ({ callId }) => render(callId))
  on('call:stateChange', ({ callId, error, previous, transition }) => {
    const call = client.call.getById(callId)
    const view = call === undefined ? undefined : viewOf(callId)
    if (view !== undefined) {
      view.error.hidden = !error
      view.error.textContent = error ? errorText(error, { destination: addressOf(call) }) : ''
      // An error that ends a call before it connected made it fail (an error of a hang-up does not).
      const failed = error && [states.INITIATING, states.INITIATED, states.RINGING].includes(previous?.state)
      if (!isLive(call)) view.endNote ??= failed ? 'Call failed' : endReason(call, transition)
    }
    render(callId)
    if (call === undefined || previous?.state === call.state) return
    const name = nameOf(call)
    if (call.state === states.CONNECTED && previous?.state !== states.ON_HOLD) announce(`Call with ${name} connected`)
    if (!isLive(call)) announce(`Call with ${name} ended${view?.endNote === undefined ? '' : `: ${view.endNote}`}`)
  })
  on('call:join', ({ callId, error }) => {
    if (error) {
      joining = undefined
      showError(`Join: ${errorText(error)}`)
      return
    }
    if (joining !== undefined) joinedNames.set(callId, joining)
    joining = undefined
    render(callId)
    announce(`Calls joined: ${joinedNames.get(callId)?.join(' and ') ?? 'one call'}`)
  })
  on('call:newTrack', ({ callId }) => render(callId))
  on('call:mediaConnectionChange', ({ callId }) => render(callId))
  on('call:qualityWarning', ({ callId, name, active }) => {
    render(callId)
    const call = client.call.getById(callId)
    if (call !== undefined && isLive(call)) announce(`Call with ${nameOf(call)}: ${warningTexts[name] ?? name}${active ? '' : ' (resolved)'}`)
  })
  on('call:trackEnded', ({ callId, trackId }) => {
    const view = views.get(callId)
    if (view !== undefined) unrender(view, trackId)
    render(callId)
  })
  on('call:trackReplaced', ({ callId, error, oldTrack }) => {
    if (error) return showError(`Call: ${errorText(error)}`)
    const view = views.get(callId)
    if (view !== undefined && oldTrack?.id !== undefined) unrender(view, oldTrack.id)
    render(callId)
  })
  const mutedChange = () => client.call.getAll().filter(isLive).forEach((call) => render(call.id))
  on('media:muted', mutedChange)
  on('media:unmuted', mutedChange)
  on('devices:change', renderDevices)
  people.onNames(() => views.forEach((_view, callId) => render(callId)))

  renderDevices()
  renderCount()
  return {
    place,
    stop: () => {
      clearInterval(ticker)
      stopListening()
      ;[...views.keys()].forEach(forget)
      prompts.forEach((prompt) => prompt.remove())
      prompts.clear()
      incoming.hidden = true
      twoCalls.hidden = true
      callsBadge.hidden = true
    },
  }
}
