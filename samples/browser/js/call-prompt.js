// The incoming-call prompt above the page: one per ringing call, with answer (video or audio
// only), decline and ignore.
import { announce, avatar, h, icon } from './dom.js'

/**
 * Starts the prompts in `incoming`. `answer(call, withVideo)` answers; `nameOf`, `isVideoCall`
 * describe a call; `focusAfter(callId)` is where focus goes when a focused prompt goes away.
 */
export function startPrompts(callApi, incoming, { answer, nameOf, isVideoCall, focusAfter }) {
  const prompts = new Map()
  const remove = (callId, existing) => {
    const hadFocus = existing.contains(document.activeElement)
    existing.remove()
    prompts.delete(callId)
    incoming.hidden = prompts.size === 0
    if (hadFocus) focusAfter(callId).focus()
  }
  /** Shows the prompt while the call rings here, and takes it away after. */
  const render = (call) => {
    const ringing = call.direction === 'incoming' && call.state === callApi.states.RINGING
    const existing = prompts.get(call.id)
    if (!ringing) {
      if (existing !== undefined) remove(call.id, existing)
      return
    }
    if (existing !== undefined) return
    const name = nameOf(call)
    const video = isVideoCall(call)
    prompts.set(call.id, createPrompt(callApi, call, name, video, answer))
    incoming.append(prompts.get(call.id))
    incoming.hidden = false
    announce(`Incoming ${video ? 'video' : 'audio'} call from ${name}`, 'assertive')
  }
  const stop = () => {
    prompts.forEach((prompt) => prompt.remove())
    prompts.clear()
    incoming.hidden = true
  }
  return { render, stop }
}

/** One prompt: who calls, audio or video, and the four answers. */
function createPrompt(callApi, call, name, video, answer) {
  const label = h('p', { class: 'incoming-title', id: `incoming-${call.id}`, text: `${name} is calling` })
  const answerWith = (withVideo) => () => answer(call, withVideo)
  return h(
    'div',
    { class: 'incoming-call', role: 'group', 'aria-labelledby': label.id },
    avatar(name),
    h('div', { class: 'incoming-text' }, label, h('p', { class: 'muted small', text: video ? 'Video call' : 'Audio call' })),
    h(
      'div',
      { class: 'incoming-actions' },
      h('button', { type: 'button', class: 'accept', onclick: answerWith(true) }, icon('video'), h('span', { text: 'Answer with video' })),
      h('button', { type: 'button', class: 'accept', onclick: answerWith(false) }, icon('phone'), h('span', { text: 'Answer audio only' })),
      h('button', { type: 'button', class: 'decline', onclick: () => callApi.reject(call.id) }, icon('phone', 'icon hang-up'), h('span', { text: 'Decline' })),
      h('button', { type: 'button', class: 'ghost', onclick: () => callApi.ignore(call.id) }, h('span', { text: 'Ignore' })),
    ),
  )
}
