import { expect } from 'chai'
import type { Account } from '../../../platform/context.js'
import { startTestPlatform, type LoginTokens, type TestPlatform } from '../../helpers/platform.js'

type Json = Record<string, any>

const person = (userId: string, firstName: string, lastName: string, phoneNumber: string): Account => ({
  userId,
  identity: userId,
  password: 'password',
  firstName,
  lastName,
  email: userId,
  phoneNumber,
})

/** A directory of eight people, some sharing names, to sort and page. */
const people: Account[] = [
  person('jane@example.com', 'Jane', 'Doe', '+15550000001'),
  person('janet@example.com', 'Janet', 'Young', '+15550000002'),
  person('john@example.com', 'John', 'Doe', '+15550000003'),
  person('amy@example.com', 'Amy', 'Adams', '+15550000004'),
  person('zoe@example.com', 'Zoe', 'Zimmer', '+15550000005'),
  person('bill@example.com', 'Bill', 'Jones', '+15551110006'),
  person('maryjane@example.com', 'Mary', 'Jane', '+15551110007'),
  person('max@example.com', 'Max', 'Power', '+15551110008'),
]

describe('platform: directory search', () => {
  let platform: TestPlatform
  let jane: LoginTokens
  before(async () => {
    platform = await startTestPlatform({ users: people })
    jane = await platform.login('jane@example.com')
  })
  after(() => platform.stop())

  const search = async (query: string, directory = 'default'): Promise<{ status: number; body: Json }> => {
    const response = await platform.fetchAs(jane, 'GET', `/cpaas/directory/v1/jane@example.com/${directory}/search${query === '' ? '' : `?${query}`}`)
    return { status: response.status, body: (await response.json()) as Json }
  }
  const ids = (body: Json): string[] =>
    body.directoryItemList.directoryItem.map((item: Json) => item.attribute.find((a: Json) => a.name === 'primaryContact').value)

  it('answers every user with the documented attributes directly under each item', async () => {
    const { status, body } = await search('userName=jane%40example.com')
    expect(status).to.equal(200)
    expect(body.directoryItemList.directoryItem[0]).to.deep.equal({
      attribute: [
        { name: 'primaryContact', value: 'jane@example.com' },
        { name: 'firstName', value: 'Jane' },
        { name: 'lastName', value: 'Doe' },
        { name: 'emailAddress', value: 'jane@example.com' },
        { name: 'userName', value: 'jane' },
        { name: 'businessPhoneNumber', value: '+15550000001' },
        { name: 'buddy', value: 'false' },
      ],
    })
    expect(ids((await search('')).body)).to.deep.equal([...people.map((p) => p.userId)].sort())
  })

  it('matches userName on the full id or its local part, case-insensitively, the exact match first', async () => {
    expect(ids((await search('order=asc&sortBy=name&userName=JANE')).body)).to.deep.equal(['jane@example.com', 'janet@example.com', 'maryjane@example.com'])
    expect(ids((await search('sortBy=name&userName=janet%40example.com')).body)).to.deep.equal(['janet@example.com'])
    expect(ids((await search('order=desc&sortBy=name&userName=jane')).body)).to.deep.equal(['jane@example.com', 'maryjane@example.com', 'janet@example.com'])
  })

  it('filters by name (first or last), firstName, lastName and phone digits', async () => {
    expect(ids((await search('name=jane&sortBy=userId')).body)).to.deep.equal(['jane@example.com', 'janet@example.com', 'maryjane@example.com'])
    expect(ids((await search('firstName=jan&sortBy=userId')).body)).to.deep.equal(['jane@example.com', 'janet@example.com'])
    expect(ids((await search('lastName=doe&sortBy=firstName')).body)).to.deep.equal(['jane@example.com', 'john@example.com'])
    expect(ids((await search('phoneNumber=%2B1555111&sortBy=userId')).body)).to.deep.equal(['bill@example.com', 'maryjane@example.com', 'max@example.com'])
    expect(ids((await search('firstName=jan&lastName=young')).body)).to.deep.equal(['janet@example.com'])
    expect(ids((await search('name=nobody')).body)).to.deep.equal([])
    expect(ids((await search('name=jane%20doe')).body)).to.deep.equal(['jane@example.com'])
  })

  it('sorts by any filter name, ascending or descending', async () => {
    expect(ids((await search('sortBy=lastName&order=asc')).body)).to.deep.equal([
      'amy@example.com',
      'jane@example.com',
      'john@example.com',
      'maryjane@example.com',
      'bill@example.com',
      'max@example.com',
      'janet@example.com',
      'zoe@example.com',
    ])
    expect(ids((await search('sortBy=lastName&order=desc&max=3&lastName=doe')).body)).to.deep.equal(['john@example.com', 'jane@example.com'])
    expect(ids((await search('sortBy=firstName&order=desc&max=3')).body)).to.deep.equal(['zoe@example.com', 'max@example.com', 'maryjane@example.com'])
  })

  it('pages with max and next until the last page, which has no next', async () => {
    const seen: string[] = []
    let query = 'max=3&sortBy=userId'
    let pages = 0
    for (;;) {
      const { status, body } = await search(query)
      expect(status).to.equal(200)
      pages += 1
      seen.push(...ids(body))
      const next = body.directoryItemList.next as string | undefined
      if (next === undefined) break
      query = `max=3&next=${encodeURIComponent(next)}&sortBy=userId`
    }
    expect(pages).to.equal(3)
    expect(seen).to.deep.equal([...people.map((p) => p.userId)].sort())
    const second = await search('max=4&next=p4')
    expect(ids(second.body)).to.have.length(4)
    expect(second.body.directoryItemList).to.not.have.property('next')
  })

  it('reports as buddy a user the searcher saved as a buddy contact', async () => {
    await platform.fetchAs(jane, 'POST', '/cpaas/addressbook/v1/jane@example.com/default/contacts', {
      contact: { attributeList: { attribute: [{ name: 'primaryContact', value: 'zoe@example.com' }, { name: 'buddy', value: 'true' }] }, contactId: 'zoe' },
    })
    await platform.fetchAs(jane, 'POST', '/cpaas/addressbook/v1/jane@example.com/default/contacts', {
      contact: { attributeList: { attribute: [{ name: 'primaryContact', value: 'MAX@example.com' }, { name: 'buddy', value: 'true' }] }, contactId: 'max' },
    })
    await platform.fetchAs(jane, 'POST', '/cpaas/addressbook/v1/jane@example.com/default/contacts', {
      contact: { attributeList: { attribute: [{ name: 'primaryContact', value: 'amy@example.com' }, { name: 'buddy', value: 'false' }] }, contactId: 'amy' },
    })
    const { body } = await search('userName=zoe')
    expect(body.directoryItemList.directoryItem[0].attribute).to.deep.include({ name: 'buddy', value: 'true' })
    expect((await search('userName=max')).body.directoryItemList.directoryItem[0].attribute).to.deep.include({ name: 'buddy', value: 'true' })
    expect((await search('userName=amy')).body.directoryItemList.directoryItem[0].attribute).to.deep.include({ name: 'buddy', value: 'false' })
  })

  it('rejects bad options with 400 SVC0002 and other directories with 404', async () => {
    for (const query of ['sortBy=shoeSize', 'order=up', 'max=0', 'max=abc', 'next=garbage', 'phoneNumber=abc']) {
      const { status, body } = await search(query)
      expect(status, query).to.equal(400)
      expect(body.requestError.serviceException.messageId).to.equal('SVC0002')
    }
    expect((await search('', 'other')).status).to.equal(404)
  })
})

