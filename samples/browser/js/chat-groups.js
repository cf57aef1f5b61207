// Chat: groups: the invitations to accept or decline, the form that creates a group with some
// of the user's contacts, and a conversation for every group the user is in.
import { $, h, reconcile } from './dom.js'

const invitationItem = () =>
  h(
    'li',
    { class: 'invitation' },
    h('span', { class: 'invitation-name' }),
    h(
      'span',
      { class: 'button-row' },
      h('button', { type: 'button', class: 'primary small', dataset: { action: 'accept' } }, 'Accept'),
      h('button', { type: 'button', class: 'secondary small', dataset: { action: 'reject' } }, 'Decline'),
    ),
  )

const updateInvitation = (item, invitation) => {
  const name = invitation.name ?? 'a group'
  item.dataset.groupId = invitation.id
  item.querySelector('.invitation-name').textContent = name
  item.querySelector('[data-action=accept]').setAttribute('aria-label', `Accept the invitation to ${name}`)
  item.querySelector('[data-action=reject]').setAttribute('aria-label', `Decline the invitation to ${name}`)
}

/** The pending group invitations; `onAccept(groupId)` runs just before one is accepted. */
function createInvitations(groups, { listen, onAccept }) {
  const invitations = $('#invitations')
  const invitationList = $('#invitation-list')
  listen(invitationList, 'click', (event) => {
    const button = event.target.closest('button[data-action]')
    if (button === null) return
    const groupId = button.closest('li').dataset.groupId
    if (button.dataset.action === 'accept') {
      onAccept(groupId)
      groups.acceptInvitation(groupId)
    } else groups.rejectInvitation(groupId)
  })
  return {
    render: () => {
      const pending = groups.getInvitations()
      invitations.hidden = pending.length === 0
      reconcile(invitationList, pending, (invitation) => invitation.id, invitationItem, updateInvitation)
    },
    /** Empties and hides the invitations (signed out). */
    clear: () => {
      invitationList.replaceChildren()
      invitations.hidden = true
    },
  }
}

/** The new-group form; `onCreate()` runs just before the group is asked for. Returns its `done()`. */
function startGroupForm(groups, { listen, onCreate }) {
  const groupForm = $('#group-form')
  listen(groupForm, 'submit', (event) => {
    event.preventDefault()
    const name = $('#group-name').value.trim()
    if (name === '') return $('#group-name').focus()
    const participants = [...groupForm.querySelectorAll('input[type=checkbox]:checked')].map((box) => box.value)
    onCreate()
    groups.create({ name, participants, type: 'closed' })
  })
  /** Resets and closes the form once the group it asked for exists. */
  return () => {
    groupForm.reset()
    $('#new-group').open = false
  }
}

/**
 * Group chats: every group the user belongs to gets a conversation, a group the user just created
 * or accepted opens once it exists. `open(id)` opens a group's conversation, `forgetGoneGroup()`
 * closes the open one if the user is no longer in it, `refresh()` renders the chat again.
 */
export function startGroupChats(client, { listen, open, forgetGoneGroup, refresh }) {
  const { chatTypes } = client.conversation
  let loaded = false
  let openWhenReady // a group id to open once its conversation exists
  const invitations = createInvitations(client.groups, { listen, onAccept: (groupId) => (openWhenReady = groupId) })
  const formDone = startGroupForm(client.groups, { listen, onCreate: () => (openWhenReady = 'new') })

  const sync = () => {
    for (const group of client.groups.getAll())
      if (client.conversation.get(group.id, { type: chatTypes.GROUP }) === undefined) client.conversation.create(group.id, { type: chatTypes.GROUP })
    if (loaded) forgetGoneGroup()
    invitations.render()
    refresh()
  }
  return {
    invitations,
    sync,
    /** True once the platform's groups are in: a group conversation without its group is then gone. */
    loaded: () => loaded,
    /** The first list of groups came in. */
    refreshed: () => {
      loaded = true
      sync()
    },
    /** A group was created: opens it if the user just made it. */
    created: (id) => {
      sync()
      if (openWhenReady !== 'new') return
      openWhenReady = undefined
      formDone()
      open(id)
    },
    /** A group changed: opens it if the user just accepted its invitation and is now in it. */
    changed: (id) => {
      sync()
      if (openWhenReady !== id || client.groups.get(id) === undefined) return
      openWhenReady = undefined
      open(id)
    },
  }
}
