// Calls: dialling, the incoming-call prompt, one card per call (state, remote and local video,
// mute, camera, hold, DTMF keypad, hang up), transfer and join of two held calls, and the choice
// of microphone, camera and speaker. Everything follows the SDK's events; the page keeps no call
// state of its own beyond which tracks it has put on screen. This module ties its parts together:
//   call-card.js     one call's card and its controls
//   call-keypad.js   the card's keypad and DTMF
//   call-media.js    the tracks a card puts on screen
//   call-status.js   states, end reasons, media and quality in words
//   call-prompt.js   the incoming-call prompt
//   call-pair.js     transfer and join of two held calls
//   call-devices.js  microphone, camera and speaker
import { destinationOf, displayAddress } from './address.js'
import { $, announce, avatar, errorText, h, showError, showFieldProblem } from './dom.js'
import { createCallCard, renderControls, tick } from './call-card.js'
import { startDevices, switchDevice } from './call-devices.js'
import { sendTone, toggleKeypad } from './call-keypad.js'
import { clearMedia, renderMedia, unrender } from './call-media.js'
import { startTwoCalls } from './call-pair.js'
import { startPrompts } from './call-prompt.js'
import { endReason, renderHealth, stateText, warningTexts } from './call-status.js'
import { listenerScope } from './listeners.js'

const removeAfterMs = 4000

/** Starts the calls part of the page. `people` names addresses; `ui.showView(name)` switches views on small screens. */
export function startCalls(client, self, people, ui) {
  const { on, listen, stop: stopListening } = listenerScope(client)
  const views = new Map()
  const joinedNames = new Map() // joined call id → the names of its two parties
  const facts = callFacts(client, people, joinedNames)
  const devices = startDevices(client.media, listen, (kind, deviceId) =>
    switchDevice(client, kind, deviceId, {
      liveCalls: client.call.getAll().filter(facts.isLive),
      upCalls: client.call.getAll().filter(facts.isUp),
      selectorOf: (callId) => views.get(callId)?.remoteSelector,
      speakerOptions: devices.speakerOptions(),
    }),
  )
  /** Answers with video when asked to, or (from the card) when the caller sends video. */
  const answerCall = (call, withVideo = facts.isVideoCall(call)) => {
    client.call.answer(call.id, devices.mediaOptions(withVideo))
    ui.showView('calls')
  }
  const prompts = startPrompts(client.call, $('#incoming'), { answer: answerCall, nameOf: facts.nameOf, isVideoCall: facts.isVideoCall, focusAfter: (callId) => views.get(callId)?.end ?? $('#dial-to') })
  const twoCalls = startTwoCalls(client.call, listen, facts)
  const cards = startCards(client, views, { facts, joinedNames, devices, prompts, twoCalls, answerCall })
  const place = startDialling(client.call, self, ui, listen, { mediaOptions: devices.mediaOptions, render: cards.render })
  listenToCalls(client, on, { cards, facts, joinedNames, takeJoining: twoCalls.takeJoining })
  on('devices:change', devices.render)
  people.onNames(() => views.forEach((_view, callId) => cards.render(callId)))

  devices.render()
  cards.renderCount()
  return {
    place,
    stop: () => {
      cards.stopTicker()
      stopListening()
      ;[...views.keys()].forEach(cards.forget)
      prompts.stop()
      twoCalls.hide()
      $('#calls-badge').hidden = true
    },
  }
}

/** What the page asks of a call: its tracks' kinds, whether it is live or up, its name, what the SDK build can do. */
function callFacts(client, people, joinedNames) {
  const { states } = client.call
  const kindOf = (trackId) => client.media.getTrackById(trackId)?.kind
  const isLive = (call) => call !== undefined && call.state !== states.ENDED && call.state !== states.CANCELLED
  const isUp = (call) => call?.state === states.CONNECTED || call?.state === states.ON_HOLD
  const addressOf = (call) => displayAddress(call.remoteParticipant?.displayNumber ?? (call.direction === 'outgoing' ? call.to : call.from) ?? '')
  const nameOf = (call) => {
    if (joinedNames.has(call.id)) return joinedNames.get(call.id).join(' and ')
    const address = addressOf(call)
    const known = people.nameOf(address)
    return known !== address ? known : (call.remoteParticipant?.displayName ?? address)
  }
  const isVideoCall = (call) => [...call.remoteTracks, ...call.localTracks].some((trackId) => kindOf(trackId) === 'video') || call.mediaConstraints?.video === true
  /** Hold, DTMF, transfer, join and replaceTrack are used where this SDK build has them. */
  const can = (operation) => typeof client.call[operation] === 'function'
  return { states, kindOf, isLive, isUp, addressOf, nameOf, isVideoCall, can }
}

