import { expect } from 'chai'
import { AccountDirectory, seededAccounts } from '../../platform/accounts.js'

describe('platform accounts: finding a user by address', () => {
  const directory = new AccountDirectory(seededAccounts)
  const found = (address: string): string | undefined => directory.find(address)?.userId

  it('finds a user by identity, email or phone number, in any case, with or without a sip: / sips: / tel: scheme', () => {
    for (const address of ['bob@example.com', 'BOB@Example.com', 'sip:bob@example.com', 'SIPS:bob@example.com', '+15551230002', '+1 (555) 123-0002', 'tel:+15551230002']) {
      expect(found(address), address).to.equal('bob@example.com')
    }
  })

  it('finds a user by a SIP URI whose user part is their number (calls.md §3.1 form), URI parameters and all', () => {
    for (const address of ['sip:+15551230002@example.com', 'sip:+15551230002@example.com;user=phone', 'tel:+15551230002;phone-context=example.com']) {
      expect(found(address), address).to.equal('bob@example.com')
    }
  })

  it('finds nobody for another domain’s user, a bare local part, or a number no user has', () => {
    for (const address of ['sip:bob@other.org', 'bob', 'sip:+15559999999@example.com', '']) expect(found(address), address).to.equal(undefined)
  })
})
