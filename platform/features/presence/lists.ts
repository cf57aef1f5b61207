import type { Account, PlatformContext } from '../../context.js'
import { notFound } from '../../context.js'
import { CreatePresenceListRequest, PresenceContactRequest } from '../../../streams/presence/codecs.js'
import type { PresenceBook, StoredList } from './book.js'
import type { Watching } from './watching.js'
import { entries, presenceRoot } from './wire.js'

const listURL = (user: Account, list: StoredList): string => `${presenceRoot(user)}/presenceLists/${list.id}`

const listBody = (user: Account, list: StoredList) => ({
  resourceURL: listURL(user, list),
  'x-listName': list.name,
  presenceContact: list.contacts.map((presentityUserId) => ({ presentityUserId })),
})

/** Presence lists (§1.3): create, list, read, delete (its subscriptions go with it). */
export function listRoutes(ctx: PlatformContext, book: PresenceBook, watching: Watching): void {
  const lists = '/cpaas/presence/:version/:userId/presenceLists'
  ctx.route('GET', lists, {}, ({ user }) => {
    const presenceList = book.listsOf(user.userId).map((list) => ({ resourceURL: listURL(user, list), 'x-listName': list.name }))
    return { status: 200, body: { presenceListCollection: { presenceList } } }
  })

  ctx.route('POST', lists, { body: CreatePresenceListRequest }, ({ body, user }) => {
    const list: StoredList = {
      id: ctx.id(),
      name: body.presenceList['x-listName'] ?? 'myList',
      contacts: entries((body.presenceList.presenceContact ?? []).map((contact) => contact.presentityUserId)),
    }
    book.addList(user.userId, list)
    return { status: 201, body: { presenceList: listBody(user, list) } }
  })

  ctx.route('GET', `${lists}/:listId`, {}, ({ user, params }) => {
    const list = book.listOf(user.userId, params.listId!)
    return list === undefined ? notFound(params.listId!) : { status: 200, body: { presenceList: listBody(user, list) } }
  })

  ctx.route('DELETE', `${lists}/:listId`, {}, ({ user, params }) => {
    const list = book.listOf(user.userId, params.listId!)
    if (list === undefined) return notFound(params.listId!)
    book.deleteList(user.userId, list)
    watching.dropList(user.userId, list.id)
    return { status: 204 }
  })
}

/** The watched users of a list (§1.5): added ones are notified at once to a subscribed watcher. */
export function listContactRoutes(ctx: PlatformContext, book: PresenceBook, watching: Watching): void {
  const contact = '/cpaas/presence/:version/:userId/presenceLists/:listId/presenceContacts/:presentity'
  ctx.route('PUT', contact, { body: PresenceContactRequest }, ({ body, user, params }) => {
    const list = book.listOf(user.userId, params.listId!)
    if (list === undefined) return notFound(params.listId!)
    const added = entries(params.presentity!)
    const fresh = book.addEntries(user.userId, list, added)
    // The watcher gets each added user's current presence at once (§1.5), if the list is subscribed.
    if (watching.subscribedLists(user.userId).has(list.id)) for (const entry of added) watching.notify(user.userId, entry)
    return { status: fresh.length > 0 ? 201 : 200, body: { presenceContact: { presentityUserId: body.presenceContact.presentityUserId } } }
  })

  ctx.route('DELETE', contact, {}, ({ user, params }) => {
    const list = book.listOf(user.userId, params.listId!)
    if (list === undefined) return notFound(params.listId!)
    const removed = [...new Set(entries(params.presentity!).flatMap((entry) => book.heldAs(list, entry) ?? []))]
    if (removed.length === 0) return notFound(params.presentity!)
    book.removeEntries(user.userId, list, removed)
    return { status: 204 }
  })
}
