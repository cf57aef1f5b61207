// People: the user's own status, a picker of status and activity with a coloured dot, as the
// platform has it (a failed update puts the picker back).
import { $, errorText, h, showError } from './dom.js'
import { presenceOf } from './presence.js'

/** The choices of the own-status menu: value → status, activity. */
function statusChoices(presence) {
  const { statuses, activities } = presence
  return [
    { value: 'available', label: 'Available', status: statuses.OPEN, activity: activities.AVAILABLE },
    { value: 'busy', label: 'Busy', status: statuses.OPEN, activity: activities.BUSY },
    { value: 'phone', label: 'On the phone', status: statuses.OPEN, activity: activities.ON_THE_PHONE },
    { value: 'lunch', label: 'At lunch', status: statuses.OPEN, activity: activities.LUNCH },
    { value: 'vacation', label: 'On vacation', status: statuses.OPEN, activity: activities.VACATION },
    { value: 'offline', label: 'Appear offline', status: statuses.CLOSED, activity: activities.AVAILABLE },
  ]
}

/** Starts the own-status picker; returns `showSelf()`, which shows the own presence as the platform has it. */
export function startOwnStatus(presence, { on, listen }) {
  const statusSelect = $('#my-status')
  const statusDot = $('#my-status-dot')
  const choices = statusChoices(presence)
  statusSelect.replaceChildren(...choices.map((choice) => h('option', { value: choice.value, text: choice.label })))
  const showSelf = () => {
    const own = presence.getSelf()
    const choice = choices.find((candidate) => candidate.status === own.status && (candidate.status === presence.statuses.CLOSED || candidate.activity === own.activity))
    if (choice !== undefined) statusSelect.value = choice.value
    statusDot.dataset.presence = presenceOf(own).key
  }
  listen(statusSelect, 'change', () => {
    const choice = choices.find((candidate) => candidate.value === statusSelect.value)
    if (choice !== undefined) presence.update(choice.status, choice.activity)
  })
  on('presence:selfChange', showSelf)
  on('presence:error', ({ error }) => {
    showError(`Presence: ${errorText(error)}`)
    showSelf()
  })
  return showSelf
}
