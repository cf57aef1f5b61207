import type { Account, PlatformContext } from '../context.js'
import { notFound, serviceError } from '../context.js'
import { searchFilters } from '../../streams/users/codecs.js'
import { addressBook } from './contacts.js'

const invalid = (part: string) => serviceError(400, 'SVC0002', 'Invalid input value for message part %1', [part])

const localPart = (id: string): string => id.split('@')[0] ?? id
const digits = (text: string): string => text.replace(/\D/g, '')
const contains = (value: string, query: string): boolean => value.toLowerCase().includes(query.toLowerCase())

/** What each sort key reads of an account: `userId` is the address the results name the user by (`primaryContact`), not the opaque id. */
const sortValue: Readonly<Record<(typeof searchFilters)[number], (account: Account) => string>> = {
  userId: (account) => account.identity,
  name: (account) => `${account.firstName} ${account.lastName}`,
  firstName: (account) => account.firstName,
  lastName: (account) => account.lastName,
  userName: (account) => localPart(account.identity),
  phoneNumber: (account) => account.phoneNumber,
}

/** Paging tokens are opaque to clients: `p<offset>`. */
const pageToken = /^p(\d{1,9})$/

/**
 * Directory search (`protocol/presence-groups-users.md` §4): the accounts filtered by name,
 * firstName, lastName, userName (full id or local part) and phoneNumber (any phone field, by
 * digits), case-insensitive substrings; an exact userName match first; sorted by `sortBy` in
 * `order`; `max` per page with a `next` token for the rest.
 */
export function directoryFeature(ctx: PlatformContext): void {
  ctx.route('GET', '/cpaas/directory/:version/:userId/:directoryId/search', {}, ({ user, params, query }) => {
    if (params.directoryId !== 'default') return notFound(params.directoryId!)
    const one = (key: string): string | undefined => query.get(key) ?? undefined
    const name = one('name')
    const firstName = one('firstName')
    const lastName = one('lastName')
    const userName = one('userName')
    const phoneNumber = one('phoneNumber')
    const sortBy = one('sortBy')
    const order = one('order') ?? 'asc'
    const max = one('max')
    const next = one('next')

    if (sortBy !== undefined && !(searchFilters as readonly string[]).includes(sortBy)) return invalid('sortBy')
    if (order !== 'asc' && order !== 'desc') return invalid('order')
    if (max !== undefined && !/^[1-9]\d{0,5}$/.test(max)) return invalid('max')
    const offsetMatch = next === undefined ? undefined : pageToken.exec(next)
    if (next !== undefined && offsetMatch === null) return invalid('next')
    if (phoneNumber !== undefined && digits(phoneNumber) === '') return invalid('phoneNumber')

    const matches = ctx.accounts.all().filter(
      (account) =>
        (name === undefined || contains(account.firstName, name) || contains(account.lastName, name) || contains(`${account.firstName} ${account.lastName}`, name)) &&
        (firstName === undefined || contains(account.firstName, firstName)) &&
        (lastName === undefined || contains(account.lastName, lastName)) &&
        (userName === undefined || contains(account.userId, userName) || contains(account.identity, userName)) &&
        (phoneNumber === undefined || digits(account.phoneNumber).includes(digits(phoneNumber))),
    )
    const exact = (account: Account): boolean =>
      userName !== undefined && [account.userId, account.identity, localPart(account.identity)].some((id) => id.toLowerCase() === userName.toLowerCase())
    const key = sortValue[(sortBy ?? 'userId') as keyof typeof sortValue]
    const direction = order === 'desc' ? -1 : 1
    matches.sort(
      (a, b) =>
        Number(exact(b)) - Number(exact(a)) ||
        direction * key(a).localeCompare(key(b), 'en', { sensitivity: 'base' }) ||
        direction * a.userId.localeCompare(b.userId),
    )

    const offset = offsetMatch === undefined || offsetMatch === null ? 0 : Number(offsetMatch[1])
    const size = max === undefined ? matches.length : Number(max)
    const page = matches.slice(offset, offset + size)
    const more = offset + size < matches.length
    const buddies = new Set(
      addressBook(ctx, user.userId)
        .filter((contact) => contact.attributeList.attribute.some(({ name: field, value }) => field === 'buddy' && value === 'true'))
        .flatMap((contact) => contact.attributeList.attribute.filter(({ name: field }) => field === 'primaryContact').map(({ value }) => ctx.accounts.find(value)?.userId ?? value)),
    )

    return {
      status: 200,
      body: {
        directoryItemList: {
          directoryItem: page.map((account) => ({
            attribute: [
              // The public address (as in the example of §4.2): what the SDK makes the user's userId, and what calls, chats and fetches reach.
              { name: 'primaryContact', value: account.identity },
              { name: 'firstName', value: account.firstName },
              { name: 'lastName', value: account.lastName },
              { name: 'emailAddress', value: account.email },
              { name: 'userName', value: localPart(account.identity) },
              { name: 'businessPhoneNumber', value: account.phoneNumber },
              { name: 'buddy', value: String(buddies.has(account.userId)) },
            ],
          })),
          ...(more ? { next: `p${offset + size}` } : {}),
        },
      },
    }
  })
}