/** The dial form: checks the typed destination and places the call. Returns `place(destination, video)`. */
function startDialling(callApi, self, ui, listen, { mediaOptions, render }) {
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
      const callId = callApi.make(to, mediaOptions(video), self.name ? { displayName: self.name } : {})
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
  return place
}

/**
 * The call cards in `views` (call id → view): made on first sight of a call, kept up to date,
 * removed a moment after the call ends. Also the calls badge and the duration ticker.
 */
function startCards(client, views, { facts, joinedNames, devices, prompts, twoCalls, answerCall }) {
  let counter = 0
  const callList = $('#call-list')
  const callsEmpty = $('#calls-empty')
  const callsBadge = $('#calls-badge')
  const viewOf = (callId) => {
    const existing = views.get(callId)
    if (existing !== undefined) return existing
    counter += 1
    const view = createCallCard(counter)
    view.card.addEventListener('click', (event) => control(client, callId, view, event.target.closest('button'), answerCall))
    view.keypad.addEventListener('keydown', (event) => {
      if (/^[0-9*#]$/.test(event.key)) {
        event.preventDefault()
        sendTone(client.call, callId, view, event.key)
      }
    })
    views.set(callId, view)
    callList.append(view.card)
    return view
  }
  /** Brings the card (and prompt) of a call up to date with the SDK's view of it. */
  const render = (callId) => {
    const call = client.call.getById(callId)
    if (call === undefined) return
    const view = viewOf(callId)
    renderCard(client, call, view, { facts, parties: joinedNames.get(callId), speakerOptions: devices.speakerOptions })
    prompts.render(call)
    if (!facts.isLive(call) && view.removal === undefined) {
      view.card.classList.add('ended')
      view.removal = setTimeout(() => forget(callId), removeAfterMs)
    }
    twoCalls.render()
    renderCount()
  }
  const forget = (callId) => {
    const view = views.get(callId)
    if (view === undefined) return
    clearTimeout(view.removal)
    clearTimeout(view.toneTimer)
    const hadFocus = view.card.contains(document.activeElement)
    ;[...view.rendered].forEach((trackId) => unrender(client.media, view, trackId))
    view.card.remove()
    views.delete(callId)
    if (hadFocus) $('#dial-to').focus()
    renderCount()
    twoCalls.render()
  }
  const renderCount = () => {
    const live = client.call.getAll().filter(facts.isLive).length
    callsBadge.hidden = live === 0
    callsBadge.textContent = String(live)
    callsEmpty.hidden = views.size > 0
  }
  const stopTicker = startTicker(client.call, views, facts)
  return { views, viewOf, render, forget, renderCount, stopTicker }
}

/** Every second, the duration and media line of each connected or held call's card; returns its stop. */
function startTicker(callApi, views, { isUp, isLive }) {
  const ticker = setInterval(() => {
    for (const [callId, view] of views) {
      const call = callApi.getById(callId)
      if (!isUp(call)) continue
      tick(view)
      // The quality figure changes every second without an event (only warnings have one).
      renderHealth(call, view, isUp(call), isLive(call))
    }
  }, 1000)
  return () => clearInterval(ticker)
}

/** Everything on a call's card but its prompt: title, state, faces, timer, controls, media line, tracks. */
function renderCard(client, call, view, { facts, parties, speakerOptions }) {
  const { states } = client.call
  const name = facts.nameOf(call)
  const up = facts.isUp(call)
  const live = facts.isLive(call)
  view.title.textContent = name
  view.state.textContent = !live && view.endNote !== undefined ? view.endNote : stateText(call, states)
  view.card.dataset.state = call.state
  view.face.replaceChildren(h('span', { class: 'faces' }, ...(parties ?? [name]).map((party) => avatar(party, 'large'))))
  if (call.state === states.CONNECTED && view.connectedAt === undefined) view.connectedAt = Date.now()
  tick(view)

  const audio = call.localTracks.filter((trackId) => facts.kindOf(trackId) === 'audio')
  const video = call.localTracks.filter((trackId) => facts.kindOf(trackId) === 'video')
  const allMuted = (ids) => ids.length > 0 && ids.every((trackId) => client.media.getTrackById(trackId)?.muted === true)
  renderControls(view, call, states, { up, live, audio, video, allMuted, can: facts.can })

  renderHealth(call, view, up, live)
  if (!live) clearMedia(client.media, view)
  else if (up || call.direction === 'outgoing') renderMedia(client.media, call, view, speakerOptions())
}

/** Runs a card's button (`null` when the click missed one): a keypad key, or the control it names. */
function control(client, callId, view, button, answerCall) {
  if (button === null || button.disabled) return
  const call = client.call.getById(callId)
  if (call === undefined) return
  if (button.dataset.tone !== undefined) return sendTone(client.call, callId, view, button.dataset.tone)
  const tracksOf = (kind) => call.localTracks.filter((trackId) => client.media.getTrackById(trackId)?.kind === kind)
  const pressed = button.getAttribute('aria-pressed') === 'true'
  switch (button.dataset.control) {
    case 'mute':
      return pressed ? client.media.unmuteTracks(tracksOf('audio')) : client.media.muteTracks(tracksOf('audio'))
    case 'camera':
      return pressed ? client.media.unmuteTracks(tracksOf('video')) : client.media.muteTracks(tracksOf('video'))
    case 'hold':
      return call.localHold ? client.call.unhold(callId) : client.call.hold(callId)
    case 'keypad':
      return toggleKeypad(view, button)
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

/** Follows the SDK's call and media events onto the cards, and announces what changed. */
function listenToCalls(client, on, { cards, facts, joinedNames, takeJoining }) {
  const { states } = client.call
  const { render } = cards
  on('call:start', ({ callId }) => render(callId))
  on('call:receive', ({ callId }) => render(callId))
  on('call:stateChange', ({ callId, error, previous, transition }) => {
    const call = client.call.getById(callId)
    const view = call === undefined ? undefined : cards.viewOf(callId)
    if (view !== undefined) {
      view.error.hidden = !error
      view.error.textContent = error ? errorText(error, { destination: facts.addressOf(call) }) : ''
      // An error that ends a call before it connected made it fail (an error of a hang-up does not).
      const failed = error && [states.INITIATING, states.INITIATED, states.RINGING].includes(previous?.state)
      if (!facts.isLive(call)) view.endNote ??= failed ? 'Call failed' : endReason(call, transition, states, facts.nameOf)
    }
    render(callId)
    if (call === undefined || previous?.state === call.state) return
    const name = facts.nameOf(call)
    if (call.state === states.CONNECTED && previous?.state !== states.ON_HOLD) announce(`Call with ${name} connected`)
    if (!facts.isLive(call)) announce(`Call with ${name} ended${view?.endNote === undefined ? '' : `: ${view.endNote}`}`)
  })
  on('call:join', ({ callId, error }) => {
    const joining = takeJoining()
    if (error) return showError(`Join: ${errorText(error)}`)
    if (joining !== undefined) joinedNames.set(callId, joining)
    render(callId)
    announce(`Calls joined: ${joinedNames.get(callId)?.join(' and ') ?? 'one call'}`)
  })
  on('call:newTrack', ({ callId }) => render(callId))
  on('call:mediaConnectionChange', ({ callId }) => render(callId))
  on('call:qualityWarning', ({ callId, name, active }) => {
    render(callId)
    const call = client.call.getById(callId)
    if (call !== undefined && facts.isLive(call)) announce(`Call with ${facts.nameOf(call)}: ${warningTexts[name] ?? name}${active ? '' : ' (resolved)'}`)
  })
  const unrenderAndRender = (callId, trackId) => {
    const view = cards.views.get(callId)
    if (view !== undefined && trackId !== undefined) unrender(client.media, view, trackId)
    render(callId)
  }
  on('call:trackEnded', ({ callId, trackId }) => unrenderAndRender(callId, trackId))
  on('call:trackReplaced', ({ callId, error, oldTrack }) => {
    if (error) return showError(`Call: ${errorText(error)}`)
    unrenderAndRender(callId, oldTrack?.id)
  })
  const mutedChange = () => client.call.getAll().filter(facts.isLive).forEach((call) => render(call.id))
  on('media:muted', mutedChange)
  on('media:unmuted', mutedChange)
}
