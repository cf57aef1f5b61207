// Chat: the conversation list (one-to-one, group, SMS), newest activity first, with unread
// badges on each conversation and the total on the Chat button.
import { $, avatar, h, reconcile } from './dom.js'
import { keyOf, textOf, timeOf } from './chat-model.js'

const lastActivity = (conversation) => {
  const last = conversation.messages.at(-1)
  return last === undefined ? (conversation.lastReceived ?? 0) : timeOf(last)
}

const conversationItem = () =>
  h(
    'li',
    {},
    h(
      'button',
      { type: 'button', class: 'conversation-button' },
      h('span', { class: 'avatar' }),
      h('span', { class: 'conversation-text' }, h('span', { class: 'conversation-title' }), h('span', { class: 'conversation-snippet' })),
      h('span', { class: 'conversation-meta' }, h('span', { class: 'conversation-kind' }), h('span', { class: 'badge', hidden: true })),
    ),
  )

/**
 * The list of conversations. `state.active()` is the open one ({ type, destination }) and
 * `state.groupsLoaded()` tells whether groups the user left can be hidden; a click calls `open`.
 */
export function createConversationList(client, facts, state, { listen, open }) {
  const { chatTypes } = client.conversation
  const list = $('#conversation-list')
  const listEmpty = $('#conversations-empty')
  const chatBadge = $('#chat-badge')
  const visible = (conversation) =>
    conversation.type !== chatTypes.GROUP || !state.groupsLoaded() || client.groups.get(conversation.destination[0]) !== undefined

  const updateItem = (item, conversation) => {
    const title = facts.titleOf(conversation)
    const last = conversation.messages.at(-1)
    const unread = facts.unreadOf(conversation)
    const active = state.active()
    const button = item.querySelector('button')
    button.dataset.type = conversation.type
    button.dataset.destination = conversation.destination[0]
    if (active !== undefined && keyOf(conversation) === keyOf({ type: active.type, destination: [active.destination] })) button.setAttribute('aria-current', 'true')
    else button.removeAttribute('aria-current')
    item.querySelector('.avatar').replaceWith(avatar(title))
    item.querySelector('.conversation-title').textContent = title
    item.querySelector('.conversation-snippet').textContent =
      last === undefined ? (conversation.lastMessage ?? '') : `${facts.isOwn(last) ? 'You: ' : ''}${textOf(last) || 'Attachment'}`
    item.querySelector('.conversation-kind').textContent = conversation.type === chatTypes.GROUP ? 'Group' : conversation.type === chatTypes.SMS ? 'SMS' : ''
    const badge = item.querySelector('.badge')
    badge.hidden = unread === 0
    badge.textContent = String(unread)
    badge.setAttribute('aria-label', `${unread} unread`)
  }

  const render = () => {
    const conversations = client.conversation
      .getAll()
      .filter(visible)
      .sort((a, b) => lastActivity(b) - lastActivity(a))
    reconcile(list, conversations, keyOf, conversationItem, updateItem)
    listEmpty.hidden = conversations.length > 0
    const total = conversations.reduce((sum, conversation) => sum + facts.unreadOf(conversation), 0)
    chatBadge.hidden = total === 0
    chatBadge.textContent = String(total)
  }
  listen(list, 'click', (event) => {
    const button = event.target.closest('button.conversation-button')
    if (button !== null) open(button.dataset.destination, button.dataset.type, { focus: true })
  })

  return {
    render,
    /** Empties the list and hides the badge (signed out). */
    clear: () => {
      list.replaceChildren()
      chatBadge.hidden = true
    },
  }
}
