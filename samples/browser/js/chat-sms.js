// Chat: the form that starts an SMS conversation with a phone number, checked as it is typed in.
import { destinationOf } from './address.js'
import { $, showFieldProblem } from './dom.js'

/** The new-SMS form; `openSms(number)` opens the conversation with a valid number. */
export function startSmsForm({ listen, openSms }) {
  const smsForm = $('#sms-form')
  const smsNumber = $('#sms-number')
  const smsError = $('#sms-error')
  /** Shows (or clears) what is wrong with the typed number, under the field. */
  const showSmsProblem = (problem) => showFieldProblem(smsNumber, smsError, problem)
  listen(smsNumber, 'input', () => showSmsProblem(undefined))
  listen(smsForm, 'submit', (event) => {
    event.preventDefault()
    const { address: number, problem } = destinationOf(smsNumber.value, { phoneOnly: true })
    showSmsProblem(problem)
    if (number === undefined) return smsNumber.focus()
    smsNumber.value = ''
    $('#new-sms').open = false
    openSms(number)
  })
}
