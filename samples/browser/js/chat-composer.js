// Chat: the composer of the open conversation: the message field (which tells the others when the
// user is typing, and stops after a pause), an image to attach with its preview, and sending.
import { $, showError } from './dom.js'

const typingIdleMs = 4000

/**
 * The "is typing" state of the open conversation: `current()` is it, `canType()` false where
 * typing is not shown (none open, SMS).
 */
function createTyping(input, { current, canType, listen }) {
  let typing = false
  let typingTimer
  const stop = () => {
    clearTimeout(typingTimer)
    if (typing && canType()) current()?.setIsTyping(false)
    typing = false
  }
  listen(input, 'input', () => {
    if (!canType()) return
    if (input.value === '') return stop()
    if (!typing) {
      typing = true
      current()?.setIsTyping(true)
    }
    clearTimeout(typingTimer)
    typingTimer = setTimeout(stop, typingIdleMs)
  })
  return stop
}

/** The image chosen for the next message, with its preview and remove button. */
function createAttachment(input, listen) {
  const attachInput = $('#attach-input')
  const attachment = $('#attachment')
  let attached // the File chosen for the next message
  let attachedUrl
  const clear = () => {
    attached = undefined
    if (attachedUrl !== undefined) URL.revokeObjectURL(attachedUrl)
    attachedUrl = undefined
    attachInput.value = ''
    attachment.hidden = true
  }
  listen(attachInput, 'change', () => {
    const file = attachInput.files?.[0]
    if (file === undefined) return
    if (!file.type.startsWith('image/')) {
      showError(`${file.name} is not an image.`)
      return clear()
    }
    clear()
    attached = file
    attachedUrl = URL.createObjectURL(file)
    $('#attachment-preview').src = attachedUrl
    $('#attachment-name').textContent = file.name
    attachment.hidden = false
    input.focus()
  })
  listen($('#attachment-remove'), 'click', () => {
    clear()
    input.focus()
  })
  /** Forgets the file once its message is sent (its preview URL is revoked at the next clear). */
  const sent = () => {
    attached = undefined
    attachInput.value = ''
    attachment.hidden = true
  }
  return { file: () => attached, clear, sent }
}

/**
 * The composer. `current()` is the open conversation, `canType()` whether it shows typing,
 * `onSent()` runs after a message is sent, `listen` adds a page listener removed on sign-out.
 */
export function createComposer({ current, canType, onSent, listen }) {
  const composer = $('#composer')
  const input = $('#message-input')
  const stopTyping = createTyping(input, { current, canType, listen })
  const attachment = createAttachment(input, listen)

  listen(composer, 'submit', (event) => {
    event.preventDefault()
    const conversation = current()
    const text = input.value.trim()
    const attached = attachment.file()
    if (conversation === undefined || (text === '' && attached === undefined)) return
    // A message needs a text part, also when it carries a file.
    const message = conversation.createMessage({ type: 'text', text: text || attached.name })
    if (attached !== undefined) message.addPart({ type: 'file', file: attached })
    message.send()
    stopTyping()
    input.value = ''
    attachment.sent()
    onSent()
    input.focus()
  })

  return {
    stopTyping,
    clearAttachment: attachment.clear,
    /** Puts the cursor in the message field. */
    focus: () => input.focus(),
  }
}
