// Two calls at once: with both on hold, transfer one party to the other or join all three.
import { $ } from './dom.js'

/**
 * Starts the two-calls panel. `isUp(call)` says a call is connected or on hold; `nameOf` names
 * it. Returns `render()`, `takeJoining()` (the names of the two calls being joined, once) and `hide()`.
 */
export function startTwoCalls(callApi, listen, { isUp, nameOf }) {
  const twoCalls = $('#two-calls')
  const transferButton = $('#transfer-button')
  const joinButton = $('#join-button')
  const help = $('#two-calls-help')
  const can = (operation) => typeof callApi[operation] === 'function'
  let joining // the names of the two calls being joined
  const heldPair = () => callApi.getAll().filter((call) => isUp(call) && call.localHold === true).slice(-2)
  const render = () => {
    const live = callApi.getAll().filter(isUp)
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
    if (first !== undefined && second !== undefined) callApi.consultativeTransfer(first.id, second.id)
  })
  listen(joinButton, 'click', () => {
    const [first, second] = heldPair()
    if (first === undefined || second === undefined) return
    joining = [nameOf(first), nameOf(second)]
    callApi.join(first.id, second.id)
  })
  const takeJoining = () => {
    const names = joining
    joining = undefined
    return names
  }
  const hide = () => {
    twoCalls.hidden = true
  }
  return { render, takeJoining, hide }
}
