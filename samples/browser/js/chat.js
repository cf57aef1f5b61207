// Chat: ties the chat parts of the page together, keeps which conversation is open, and turns
// the SDK's conversation, message, typing and group events into renders and announcements:
//   chat-model.js        keys, text, time, whose message, unread count and title of a conversation
//   conversation-list.js the conversation list (one-to-one, group, SMS) and unread badges
//   chat-header.js       the open conversation's title, subtitle and call or group actions
//   chat-thread.js       the open conversation's messages, typing line and read receipts
//   chat-message.js      one message: sender, text, time, delivery, image and file parts
//   chat-composer.js     the message field with typing, the image to attach, sending
//   chat-groups.js       group invitations, the new-group form, a conversation per group
//   chat-sms.js          the new-SMS form
import { announce, errorText, showError } from './dom.js'
import { createChatHeader } from './chat-header.js'
import { createComposer } from './chat-composer.js'
import { startGroupChats } from './chat-groups.js'
import { conversationFacts, keyOf, textOf } from './chat-model.js'
import { startSmsForm } from './chat-sms.js'
import { createThread } from './chat-thread.js'
import { createConversationList } from './conversation-list.js'
import { listenerScope } from './listeners.js'

/** Starts the chat part of the page. `people` names addresses; `ui.showView(name)` switches views on small screens. */
export function startChat(client, self, people, ui) {
  const { chatTypes } = client.conversation
  const { on, listen, stop: stopListening } = listenerScope(client)
  const facts = conversationFacts(client, people)

  let active // { type, destination }
  const fetchedHistory = new Set()
  const current = () => (active === undefined ? undefined : client.conversation.get(active.destination, { type: active.type }))
  const isActive = (type, destination) => active !== undefined && active.type === type && active.destination === destination
  // Parts made below call these back only after startChat has returned.
  const open = (...args) => openConversation(...args)
  const refresh = () => {
    list.render()
    thread.render()
  }

  const groups = startGroupChats(client, {
    listen,
    open: (id) => open(id, chatTypes.GROUP, { focus: true }),
    forgetGoneGroup: () => {
      if (active?.type === chatTypes.GROUP && client.groups.get(active.destination) === undefined) active = undefined
    },
    refresh,
  })
  const list = createConversationList(client, facts, { active: () => active, groupsLoaded: groups.loaded }, { listen, open })
  const renderHeader = createChatHeader(client, people, facts, ui.call)
  const thread = createThread(client, people, facts, { current, renderHeader, listen })
  const canType = () => active !== undefined && active.type !== chatTypes.SMS
  const composer = createComposer({ current, canType, onSent: thread.stickToBottom, listen })
  startSmsForm({ listen, openSms: (number) => open(number, chatTypes.SMS, { focus: true }) })

  /** Opens the conversation with `destination` (creating it when new). */
  const openConversation = (destination, type = chatTypes.ONETOONE, { focus = false } = {}) => {
    composer.stopTyping()
    const conversation = client.conversation.create(destination, { type })
    active = { type: conversation.type, destination: conversation.destination[0] }
    thread.stickToBottom()
    const key = keyOf(conversation)
    if (conversation.id !== undefined && !fetchedHistory.has(key)) {
      fetchedHistory.add(key)
      conversation.fetchMessages(50)
    }
    composer.clearAttachment()
    refresh()
    ui.showView('chat')
    if (focus) composer.focus()
  }

  listenToChatEvents(on, { client, people, facts, active: () => active, isActive, current, refresh, thread, renderHeader, groups })
  people.onNames(refresh)
  listen(document, 'visibilitychange', () => {
    if (!document.hidden && current() !== undefined) thread.markRead(current())
  })

  refresh()
  return {
    open,
    /** Loads what the platform already has: conversations of every type and groups. */
    load: () => {
      for (const type of [chatTypes.ONETOONE, chatTypes.GROUP, chatTypes.SMS]) client.conversation.fetch({ type })
      client.groups.fetch()
    },
    stop: () => {
      composer.stopTyping()
      stopListening()
      composer.clearAttachment()
      active = undefined
      list.clear()
      groups.invitations.clear()
      thread.clear()
    },
  }
}

/** Turns the SDK's chat and group events into renders, announcements and error lines. */
function listenToChatEvents(on, { client, people, facts, active, isActive, current, refresh, thread, renderHeader, groups }) {
  // Announces a message from someone else, unless the user is reading its conversation.
  const newMessage = ({ destination, type, messageId }) => {
    if (messageId === undefined || messageId === null) return
    const message = client.conversation.get(destination[0], { type })?.getMessage(messageId)
    if (message === undefined || facts.isOwn(message)) return
    if (!isActive(type, destination[0]) || document.hidden) people.whenNamed(message.sender, (name) => announce(`New message from ${name}: ${textOf(message) || 'an attachment'}`))
  }
  // Group events carry their error instead of failing: show it, or go on.
  const unlessError = (label, then) => (payload) => (payload.error ? showError(`${label}: ${errorText(payload.error)}`) : then(payload))
  on('conversations:new', refresh)
  on('conversations:change', (payload) => {
    refresh()
    if (!Array.isArray(payload)) newMessage(payload)
  })
  on('messages:change', (payload) => {
    refresh()
    if (payload.sender === undefined) newMessage(payload)
  })
  on('messages:error', (payload) => showError(`Messaging: ${errorText(payload?.error ?? payload, { destination: payload?.destination?.[0] })}`))
  on('isTypingList:change', ({ destination, type }) => {
    if (isActive(type, destination?.[0])) thread.renderTyping(current())
  })
  on('group:invitation_received', ({ invitation }) => {
    groups.invitations.render()
    announce(`You are invited to the group ${invitation?.name ?? ''}`)
  })
  on('group:new', unlessError('Group', ({ id }) => groups.created(id)))
  on('group:change', unlessError('Group', ({ id }) => groups.changed(id)))
  on('group:refresh', unlessError('Groups', () => groups.refreshed()))
  on('group:delete', unlessError('Group', () => groups.sync()))
  on('presence:change', ({ userId }) => {
    if (active()?.destination === userId) renderHeader(current())
  })
}
