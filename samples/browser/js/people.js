// People: who is who (names for addresses), the contact list with live presence, the directory
// search that adds contacts, and the user's own presence.
import { displayAddress } from './address.js'
import { $, announce, avatar, errorText, h, icon, reconcile, showError } from './dom.js'
import { listenerScope } from './listeners.js'
import { presenceOf } from './presence.js'

/** The choices of the own-status menu: value → status, activity. */
function statusChoices(client) {
  const { statuses, activities } = client.presence
  return [
    { value: 'available', label: 'Available', status: statuses.OPEN, activity: activities.AVAILABLE },
    { value: 'busy', label: 'Busy', status: statuses.OPEN, activity: activities.BUSY },
    { value: 'phone', label: 'On the phone', status: statuses.OPEN, activity: activities.ON_THE_PHONE },
    { value: 'lunch', label: 'At lunch', status: statuses.OPEN, activity: activities.LUNCH },
    { value: 'vacation', label: 'On vacation', status: statuses.OPEN, activity: activities.VACATION },
    { value: 'offline', label: 'Appear offline', status: statuses.CLOSED, activity: activities.AVAILABLE },
  ]
}

const fullName = (record) => [record?.firstName, record?.lastName].filter((part) => typeof part === 'string' && part.trim() !== '').join(' ')

const phoneFields = ['phoneNumber', 'homePhoneNumber', 'businessPhoneNumber', 'mobilePhoneNumber']
const digits = (text) => String(text).replace(/\D/g, '')

/**
 * Starts the people part of the page for a signed-in client. `actions` are what contact buttons
 * do (`chat(userId)`, `call(userId, video)`); `onNames()` is called when names may have changed.
 */
