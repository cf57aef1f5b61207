// Chat: the conversation list (one-to-one, group, SMS), the open conversation with its messages,
// typing indicators and image parts, group creation and invitations, SMS to a number.
// Every message text is put on the page with textContent: a message is never HTML.
import { destinationOf, displayAddress } from './address.js'
import { $, announce, avatar, clock, errorText, h, icon, reconcile, showError, showFieldProblem } from './dom.js'
import { listenerScope } from './listeners.js'
import { presenceOf } from './presence.js'

const imageName = /\.(png|jpe?g|gif|webp|bmp|avif)$/i
const typingIdleMs = 4000

const keyOf = (conversation) => `${conversation.type}|${conversation.destination[0]}`
const messageKey = (message, index) => message.localId ?? message.messageId ?? `at-${index}`
const textOf = (message) =>
  message.parts
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n')
const timeOf = (message) => (message.timestamp < 1e12 ? message.timestamp * 1000 : message.timestamp)
const isImage = (part) => {
  const type = part['content-type'] ?? part.contentType ?? part.file?.type ?? ''
  return String(type).startsWith('image/') || imageName.test(String(part.name ?? part.file?.name ?? ''))
}

/** Starts the chat part of the page. `people` names addresses; `ui.showView(name)` switches views on small screens. */
export function startChat(client, self, people, ui) {
  const { chatTypes } = client.conversation
  const { on, listen, stop: stopListening } = listenerScope(client)

  let active // { type, destination }
  let groupsLoaded = false
  let openWhenReady // a group id to open once its conversation exists
  const requestedLinks = new Set()
  const fetchedHistory = new Set()
  const objectUrls = new Map() // Blob → object URL of images being sent from here
  let attached // the File chosen for the next message
  let attachedUrl
  let typing = false
  let typingTimer

  const isOwn = (message) => message.localId !== undefined || message.deliveryStatus !== undefined || people.isSelf(message.sender)
  const unreadOf = (conversation) => conversation.messages.filter((message) => !isOwn(message) && !message.read).length
  const current = () => (active === undefined ? undefined : client.conversation.get(active.destination, { type: active.type }))

  const titleOf = (conversation) => {
    const destination = conversation.destination[0]
    if (conversation.type === chatTypes.GROUP) return client.groups.get(destination)?.name ?? 'Group chat'
    return people.nameOf(destination)
  }
  const visible = (conversation) => conversation.type !== chatTypes.GROUP || !groupsLoaded || client.groups.get(conversation.destination[0]) !== undefined
  const lastActivity = (conversation) => {
    const last = conversation.messages.at(-1)
    return last === undefined ? (conversation.lastReceived ?? 0) : timeOf(last)
  }

  // ── Conversation list ─────────────────────────────────────────────────────────────────────
  const list = $('#conversation-list')
  const listEmpty = $('#conversations-empty')
  const chatBadge = $('#chat-badge')

  const renderList = () => {
    const conversations = client.conversation
      .getAll()
      .filter(visible)
      .sort((a, b) => lastActivity(b) - lastActivity(a))
    reconcile(
      list,
      conversations,
      keyOf,
      () =>
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
        ),
      (item, conversation) => {
        const title = titleOf(conversation)
        const last = conversation.messages.at(-1)
        const unread = unreadOf(conversation)
        const button = item.querySelector('button')
        button.dataset.type = conversation.type
        button.dataset.destination = conversation.destination[0]
        if (active !== undefined && keyOf(conversation) === keyOf({ type: active.type, destination: [active.destination] })) button.setAttribute('aria-current', 'true')
        else button.removeAttribute('aria-current')
        item.querySelector('.avatar').replaceWith(avatar(title))
        item.querySelector('.conversation-title').textContent = title
        item.querySelector('.conversation-snippet').textContent =
          last === undefined ? (conversation.lastMessage ?? '') : `${isOwn(last) ? 'You: ' : ''}${textOf(last) || 'Attachment'}`
        item.querySelector('.conversation-kind').textContent = conversation.type === chatTypes.GROUP ? 'Group' : conversation.type === chatTypes.SMS ? 'SMS' : ''
        const badge = item.querySelector('.badge')
        badge.hidden = unread === 0
        badge.textContent = String(unread)
        badge.setAttribute('aria-label', `${unread} unread`)
      },
    )
    listEmpty.hidden = conversations.length > 0
    const total = conversations.reduce((sum, conversation) => sum + unreadOf(conversation), 0)
    chatBadge.hidden = total === 0
    chatBadge.textContent = String(total)
  }
  listen(list, 'click', (event) => {
    const button = event.target.closest('button.conversation-button')
    if (button !== null) open(button.dataset.destination, button.dataset.type, { focus: true })
  })

  // ── The open conversation ─────────────────────────────────────────────────────────────────
  const messageList = $('#message-list')
  const placeholder = $('#chat-placeholder')
  const title = $('#chat-title')
  const subtitle = $('#chat-subtitle')
  const actions = $('#chat-actions')
  const typingLine = $('#typing')
  const composer = $('#composer')
  const input = $('#message-input')
  const attachLabel = $('#attach-label')
  const attachInput = $('#attach-input')

  const subtitleOf = (conversation) => {
    const destination = conversation.destination[0]
    if (conversation.type === chatTypes.SMS) return `SMS with ${displayAddress(destination)}`
    if (conversation.type === chatTypes.GROUP) {
      const group = client.groups.get(destination)
      if (group === undefined) return 'Group chat'
      return group.participants
        .filter((participant) => participant.status !== 'Disconnected')
        .map((participant) => `${people.isSelf(participant.address) ? 'You' : people.nameOf(participant.address)}${participant.isAdmin ? ' (admin)' : ''}${participant.status === 'Invited' ? ' (invited)' : ''}`)
        .join(', ')
    }
    const presence = presenceOf(client.presence.get(destination)[0])
    return presence.key === 'unknown' ? displayAddress(destination) : `${presence.label} · ${displayAddress(destination)}`
  }

  const renderHeader = (conversation) => {
    if (conversation === undefined) {
      title.textContent = 'Messages'
      subtitle.textContent = ''
      actions.replaceChildren()
      return
    }
    const name = titleOf(conversation)
    const destination = conversation.destination[0]
    title.textContent = name
    subtitle.textContent = subtitleOf(conversation)
    const buttons = []
    if (conversation.type !== chatTypes.GROUP) {
      buttons.push(
        h('button', { type: 'button', class: 'icon-button', 'aria-label': `Audio call ${name}`, title: 'Audio call', onclick: () => ui.call(destination, false) }, icon('phone')),
      )
      if (conversation.type === chatTypes.ONETOONE)
        buttons.push(h('button', { type: 'button', class: 'icon-button', 'aria-label': `Video call ${name}`, title: 'Video call', onclick: () => ui.call(destination, true) }, icon('video')))
    } else {
      const group = client.groups.get(destination)
      const admin = group?.participants.some((participant) => participant.isAdmin && people.isSelf(participant.address))
      if (group !== undefined)
        buttons.push(
          h(
            'button',
            {
              type: 'button',
              class: 'secondary small',
              onclick: () => (admin ? client.groups.delete(destination) : client.groups.leave(destination)),
            },
            admin ? 'Delete group' : 'Leave group',
          ),
        )
    }
    actions.replaceChildren(...buttons)
  }

  const attachmentsOf = (message, key) =>
    message.parts
      .map((part, index) => ({ part, index }))
      .filter(({ part }) => part.type === 'file')
      .map(({ part, index }) => {
        const name = String(part.name ?? part.file?.name ?? 'file')
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
        return { name, url, image: isImage(part), index }
      })

  const messageItem = () =>
    h(
      'li',
      { class: 'message' },
      h('div', { class: 'bubble' }, h('p', { class: 'sender' }), h('p', { class: 'text' }), h('div', { class: 'attachments' })),
      h('p', { class: 'meta' }, h('time'), h('span', { class: 'delivery' })),
    )

  const updateMessage = (item, message, key, conversation) => {
    const own = isOwn(message)
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
    const delivery = item.querySelector('.delivery')
    delivery.textContent = !own
      ? ''
      : message.error !== undefined || message.messageId === null
        ? `Not sent: ${errorText(message.error, { destination: conversation.destination[0] })}`
        : message.isPending
          ? 'Sending…'
          : (message.deliveryStatus ?? 'Sent')
    item.setAttribute('aria-label', `${own ? 'You' : people.nameOf(message.sender)}, ${clock(message.timestamp)}`)

    const files = attachmentsOf(message, key)
    const signature = JSON.stringify(files.map((file) => [file.name, file.url]))
    if (item.dataset.files !== signature) {
      item.dataset.files = signature
      const box = item.querySelector('.attachments')
      box.replaceChildren(
        ...files.map((file) => {
          if (file.url === undefined) return h('p', { class: 'muted small', text: `Loading ${file.name}…` })
          if (!file.image) return h('a', { href: file.url, download: file.name, class: 'file-link' }, icon('clip'), h('span', { text: file.name }))
          const image = h('img', { src: file.url, alt: `Image: ${file.name}`, class: 'message-image' })
          image.addEventListener('load', () => keepBottom(), { once: true })
          return image
        }),
      )
    }
  }

  let stickToBottom = true
  const keepBottom = () => {
    if (stickToBottom) messageList.scrollTop = messageList.scrollHeight
  }
  listen(messageList, 'scroll', () => {
    stickToBottom = messageList.scrollHeight - messageList.scrollTop - messageList.clientHeight < 48
  })

  // The SDK keeps a conversation's messages in time order: each only gets its key for the list.
  const ordered = (messages) => messages.map((message, index) => ({ message, key: messageKey(message, index) }))

  const renderTyping = (conversation) => {
    const names = (conversation?.isTypingList ?? []).filter((address) => !people.isSelf(address)).map((address) => people.nameOf(address))
    typingLine.textContent =
      names.length === 0 ? '' : names.length === 1 ? `${names[0]} is typing…` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are typing…`
  }

  const renderThread = () => {
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
    reconcile(
      messageList,
      ordered(conversation.getMessages()),
      (entry) => entry.key,
      messageItem,
      (item, entry) => updateMessage(item, entry.message, entry.key, conversation),
    )
    renderTyping(conversation)
    keepBottom()
    if (!document.hidden) markRead(conversation)
  }

  const markRead = (conversation) => {
    for (const message of conversation.getMessages()) if (!isOwn(message) && !message.read && message.messageId) message.markRead()
  }

  /** Opens the conversation with `destination` (creating it when new). */
  const open = (destination, type = chatTypes.ONETOONE, { focus = false } = {}) => {
    stopTyping()
    const conversation = client.conversation.create(destination, { type })
    active = { type: conversation.type, destination: conversation.destination[0] }
    stickToBottom = true
    const key = keyOf(conversation)
    if (conversation.id !== undefined && !fetchedHistory.has(key)) {
      fetchedHistory.add(key)
      conversation.fetchMessages(50)
    }
    clearAttachment()
    renderList()
    renderThread()
    ui.showView('chat')
    if (focus) input.focus()
  }

  // ── Composer ──────────────────────────────────────────────────────────────────────────────
  const canType = () => active !== undefined && active.type !== chatTypes.SMS
  const stopTyping = () => {
    clearTimeout(typingTimer)
    if (typing && canType()) current()?.setIsTyping(false)
    typing = false
  }
  listen(input, 'input', () => {
    if (!canType()) return
    if (input.value === '') return stopTyping()
    if (!typing) {
      typing = true
      current()?.setIsTyping(true)
    }
    clearTimeout(typingTimer)
    typingTimer = setTimeout(stopTyping, typingIdleMs)
  })

  const attachment = $('#attachment')
  const clearAttachment = () => {
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
      return clearAttachment()
    }
    clearAttachment()
    attached = file
    attachedUrl = URL.createObjectURL(file)
    $('#attachment-preview').src = attachedUrl
    $('#attachment-name').textContent = file.name
    attachment.hidden = false
    input.focus()
  })
  listen($('#attachment-remove'), 'click', () => {
    clearAttachment()
    input.focus()
  })

  listen(composer, 'submit', (event) => {
    event.preventDefault()
    const conversation = current()
    const text = input.value.trim()
    if (conversation === undefined || (text === '' && attached === undefined)) return
    // A message needs a text part, also when it carries a file.
    const message = conversation.createMessage({ type: 'text', text: text || attached.name })
    if (attached !== undefined) message.addPart({ type: 'file', file: attached })
    message.send()
    stopTyping()
    input.value = ''
    attached = undefined
    attachInput.value = ''
    attachment.hidden = true
    stickToBottom = true
    input.focus()
  })

  // ── Groups, invitations, SMS ──────────────────────────────────────────────────────────────
  const invitations = $('#invitations')
  const invitationList = $('#invitation-list')
  const renderInvitations = () => {
    const pending = client.groups.getInvitations()
    invitations.hidden = pending.length === 0
    reconcile(
      invitationList,
      pending,
      (invitation) => invitation.id,
      () =>
        h(
          'li',
          { class: 'invitation' },
          h('span', { class: 'invitation-name' }),
          h('span', { class: 'button-row' }, h('button', { type: 'button', class: 'primary small', dataset: { action: 'accept' } }, 'Accept'), h('button', { type: 'button', class: 'secondary small', dataset: { action: 'reject' } }, 'Decline')),
        ),
      (item, invitation) => {
        const name = invitation.name ?? 'a group'
        item.dataset.groupId = invitation.id
        item.querySelector('.invitation-name').textContent = name
        item.querySelector('[data-action=accept]').setAttribute('aria-label', `Accept the invitation to ${name}`)
        item.querySelector('[data-action=reject]').setAttribute('aria-label', `Decline the invitation to ${name}`)
      },
    )
  }
  listen(invitationList, 'click', (event) => {
    const button = event.target.closest('button[data-action]')
    if (button === null) return
    const groupId = button.closest('li').dataset.groupId
    if (button.dataset.action === 'accept') {
      openWhenReady = groupId
      client.groups.acceptInvitation(groupId)
    } else client.groups.rejectInvitation(groupId)
  })

  /** Every group the user belongs to gets a conversation in the list. */
  const syncGroups = () => {
    for (const group of client.groups.getAll())
      if (client.conversation.get(group.id, { type: chatTypes.GROUP }) === undefined) client.conversation.create(group.id, { type: chatTypes.GROUP })
    if (active?.type === chatTypes.GROUP && groupsLoaded && client.groups.get(active.destination) === undefined) active = undefined
    renderInvitations()
    renderList()
    renderThread()
  }

  const groupForm = $('#group-form')
  listen(groupForm, 'submit', (event) => {
    event.preventDefault()
    const name = $('#group-name').value.trim()
    if (name === '') return $('#group-name').focus()
    const participants = [...groupForm.querySelectorAll('input[type=checkbox]:checked')].map((box) => box.value)
    openWhenReady = 'new'
    client.groups.create({ name, participants, type: 'closed' })
  })

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
    open(number, chatTypes.SMS, { focus: true })
  })

  // ── SDK events ────────────────────────────────────────────────────────────────────────────
  const newMessage = ({ destination, type, messageId }) => {
    if (messageId === undefined || messageId === null) return
    const conversation = client.conversation.get(destination[0], { type })
    const message = conversation?.getMessage(messageId)
    if (message === undefined || isOwn(message)) return
    const isActive = active !== undefined && active.type === type && active.destination === destination[0]
    if (!isActive || document.hidden) people.whenNamed(message.sender, (name) => announce(`New message from ${name}: ${textOf(message) || 'an attachment'}`))
  }
  const refresh = () => {
    renderList()
    renderThread()
  }
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
    if (active !== undefined && active.type === type && destination?.[0] === active.destination) renderTyping(current())
  })
  on('group:invitation_received', ({ invitation }) => {
    renderInvitations()
    announce(`You are invited to the group ${invitation?.name ?? ''}`)
  })
  on('group:new', ({ id, error }) => {
    if (error) return showError(`Group: ${errorText(error)}`)
    syncGroups()
    if (openWhenReady === 'new') {
      openWhenReady = undefined
      groupForm.reset()
      $('#new-group').open = false
      open(id, chatTypes.GROUP, { focus: true })
    }
  })
  on('group:change', ({ id, error }) => {
    if (error) return showError(`Group: ${errorText(error)}`)
    syncGroups()
    if (openWhenReady === id && client.groups.get(id) !== undefined) {
      openWhenReady = undefined
      open(id, chatTypes.GROUP, { focus: true })
    }
  })
  on('group:refresh', ({ error }) => {
    if (error) return showError(`Groups: ${errorText(error)}`)
    groupsLoaded = true
    syncGroups()
  })
  on('group:delete', ({ error }) => {
    if (error) return showError(`Group: ${errorText(error)}`)
    syncGroups()
  })
  on('presence:change', ({ userId }) => {
    if (active?.destination === userId) renderHeader(current())
  })
  people.onNames(refresh)
  listen(document, 'visibilitychange', () => {
    if (!document.hidden && current() !== undefined) markRead(current())
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
      stopTyping()
      stopListening()
      clearAttachment()
      objectUrls.forEach((url) => URL.revokeObjectURL(url))
      active = undefined
      list.replaceChildren()
      messageList.replaceChildren()
      invitationList.replaceChildren()
      invitations.hidden = true
      renderHeader(undefined)
      placeholder.hidden = false
      messageList.hidden = true
      composer.hidden = true
      typingLine.textContent = ''
      chatBadge.hidden = true
    },
  }
}
