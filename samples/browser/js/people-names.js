// People: a name for every user id or number the page shows (the user, a contact, a directory
// user), asking the directory once about an address nobody has named yet.
import { displayAddress } from './address.js'
import { digits, findContact, findUser, fullName } from './people-model.js'

const nameWaitMs = 1500

/** Whether the directory can be asked about an address: a user id, or a number of 3 digits or more. */
const learnable = (address) => String(address).includes('@') || digits(address).length >= 3

/**
 * Names for addresses. `self` is `{ name, addresses }` (lower case). `changed()` is to be
 * called when names may have changed (contacts or directory); `onNames(listener)` hears it.
 */
export function createNames(client, self) {
  const listeners = new Set()
  const fetched = new Set()
  const contactOf = (address) => findContact(client.contacts, address)
  const isSelf = (address) => self.addresses.has(String(address).toLowerCase())
  const knownName = (address) => fullName(contactOf(address)) || fullName(findUser(client.user, address))

  /** Asks the directory once about an unknown user id or number (directory:change re-renders). */
  const learn = (address) => {
    if (fetched.has(address) || !learnable(address)) return
    fetched.add(address)
    if (String(address).includes('@')) client.user.fetch(address)
    else client.user.search({ phoneNumber: String(address) }, { max: 1 })
  }

  /** A display name for a user id or number: contact, then directory, then the address itself. */
  const nameOf = (given) => {
    if (given === undefined || given === null || given === '') return 'Unknown'
    const address = displayAddress(given)
    if (isSelf(address)) return self.name || 'You'
    const known = knownName(address)
    if (known) return known
    learn(address)
    return address
  }

  /** Calls `then(name)` once the address has a name, or after a short wait when the directory does not know it. */
  const whenNamed = (address, then) => {
    const known = () => isSelf(address) || knownName(address)
    if (known() || !learnable(address)) return then(nameOf(address))
    learn(address)
    onceKnown(known, listeners, () => then(nameOf(address)))
  }

  return {
    nameOf,
    whenNamed,
    contactOf,
    isSelf,
    onNames: (listener) => listeners.add(listener),
    changed: () => listeners.forEach((listener) => listener()),
  }
}

/** Calls `then()` once, as soon as `known()` holds when names change, or after the wait. */
function onceKnown(known, listeners, then) {
  let done = false
  const finish = () => {
    if (done) return
    done = true
    listeners.delete(check)
    clearTimeout(timer)
    then()
  }
  const check = () => {
    if (known()) finish()
  }
  const timer = setTimeout(finish, nameWaitMs)
  listeners.add(check)
}
