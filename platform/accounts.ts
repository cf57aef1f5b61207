import { readFileSync } from 'node:fs'
import * as t from 'io-ts'
import { isLeft } from 'fp-ts/Either'
import type { Account } from './context.js'
import seededUsers from './users.json'

const AccountCodec = t.intersection([
  t.type({
    userId: t.string,
    password: t.string,
    firstName: t.string,
    lastName: t.string,
    email: t.string,
    phoneNumber: t.string,
  }),
  t.partial({ identity: t.string, bot: t.string }),
])

/** The seeded users (`platform/users.json`): alice, bob, carol and dave `@example.com`, password `password`. */
export const seededAccounts: readonly Account[] = readAccounts(seededUsers, 'platform/users.json')

/** Accounts from a JSON array (of a `--users` file or given in code); throws with the failing entry on bad input. */
export function readAccounts(json: unknown, source: string): Account[] {
  if (!Array.isArray(json)) throw new Error(`${source}: expected an array of users`)
  return json.map((entry: unknown, index) => {
    const decoded = AccountCodec.decode(entry)
    if (isLeft(decoded)) throw new Error(`${source}: user #${index} needs userId, password, firstName, lastName, email and phoneNumber (strings)`)
    const { identity, ...rest } = decoded.right
    return { ...rest, identity: identity ?? rest.userId }
  })
}

/** Loads accounts from a `--users` JSON file. */
export function loadAccountsFile(path: string): Account[] {
  return readAccounts(JSON.parse(readFileSync(path, 'utf8')), path)
}

/** A phone number's digits: its `+` and visual separators go, so that `+1 555…` and `1555…` name one number. */
const digits = (phone: string): string => phone.replace(/[\s().+-]/g, '')
/** A phone number as written: an optional `+`, digits and visual separators. */
const phoneLike = /^\+?[\d\s().-]*\d[\d\s().-]*$/

/** O(1) lookup of accounts by every address form a destination may take. */
export class AccountDirectory {
  private readonly byKey = new Map<string, Account>()
  private readonly byNumber = new Map<string, Account>()
  private readonly accounts: readonly Account[]

  constructor(accounts: readonly Account[]) {
    // Addresses go out in lowercase (notifications.md §5.1): the SDK lowercases the destinations of the conversations it creates.
    this.accounts = accounts.map((account) => ({ ...account, identity: account.identity.toLowerCase() }))
    for (const account of this.accounts) {
      for (const key of [account.userId, account.identity, account.email]) this.byKey.set(key.toLowerCase(), account)
      this.byNumber.set(digits(account.phoneNumber), account)
    }
  }

  all(): readonly Account[] {
    return this.accounts
  }

  /**
   * By userId, identity, email or phone number, with an optional `sip:` / `sips:` / `tel:` scheme;
   * a SIP URI whose user part is a number (`sip:+15551230002@example.com;user=phone`) names its owner.
   */
  find(address: string): Account | undefined {
    const trimmed = address.trim()
    const bare = trimmed.replace(/^(sip|sips|tel):/i, '')
    // URI parameters (`;user=phone`) name nobody; only URIs have them.
    const uri = bare === trimmed ? bare : bare.split(';')[0]!
    const at = uri.lastIndexOf('@')
    const userPart = at > 0 ? uri.slice(0, at) : undefined
    const number = phoneLike.test(uri) ? uri : userPart !== undefined && phoneLike.test(userPart) ? userPart : undefined
    return this.byKey.get(uri.toLowerCase()) ?? (number === undefined ? undefined : this.byNumber.get(digits(number)))
  }

  /** The account whose `userId` is exactly this (the token subject). */
  byUserId(userId: string): Account | undefined {
    const account = this.byKey.get(userId.toLowerCase())
    return account !== undefined && account.userId.toLowerCase() === userId.toLowerCase() ? account : undefined
  }
}
