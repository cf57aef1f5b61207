// Chat: one conversation's thread: its messages (see chat-message.js), kept scrolled to the newest
// unless the user scrolled up, the typing line, and read receipts.
import { $, reconcile } from './dom.js'
import { messageKey } from './chat-model.js'
import { createMessageView } from './chat-message.js'

// The SDK keeps a conversation's messages in time order: each only gets its key for the list.
const ordered = (messages) => messages.map((message, index) => ({ message, key: messageKey(message, index) }))

/** The names of the others typing in `conversation`, as one line. */
const typingText = (conversation, people) => {
  const names = (conversation?.isTypingList ?? []).filter((address) => !people.isSelf(address)).map((address) => people.nameOf(address))
  return names.length === 0 ? '' : names.length === 1 ? `${names[0]} is typing…` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are typing…`
}

/**
 * The open conversation's thread. `current()` is the open conversation; `renderHeader`
 * shows it in the header; `listen` adds a page listener removed on sign-out.
 */
export function createThread(client, people, facts, { current, renderHeader, listen }) {
  const { chatTypes } = client.conversation
  const messageList = $('#message-list')
  const placeholder = $('#chat-placeholder')
  const typingLine = $('#typing')
  const composer = $('#composer')
  const attachLabel = $('#attach-label')

  let stickToBottom = true
  const keepBottom = () => {
    if (stickToBottom) messageList.scrollTop = messageList.scrollHeight
  }
  const messages = createMessageView(client, people, facts, { current, onImageLoad: keepBottom })
  listen(messageList, 'scroll', () => {
    stickToBottom = messageList.scrollHeight - messageList.scrollTop - messageList.clientHeight < 48
  })

  const markRead = (conversation) => {
    for (const message of conversation.getMessages()) if (!facts.isOwn(message) && !message.read && message.messageId) message.markRead()
  }
  const renderTyping = (conversation) => {
    typingLine.textContent = typingText(conversation, people)
  }

  const render = () => {
    const conversation = current()
    renderHeader(conversation)
    placeholder.hidden = conversation !== undefined
    messageList.hidden = conversation === undefined
    composer.hidden = conversation === undefined
    typingLine.hidden = conversation === undefined
    if (conversation === undefined) {
      messageList.replaceChildren()
      typingLine.textContent = ''
      return
    }
    attachLabel.hidden = conversation.type === chatTypes.SMS
    const update = (item, entry) => messages.update(item, entry.message, entry.key, conversation)
    reconcile(messageList, ordered(conversation.getMessages()), (entry) => entry.key, messages.create, update)
    renderTyping(conversation)
    keepBottom()
    if (!document.hidden) markRead(conversation)
  }

  return {
    render,
    renderTyping,
    markRead,
    /** Scrolls to the newest message from the next render on (a conversation opened, a message sent). */
    stickToBottom: () => {
      stickToBottom = true
    },
    /** Empties the thread and shows the placeholder (signed out). */
    clear: () => {
      messages.release()
      messageList.replaceChildren()
      renderHeader(undefined)
      placeholder.hidden = false
      messageList.hidden = true
      composer.hidden = true
      typingLine.textContent = ''
    },
  }
}
