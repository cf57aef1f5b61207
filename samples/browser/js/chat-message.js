// Chat: one message in a thread: who sent it and when, its text, its delivery, and its image
// and file parts (loaded on demand). The text is put on the page with textContent: never HTML.
import { clock, errorText, h, icon } from './dom.js'
import { isImage, textOf, timeOf } from './chat-model.js'

/** An empty message item: bubble (sender, text, attachments) and meta (time, delivery). */
const messageItem = () =>
  h(
    'li',
    { class: 'message' },
    h('div', { class: 'bubble' }, h('p', { class: 'sender' }), h('p', { class: 'text' }), h('div', { class: 'attachments' })),
    h('p', { class: 'meta' }, h('time'), h('span', { class: 'delivery' })),
  )

/** "Sending…", the delivery status, or why an own message was not sent. */
const deliveryOf = (message, conversation) =>
  message.error !== undefined || message.messageId === null
    ? `Not sent: ${errorText(message.error, { destination: conversation.destination[0] })}`
    : message.isPending
      ? 'Sending…'
      : (message.deliveryStatus ?? 'Sent')

/**
 * The file parts of messages: each gets a URL (an object URL for a file sent from here, or
 * one the SDK makes after asking for the message's image links once). `current()` is the open conversation.
 */
function createAttachments(current) {
  const objectUrls = new Map() // Blob → object URL of images being sent from here
  const requestedLinks = new Set()
  const urlOf = (part, message, key) => {
    let url = part.url
    if (url === undefined && part.file instanceof Blob) {
      url = objectUrls.get(part.file) ?? URL.createObjectURL(part.file)
      objectUrls.set(part.file, url)
    }
    if (url === undefined && message.messageId && !requestedLinks.has(key)) {
      requestedLinks.add(key)
      // Downloads the files of the message and gives each file part a `url` (then messages:change).
      const held = current()?.getMessage(message.messageId)
      held?.createImageLinks()
    }
    return url
  }
  return {
    of: (message, key) =>
      message.parts
        .map((part, index) => ({ part, index }))
        .filter(({ part }) => part.type === 'file')
        .map(({ part, index }) => ({ name: String(part.name ?? part.file?.name ?? 'file'), url: urlOf(part, message, key), image: isImage(part), index })),
    /** Frees the object URLs made for files sent from here. */
    release: () => objectUrls.forEach((url) => URL.revokeObjectURL(url)),
  }
}

/** The attachment elements of a message: a loading line, a download link, or the image. */
function attachmentElements(files, onImageLoad) {
  return files.map((file) => {
    if (file.url === undefined) return h('p', { class: 'muted small', text: `Loading ${file.name}…` })
    if (!file.image) return h('a', { href: file.url, download: file.name, class: 'file-link' }, icon('clip'), h('span', { text: file.name }))
    const image = h('img', { src: file.url, alt: `Image: ${file.name}`, class: 'message-image' })
    image.addEventListener('load', () => onImageLoad(), { once: true })
    return image
  })
}

/**
 * Fills in message items. `current()` is the open conversation (its messages make image links),
 * `onImageLoad()` runs when an image has loaded (its height changes the scroll).
 */
export function createMessageView(client, people, facts, { current, onImageLoad }) {
  const { chatTypes } = client.conversation
  const attachments = createAttachments(current)
  const update = (item, message, key, conversation) => {
    const own = facts.isOwn(message)
    item.classList.toggle('own', own)
    item.classList.toggle('theirs', !own)
    item.classList.toggle('pending', message.isPending === true)
    item.classList.toggle('failed', message.error !== undefined || message.messageId === null)
    const sender = item.querySelector('.sender')
    sender.hidden = own || conversation.type !== chatTypes.GROUP
    sender.textContent = own ? 'You' : people.nameOf(message.sender)
    item.querySelector('.text').textContent = textOf(message)
    const time = item.querySelector('time')
    time.dateTime = new Date(timeOf(message)).toISOString()
    time.textContent = clock(message.timestamp)
    item.querySelector('.delivery').textContent = own ? deliveryOf(message, conversation) : ''
    item.setAttribute('aria-label', `${own ? 'You' : people.nameOf(message.sender)}, ${clock(message.timestamp)}`)
    const files = attachments.of(message, key)
    const signature = JSON.stringify(files.map((file) => [file.name, file.url]))
    if (item.dataset.files !== signature) {
      item.dataset.files = signature
      item.querySelector('.attachments').replaceChildren(...attachmentElements(files, onImageLoad))
    }
  }
  return { create: messageItem, update, release: attachments.release }
}
