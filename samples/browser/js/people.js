// People: who is who (names for addresses), the contact list with live presence, the directory
// search that adds contacts, and the user's own presence. This module ties its parts together:
//   people-model.js     full names, the contacts with a user id, the contact or user of an address
//   people-names.js     a name for every address, asked of the directory when unknown
//   people-status.js    the own-status picker
//   contact-list.js     the contacts with their presence, the watch on it, the new-group form's choices
//   directory-search.js the directory search that adds contacts
import { createContactList, watchContactPresence } from './contact-list.js'
import { startDirectorySearch } from './directory-search.js'
import { listenerScope } from './listeners.js'
import { createNames } from './people-names.js'
import { startOwnStatus } from './people-status.js'

/**
 * Starts the people part of the page for a signed-in client. `actions` are what contact buttons
 * do (`chat(userId)`, `call(userId, video)`); `onNames(listener)` hears when names may have changed.
 */
export function startPeople(client, self, actions) {
  const scope = listenerScope(client)
  const { on } = scope
  const names = createNames(client, self)
  const showSelf = startOwnStatus(client.presence, scope)
  const watch = watchContactPresence(client.presence, client.contacts)
  const contactList = createContactList(client, { actions, forget: watch.forget }, scope)
  on('contacts:change', () => {
    contactList.render()
    watch.watchNew()
    names.changed()
  })
  on('presence:change', contactList.render)
  const directory = startDirectorySearch(client, names, actions.chat, scope)
  // A search, or an address the names asked about, may have brought names.
  on('directory:change', names.changed)

  contactList.render()
  return {
    nameOf: names.nameOf,
    whenNamed: names.whenNamed,
    contactOf: names.contactOf,
    isSelf: names.isSelf,
    onNames: names.onNames,
    /** The presence service is subscribed: watch the contacts' presence. */
    presenceReady: watch.ready,
    /** Shows the own presence as the platform has it (after sign-in). */
    showSelf,
    stop: () => {
      scope.stop()
      contactList.clear()
      directory.clear()
    },
  }
}
