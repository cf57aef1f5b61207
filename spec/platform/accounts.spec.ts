import { expect } from 'chai'
import { AccountDirectory, seededAccounts } from '../../platform/accounts.js'
import type { Account } from '../../platform/context.js'
import { usePlatform } from '../helpers/platform.js'
import { jsonRequest, received, subscribedUsers, useSockets, type Json } from './core/wire.js'

describe('platform accounts: finding a user by address', () => {
  const directory = new AccountDirectory(seededAccounts)
  const found = (address: string): string | undefined => directory.find(address)?.userId

  it('finds a user by identity, email or phone number, in any case, with or without a sip: / sips: / tel: scheme', () => {
    for (const address of ['bob@example.com', 'BOB@Example.com', 'sip:bob@example.com', 'SIPS:bob@example.com', '+15551230002', '+1 (555) 123-0002', 'tel:+15551230002']) {
      expect(found(address), address).to.equal('bob@example.com')
    }
  })

  it('finds a user by their number written without its `+` (as a keypad gives it), with or without a scheme', () => {
    for (const address of ['15551230002', '1 (555) 123-0002', 'tel:15551230002', 'sip:15551230002@example.com;user=phone']) {
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

describe('platform accounts: addresses on the wire', () => {
  // A users file may spell an identity with capitals; the SDK lowercases the destinations of the conversations it
  // creates, so the platform sends every address in lowercase (notifications.md §5.1, messaging.md §1).
  const people: Account[] = [
    { userId: 'Jane.Doe@Example.org', identity: 'Jane.Doe@Example.org', password: 'password', firstName: 'Jane', lastName: 'Doe', email: 'Jane.Doe@Example.org', phoneNumber: '+15550000001' },
    { userId: 'u-joe', identity: 'Joe@Example.org', password: 'password', firstName: 'Joe', lastName: 'Roe', email: 'joe@mail.example', phoneNumber: '+15550000002' },
  ]
  const platform = usePlatform({ users: people })
  const sockets = useSockets()

  it('sends identities in lowercase: the id token, chat senders and destinations, callers, group participants', async () => {
    const [jane, joe] = await subscribedUsers(platform(), ['Jane.Doe@Example.org', 'u-joe'], ['chat', 'call'], sockets)
    expect(jane.tokens.identity).to.equal('jane.doe@example.org')
    const sent = await jsonRequest(platform(), jane.tokens, 'POST', `/cpaas/chat/v1/${jane.tokens.userId}/oneToOne/joe@example.org/adhoc/messages`, { chatMessage: { text: 'hi' } })
    expect(sent.body.chatMessage.senderAddress).to.equal('jane.doe@example.org')
    const [chat] = await received(joe)
    expect(chat!.chatMessageNotification.chatMessage).to.include({ senderAddress: 'jane.doe@example.org', 'x-destinationAddress': 'joe@example.org' })
    await jsonRequest(platform(), jane.tokens, 'POST', `/cpaas/webrtcsignaling/v1/${jane.tokens.userId}/sessions`, { wrtcsSession: { tParticipantAddress: 'sip:joe@example.org', offer: { sdp: 'v=0\r\n' } } })
    const [invitation] = await received(joe)
    expect(invitation!.wrtcsSessionInvitationNotification.originatorAddress).to.equal('jane.doe@example.org')
    const group = await jsonRequest(platform(), joe.tokens, 'POST', '/cpaas/chat/v1/u-joe/group', {
      groupChatSessionInformation: { participant: [{ address: joe.tokens.identity, 'x-isAdmin': true }, { address: 'jane.doe@example.org', 'x-isAdmin': false }], 'x-name': 'Cases' },
    })
    expect(group.body.groupChatSessionInformation.participant.map((p: Json) => p.address)).to.deep.equal(['joe@example.org', 'jane.doe@example.org'])
  })
})
