// People: the directory search (by name, user id or number), each person found with a button to
// add them to the contacts, or to message them once they are a contact.
import { $, avatar, errorText, h, icon, reconcile } from './dom.js'
import { fullName } from './people-model.js'

/** What the typed text searches by: a user id (name@domain), a number (digits, spaces, + ( ) -), else a name. */
const filtersFor = (text) => (text === '' ? {} : text.includes('@') ? { userId: text } : /^[+\d\s()-]+$/.test(text) ? { phoneNumber: text } : { name: text })

const resultItem = () =>
  h(
    'li',
    { class: 'result' },
    h('span', { class: 'avatar' }),
    h('span', { class: 'contact-text' }, h('span', { class: 'contact-name' }), h('span', { class: 'contact-presence mono' })),
    h('button', { type: 'button', class: 'secondary small' }),
  )

/** The contact a directory user becomes when added. */
const contactFrom = (user) => ({
  contactId: user.userId,
  primaryContact: user.userId,
  firstName: user.firstName,
  lastName: user.lastName,
  email: user.emailAddress ?? user.email,
  buddy: true,
})

/** Fills a person found: name, avatar, user id, and a button that adds them or (a contact already) messages them. */
function updateResult(item, user, { contacts, contactOf, chat }) {
  const name = fullName(user) || user.userId
  item.querySelector('.avatar').replaceWith(avatar(name))
  item.querySelector('.contact-name').textContent = name
  item.querySelector('.contact-presence').textContent = user.userId
  const button = item.querySelector('button')
  const already = contactOf(user.userId) !== undefined
  button.replaceChildren(icon(already ? 'chat' : 'user-plus'), h('span', { text: already ? 'Message' : 'Add' }))
  button.setAttribute('aria-label', already ? `Message ${name}` : `Add ${name} to contacts`)
  button.onclick = () => {
    if (contactOf(user.userId) !== undefined) return chat(user.userId)
    contacts.add(contactFrom(user))
  }
}

/**
 * Starts the directory search. `names` tells who is a contact (`contactOf`) and who is the user
 * (`isSelf`, left out of the results); `chat(userId)` messages a contact. Returns `clear()`.
 */
export function startDirectorySearch(client, { contactOf, isSelf }, chat, { on, listen }) {
  const query = $('#directory-query')
  const results = $('#directory-results')
  const status = $('#directory-status')
  let searching = false
  let searched = false
  let lastResults = []
  listen($('#directory-form'), 'submit', (event) => {
    event.preventDefault()
    searching = true
    searched = true
    status.textContent = 'Searching…'
    client.user.search(filtersFor(query.value.trim()), { sortBy: 'lastName', order: 'asc', max: 20 })
  })
  const showResults = (found) => {
    if (!searched) return
    const others = found.filter((user) => !isSelf(user.userId))
    status.textContent = others.length === 0 ? 'Nobody found.' : `${others.length} ${others.length === 1 ? 'person' : 'people'} found.`
    reconcile(results, others, (user) => user.userId, resultItem, (item, user) => updateResult(item, user, { contacts: client.contacts, contactOf, chat }))
  }
  // directory:change also brings the users the names asked about: only a search's own results replace the list.
  on('directory:change', ({ results: found }) => {
    if (searching) {
      searching = false
      lastResults = found ?? []
    }
    showResults(lastResults)
  })
  on('contacts:change', () => showResults(lastResults))
  on('directory:error', ({ error }) => {
    if (searching) status.textContent = `Search failed: ${errorText(error)}`
    searching = false
  })
  return {
    /** Empties the results, the status line and the field (signed out). */
    clear: () => {
      results.replaceChildren()
      status.textContent = ''
      query.value = ''
      searched = false
      lastResults = []
    },
  }
}
