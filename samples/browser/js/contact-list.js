// People: the contact list, each contact with a presence dot and buttons to message, call and
// remove them; the watch on the contacts' presence; the contacts offered in the new-group form.
import { $, announce, avatar, errorText, h, icon, reconcile, showError } from './dom.js'
import { contactsOf, fullName } from './people-model.js'
import { presenceOf } from './presence.js'

const contactRow = () => {
  const row = h('li', { class: 'contact' })
  row.append(
    h('span', { class: 'avatar-wrap' }, h('span', { class: 'avatar' }), h('span', { class: 'presence-dot', 'aria-hidden': 'true' })),
    h('span', { class: 'contact-text' }, h('span', { class: 'contact-name' }), h('span', { class: 'contact-presence' })),
    h(
      'span',
      { class: 'contact-actions' },
      h('button', { type: 'button', class: 'icon-button', dataset: { action: 'chat' } }, icon('chat')),
      h('button', { type: 'button', class: 'icon-button', dataset: { action: 'audio' } }, icon('phone')),
      h('button', { type: 'button', class: 'icon-button', dataset: { action: 'video' } }, icon('video')),
      h('button', { type: 'button', class: 'icon-button subtle', dataset: { action: 'remove' } }, icon('trash')),
    ),
  )
  return row
}

/** Fills a contact's row: name, avatar, presence in words and as the dot's colour, button labels. */
function updateContactRow(row, contact, presenceEntry) {
  const userId = contact.primaryContact
  const name = fullName(contact) || userId
  const presence = presenceOf(presenceEntry)
  row.dataset.userId = userId
  row.dataset.presence = presence.key
  const face = avatar(name)
  row.querySelector('.avatar').replaceWith(face)
  row.querySelector('.contact-name').textContent = name
  row.querySelector('.contact-presence').textContent = presence.label
  const labels = { chat: `Message ${name}`, audio: `Audio call ${name}`, video: `Video call ${name}`, remove: `Remove ${name} from contacts` }
  for (const button of row.querySelectorAll('button')) {
    button.setAttribute('aria-label', labels[button.dataset.action])
    button.title = labels[button.dataset.action]
  }
}

/** The new-group form lists the contacts to invite, one checkbox each. */
function renderInviteChoices(memberBox, all) {
  reconcile(
    memberBox,
    all,
    (contact) => contact.contactId,
    (contact) => {
      const id = `invite-${contact.contactId.replace(/[^a-z0-9]/gi, '-')}`
      return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, value: contact.primaryContact }), h('label', { for: id }))
    },
    (row, contact) => {
      row.querySelector('label').textContent = fullName(contact) || contact.primaryContact
    },
  )
  $('#group-members-empty').hidden = all.length > 0
}

/**
 * Watches the presence of every contact once the presence service is subscribed (`ready()`):
 * `watchNew()` after contacts change, `forget(userId)` when one is removed.
 */
export function watchContactPresence(presence, contacts) {
  const watched = new Set()
  let ready = false
  const watchNew = () => {
    if (!ready) return
    const fresh = contactsOf(contacts)
      .map((contact) => contact.primaryContact)
      .filter((userId) => !watched.has(userId))
    if (fresh.length === 0) return
    fresh.forEach((userId) => watched.add(userId))
    presence.subscribe(fresh)
  }
  return {
    watchNew,
    ready: () => {
      ready = true
      watchNew()
    },
    forget: (userId) => {
      if (watched.delete(userId) && ready) presence.unsubscribe(userId)
    },
  }
}

/**
 * The contact list. `actions` are what its buttons do (`chat(userId)`, `call(userId, video)`);
 * `forget(userId)` stops watching a removed contact's presence. Returns `render()` and `clear()`.
 */
export function createContactList(client, { actions, forget }, { on, listen }) {
  const list = $('#contact-list')
  const empty = $('#contacts-empty')
  const memberBox = $('#group-members')
  const remove = (userId) => {
    const contact = contactsOf(client.contacts).find((candidate) => candidate.primaryContact === userId)
    if (contact === undefined) return
    client.contacts.remove(contact.contactId)
    forget(userId)
    announce(`${fullName(contact) || userId} removed from contacts`)
  }
  listen(list, 'click', (event) => {
    const button = event.target.closest('button[data-action]')
    if (button === null) return
    const userId = button.closest('li').dataset.userId
    switch (button.dataset.action) {
      case 'chat':
        return actions.chat(userId)
      case 'audio':
        return actions.call(userId, false)
      case 'video':
        return actions.call(userId, true)
      case 'remove':
        return remove(userId)
    }
  })
  on('contacts:new', (contact) => announce(`${fullName(contact) || contact.primaryContact} added to contacts`))
  on('contacts:error', ({ error }) => showError(`Contacts: ${errorText(error)}`))
  return {
    render: () => {
      const all = contactsOf(client.contacts).sort((a, b) => (fullName(a) || a.primaryContact).localeCompare(fullName(b) || b.primaryContact))
      reconcile(list, all, (contact) => contact.contactId, contactRow, (row, contact) => updateContactRow(row, contact, client.presence.get(contact.primaryContact)[0]))
      empty.hidden = all.length > 0
      renderInviteChoices(memberBox, all)
    },
    /** Empties the list and the group form's choices (signed out). */
    clear: () => {
      list.replaceChildren()
      memberBox.replaceChildren()
    },
  }
}