describe('platform: directory search with opaque user ids', () => {
  // On the real platform the userId is opaque; userName still matches the identity.
  let platform: TestPlatform
  let searcher: LoginTokens
  before(async () => {
    platform = await startTestPlatform({
      users: [
        { ...person('u-2', 'Ann', 'Eclair', '+15552220002'), identity: 'ann@example.com' },
        { ...person('u-1', 'Annabel', '\u00c9clair', '+15552220001'), identity: 'annabel@example.com' },
      ],
    })
    searcher = await platform.login('u-2')
  })
  after(() => platform.stop())

  const ids = async (query: string): Promise<string[]> => {
    const body = (await (await platform.fetchAs(searcher, 'GET', `/cpaas/directory/v1/u-2/default/search?${query}`)).json()) as Json
    return body.directoryItemList.directoryItem.map((item: Json) => item.attribute.find((a: Json) => a.name === 'primaryContact').value)
  }

  it('matches userName on the identity and puts its exact match first', async () => {
    expect(await ids('userName=ann%40example.com')).to.deep.equal(['ann@example.com'])
    expect(await ids('userName=ANN')).to.deep.equal(['ann@example.com', 'annabel@example.com'])
  })

  it('sorts by name as first and last name, ignoring case and accents, then by userId', async () => {
    expect(await ids('sortBy=name')).to.deep.equal(['ann@example.com', 'annabel@example.com'])
    expect(await ids('sortBy=lastName')).to.deep.equal(['annabel@example.com', 'ann@example.com'])
  })

  it('sorts by userId as the userId the results show (the identity), not the opaque id', async () => {
    expect(await ids('sortBy=userId')).to.deep.equal(['ann@example.com', 'annabel@example.com'])
    expect(await ids('sortBy=userId&order=desc')).to.deep.equal(['annabel@example.com', 'ann@example.com'])
  })

  it('names each user by their public address (the identity), the address their messages come from', async () => {
    // The SDK makes primaryContact the user's userId (presence-groups-users.md §4.2, example: name@domain); a chat started
    // with that userId must be the conversation that user's own messages (senderAddress) land in.
    const [found] = await ids('userName=annabel')
    expect(found).to.equal('annabel@example.com')
    expect((await ids(`order=asc&sortBy=name&userName=${encodeURIComponent(found!)}`))[0]).to.equal(found)
    const annabel = await platform.login('u-1')
    const sent = await platform.fetchAs(annabel, 'POST', '/cpaas/chat/v1/u-1/oneToOne/ann@example.com/adhoc/messages', { chatMessage: { text: 'hi' } })
    expect(((await sent.json()) as Json).chatMessage.senderAddress).to.equal(found)
  })
})
