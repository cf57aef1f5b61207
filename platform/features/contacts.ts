import type { PlatformContext } from '../context.js'
import { notFound, serviceError } from '../context.js'
import { ContactRequest, defaultContactList, type Attribute, type WireContact } from '../../streams/contacts/codecs.js'

interface ContactsData {
  /** By owner userId: the owner's contacts in the order they were added. */
  readonly books: Record<string, WireContact[]>
}

/** The contacts of a user (read by the directory for `buddy`). */
export function addressBook(ctx: PlatformContext, userId: string): readonly WireContact[] {
  const { books } = ctx.persisted<ContactsData>('contacts', () => ({ books: {} })).value
  return Object.hasOwn(books, userId) ? books[userId]! : []
}

/** The stored attributes: `contactId` never among them, `list` defaulting to `friends` and `buddy` to `false`. */
const stored = (attributes: readonly Attribute[]): Attribute[] => {
  const kept = attributes.filter(({ name }) => name !== 'contactId')
  const has = (name: string): boolean => kept.some((attribute) => attribute.name === name)
  return [...kept, ...(has('list') ? [] : [{ name: 'list', value: defaultContactList }]), ...(has('buddy') ? [] : [{ name: 'buddy', value: 'false' }])]
}

const invalid = (part: string) => serviceError(400, 'SVC0002', 'Invalid input value for message part %1', [part])

/**
 * The personal address book (`protocol/presence-groups-users.md` §3), one per user, persisted:
 * add (409 on a duplicate `contactId`), update, remove (404 when unknown), fetch one, list all.
 */
export function contactsFeature(ctx: PlatformContext): void {
  const store = ctx.persisted<ContactsData>('contacts', () => ({ books: {} }))
  const { books } = store.value
  const bookOf = (userId: string): WireContact[] => {
    if (!Object.hasOwn(books, userId)) books[userId] = []
    return books[userId]!
  }
  const collection = '/cpaas/addressbook/:version/:userId/default/contacts'

  ctx.route('POST', collection, { body: ContactRequest }, ({ body, user }) => {
    const { contactId, attributeList } = body.contact
    if (contactId === undefined || contactId.trim() === '' || contactId.includes('/')) return invalid('contact.contactId')
    const primary = attributeList.attribute.find(({ name }) => name === 'primaryContact')
    if (primary === undefined || primary.value.trim() === '') return invalid('primaryContact')
    const book = bookOf(user.userId)
    if (book.some((contact) => contact.contactId === contactId)) {
      return serviceError(409, 'SVC0003', 'Invalid input value for message part %1: %2', ['contact.contactId', `${contactId} already exists`])
    }
    const contact: WireContact = { contactId, attributeList: { attribute: stored(attributeList.attribute) } }
    book.push(contact)
    store.save()
    return { status: 201, body: { contact } }
  })

  ctx.route('GET', collection, {}, ({ user }) => ({ status: 200, body: { contactCollection: { contact: bookOf(user.userId) } } }))

  ctx.route('GET', `${collection}/:contactId`, {}, ({ user, params }) => {
    const contact = bookOf(user.userId).find((known) => known.contactId === params.contactId)
    return contact === undefined ? notFound(params.contactId!) : { status: 200, body: { contact } }
  })

  ctx.route('PUT', `${collection}/:contactId`, { body: ContactRequest }, ({ body, user, params }) => {
    const book = bookOf(user.userId)
    const index = book.findIndex((known) => known.contactId === params.contactId)
    if (index < 0) return notFound(params.contactId!)
    if (body.contact.contactId !== undefined && body.contact.contactId !== params.contactId) return invalid('contact.contactId')
    const attributes = body.contact.attributeList.attribute
    // An update may leave primaryContact out: the stored one is kept.
    const primary = attributes.some(({ name }) => name === 'primaryContact')
      ? []
      : book[index]!.attributeList.attribute.filter(({ name }) => name === 'primaryContact')
    const contact: WireContact = { contactId: params.contactId!, attributeList: { attribute: stored([...primary, ...attributes]) } }
    book[index] = contact
    store.save()
    return { status: 200, body: { contact } }
  })

  ctx.route('DELETE', `${collection}/:contactId`, {}, ({ user, params }) => {
    const book = bookOf(user.userId)
    const index = book.findIndex((known) => known.contactId === params.contactId)
    if (index < 0) return notFound(params.contactId!)
    book.splice(index, 1)
    store.save()
    return { status: 204 }
  })
}