export function startPeople(client, self, actions) {
  const { on, stop: stopListening } = listenerScope(client)
  const nameListeners = new Set()
  const watched = new Set()
  const fetched = new Set()
  let presenceReady = false
  let searching = false
  let searched = false

  const contacts = () => Object.values(client.contacts.getAll()).filter((contact) => typeof contact.primaryContact === 'string')
  const contactOf = (address) => {
    const wanted = String(address).toLowerCase()
    return contacts().find(
      (contact) => String(contact.primaryContact).toLowerCase() === wanted || phoneFields.some((field) => contact[field] && digits(contact[field]) === digits(address) && digits(address) !== ''),
    )
  }
  const userOf = (address) => {
    const byId = client.user.get(address)
    if (byId !== undefined) return byId
    const number = digits(address)
    if (number === '' || /[a-z@]/i.test(address)) return undefined
    return client.user.getAll().find((user) => phoneFields.some((field) => user[field] && digits(user[field]) === number))
  }
  const isSelf = (address) => self.addresses.has(String(address).toLowerCase())

  /** A display name for a user id or number: contact, then directory, then the address itself. */
  const nameOf = (given) => {
    if (given === undefined || given === null || given === '') return 'Unknown'
    const address = displayAddress(given)
    if (isSelf(address)) return self.name || 'You'
    const known = fullName(contactOf(address)) || fullName(userOf(address))
    if (known) return known
    learn(address)
    return address
  }

  /** Asks the directory once about an unknown user id or number (directory:change re-renders). */
  const learnable = (address) => String(address).includes('@') || digits(address).length >= 3
  const learn = (address) => {
    if (fetched.has(address) || !learnable(address)) return
    fetched.add(address)
    if (String(address).includes('@')) client.user.fetch(address)
    else client.user.search({ phoneNumber: String(address) }, { max: 1 })
  }

  /** Calls `then(name)` once the address has a name, or after a short wait when the directory does not know it. */
  const whenNamed = (address, then) => {
    const known = () => isSelf(address) || fullName(contactOf(address)) || fullName(userOf(address))
    if (known() || !learnable(address)) return then(nameOf(address))
    learn(address)
    let done = false
    const finish = () => {
      if (done) return
      done = true
      nameListeners.delete(check)
      clearTimeout(timer)
      then(nameOf(address))
    }
    const check = () => {
      if (known()) finish()
    }
    const timer = setTimeout(finish, 1500)
    nameListeners.add(check)
  }

  const namesChanged = () => nameListeners.forEach((listener) => listener())

  // ── Own presence ───────────────────────────────────────────────────────────────────────────
  const statusSelect = $('#my-status')
  const statusDot = $('#my-status-dot')
  const choices = statusChoices(client)
  statusSelect.replaceChildren(...choices.map((choice) => h('option', { value: choice.value, text: choice.label })))
  const showSelf = () => {
    const own = client.presence.getSelf()
    const choice = choices.find((candidate) => candidate.status === own.status && (candidate.status === client.presence.statuses.CLOSED || candidate.activity === own.activity))
    if (choice !== undefined) statusSelect.value = choice.value
    statusDot.dataset.presence = presenceOf(own).key
  }
  const onStatusChange = () => {
    const choice = choices.find((candidate) => candidate.value === statusSelect.value)
    if (choice !== undefined) client.presence.update(choice.status, choice.activity)
  }
  statusSelect.addEventListener('change', onStatusChange)
  on('presence:selfChange', showSelf)

  // ── Contacts ───────────────────────────────────────────────────────────────────────────────
  const list = $('#contact-list')
  const empty = $('#contacts-empty')

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
  const updateContactRow = (row, contact) => {
    const userId = contact.primaryContact
    const name = fullName(contact) || userId
    const presence = presenceOf(client.presence.get(userId)[0])
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
  const renderContacts = () => {
    const all = contacts().sort((a, b) => (fullName(a) || a.primaryContact).localeCompare(fullName(b) || b.primaryContact))
    reconcile(list, all, (contact) => contact.contactId, contactRow, updateContactRow)
    empty.hidden = all.length > 0
    renderGroupChoices(all)
  }
  const onContactClick = (event) => {
    const button = event.target.closest('button[data-action]')
    if (button === null) return
    const row = button.closest('li')
    const userId = row.dataset.userId
    switch (button.dataset.action) {
      case 'chat':
        return actions.chat(userId)
      case 'audio':
        return actions.call(userId, false)
      case 'video':
        return actions.call(userId, true)
      case 'remove': {
        const contact = contacts().find((candidate) => candidate.primaryContact === userId)
        if (contact === undefined) return
        client.contacts.remove(contact.contactId)
        if (watched.delete(userId) && presenceReady) client.presence.unsubscribe(userId)
        announce(`${fullName(contact) || userId} removed from contacts`)
      }
    }
  }
  list.addEventListener('click', onContactClick)

  /** Watches the presence of every contact not watched yet (needs the presence service). */
  const watchContacts = () => {
    if (!presenceReady) return
    const fresh = contacts()
      .map((contact) => contact.primaryContact)
      .filter((userId) => !watched.has(userId))
    if (fresh.length === 0) return
    fresh.forEach((userId) => watched.add(userId))
    client.presence.subscribe(fresh)
  }

  // The group form lists contacts to invite.
  const memberBox = $('#group-members')
  const renderGroupChoices = (all) => {
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

  on('contacts:change', () => {
    renderContacts()
    watchContacts()
    namesChanged()
  })
  on('contacts:new', (contact) => announce(`${fullName(contact) || contact.primaryContact} added to contacts`))
  on('contacts:error', ({ error }) => showError(`Contacts: ${errorText(error)}`))
  on('presence:change', renderContacts)
  on('presence:error', ({ error }) => {
    showError(`Presence: ${errorText(error)}`)
    showSelf()
  })

  // ── Directory search ──────────────────────────────────────────────────────────────────────
  const form = $('#directory-form')
  const query = $('#directory-query')
  const results = $('#directory-results')
  const status = $('#directory-status')
  const search = (event) => {
    event.preventDefault()
    const text = query.value.trim()
    const filters = text === '' ? {} : text.includes('@') ? { userId: text } : /^[+\d\s()-]+$/.test(text) ? { phoneNumber: text } : { name: text }
    searching = true
    searched = true
    status.textContent = 'Searching…'
    client.user.search(filters, { sortBy: 'lastName', order: 'asc', max: 20 })
  }
  form.addEventListener('submit', search)
  const showResults = (found) => {
    if (!searched) return
    const others = found.filter((user) => !isSelf(user.userId))
    status.textContent = others.length === 0 ? 'Nobody found.' : `${others.length} ${others.length === 1 ? 'person' : 'people'} found.`
    reconcile(
      results,
      others,
      (user) => user.userId,
      () => h('li', { class: 'result' }, h('span', { class: 'avatar' }), h('span', { class: 'contact-text' }, h('span', { class: 'contact-name' }), h('span', { class: 'contact-presence mono' })), h('button', { type: 'button', class: 'secondary small' })),
      (item, user) => {
        const name = fullName(user) || user.userId
        item.querySelector('.avatar').replaceWith(avatar(name))
        item.querySelector('.contact-name').textContent = name
        item.querySelector('.contact-presence').textContent = user.userId
        const button = item.querySelector('button')
        const already = contactOf(user.userId) !== undefined
        button.replaceChildren(icon(already ? 'chat' : 'user-plus'), h('span', { text: already ? 'Message' : 'Add' }))
        button.setAttribute('aria-label', already ? `Message ${name}` : `Add ${name} to contacts`)
        button.onclick = () => {
          if (contactOf(user.userId) !== undefined) return actions.chat(user.userId)
          client.contacts.add({
            contactId: user.userId,
            primaryContact: user.userId,
            firstName: user.firstName,
            lastName: user.lastName,
            email: user.emailAddress ?? user.email,
            buddy: true,
          })
        }
      },
    )
  }
  let lastResults = []
  on('directory:change', ({ results: found }) => {
    if (searching) {
      searching = false
      lastResults = found ?? []
    }
    showResults(lastResults)
    namesChanged()
  })
  on('contacts:change', () => showResults(lastResults))
  on('directory:error', ({ error }) => {
    if (searching) status.textContent = `Search failed: ${errorText(error)}`
    searching = false
  })

  renderContacts()
  return {
    nameOf,
    whenNamed,
    contactOf,
    isSelf,
    onNames: (listener) => nameListeners.add(listener),
    /** The presence service is subscribed: publish own presence and watch the contacts. */
    presenceReady: () => {
      presenceReady = true
      watchContacts()
    },
    /** Shows the own presence as the platform has it (after sign-in). */
    showSelf,
    stop: () => {
      stopListening()
      statusSelect.removeEventListener('change', onStatusChange)
      form.removeEventListener('submit', search)
      list.removeEventListener('click', onContactClick)
      list.replaceChildren()
      results.replaceChildren()
      memberBox.replaceChildren()
      status.textContent = ''
      query.value = ''
      searched = false
      lastResults = []
    },
  }
}
