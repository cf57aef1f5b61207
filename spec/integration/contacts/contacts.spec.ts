import { expect } from 'chai'
import { isBasicError } from '../../../streams/errors.js'
import { nextEvent, until, type TestClient } from '../../helpers/client.js'
import { record, useSession } from '../presence/session.js'

type Failure = { error: { code: string | number; message: string } }

const jane = {
  primaryContact: 'janedoe@example.com',
  contactId: 'JaneD',
  firstName: 'Jane',
  lastName: 'Doe',
  email: 'janedoe@example.com',
  homePhoneNumber: '+15555555555',
  businessPhoneNumber: '+15555555556',
  mobilePhoneNumber: '+15555555557',
  list: 'friends',
  buddy: true,
}

/** The address book as a refresh from the platform finds it. */
const refreshedAll = async (client: TestClient): Promise<unknown> => {
  const refreshed = nextEvent(client, 'contacts:change')
  client.contacts.refresh()
  await refreshed
  return client.contacts.getAll()
}

describe('integration: contacts', () => {
  const session = useSession()
  const alice = () => session.client('alice@example.com', { services: [] })

  it('adds a contact with every documented field: contacts:new with it, then contacts:change, once each', async () => {
    const client = await alice()
    const events = record(client)
    const changed = nextEvent(client, 'contacts:change')
    client.contacts.add(jane)
    expect(await changed).to.deep.equal({})
    expect(events.all.map((event) => event.type)).to.deep.equal(['contacts:new', 'contacts:change'])
    expect(events.of('contacts:new')).to.deep.equal([jane])
    expect(client.contacts.get('JaneD')).to.deep.equal(jane)
    expect(client.contacts.getAll()).to.deep.equal({ [jane.contactId]: jane })
  })

  it('refreshes from the platform: string values, list friends and buddy false by default', async () => {
    const client = await alice()
    const added = nextEvent(client, 'contacts:change')
    client.contacts.add({ contactId: 'bob', primaryContact: 'bob@example.com', firstName: 'Bob' })
    await added
    const other = await session.client('alice@example.com', { services: [] })
    expect(await refreshedAll(other)).to.deep.equal({ bob: { primaryContact: 'bob@example.com', firstName: 'Bob', list: 'friends', buddy: 'false', contactId: 'bob' } })
  })

  it('updates a contact (the stored one replaced), fetches it back, and removes it', async () => {
    const client = await alice()
    const added = nextEvent(client, 'contacts:change')
    client.contacts.add(jane)
    await added
    const updated = nextEvent(client, 'contacts:change')
    const changedJane = { ...jane, firstName: 'Janet', buddy: false }
    client.contacts.update(changedJane)
    await updated
    expect(client.contacts.get('JaneD')).to.deep.equal(changedJane)
    const fetched = nextEvent(client, 'contacts:change')
    client.contacts.fetch('JaneD')
    await fetched
    expect(client.contacts.get('JaneD')).to.deep.include({ firstName: 'Janet', buddy: 'false', homePhoneNumber: '+15555555555', contactId: 'JaneD' })
    const removed = nextEvent(client, 'contacts:change')
    client.contacts.remove('JaneD')
    await removed
    expect(client.contacts.get('JaneD')).to.equal(undefined)
    expect(client.contacts.getAll()).to.deep.equal({})
  })

  it('reaches a contact whose id holds ?, # or %: fetch, update and remove find the contact that was added', async () => {
    const client = await alice()
    for (const contactId of ['who?', 'a#b', '100%', 'x y']) {
      const added = nextEvent(client, 'contacts:change')
      client.contacts.add({ contactId, primaryContact: 'bob@example.com', firstName: 'Bob' })
      await added
      const updated = nextEvent(client, 'contacts:change')
      client.contacts.update({ contactId, primaryContact: 'bob@example.com', firstName: 'Robert' })
      await updated
      const fetched = nextEvent(client, 'contacts:change')
      client.contacts.fetch(contactId)
      await fetched
      expect(client.contacts.get(contactId), contactId).to.deep.include({ firstName: 'Robert', buddy: 'false' })
      const removed = nextEvent(client, 'contacts:change')
      client.contacts.remove(contactId)
      await removed
      expect(client.contacts.get(contactId), contactId).to.equal(undefined)
    }
    expect(await refreshedAll(client)).to.deep.equal({})
  })

  it('hands out copies: what an app writes to get, getAll or the contacts:new payload leaves the address book as it was', async () => {
    const client = await alice()
    const added = nextEvent<Record<string, unknown>>(client, 'contacts:new')
    client.contacts.add(jane)
    const payload = await added
    payload.firstName = 'changed by a listener'
    const got = client.contacts.get('JaneD') as Record<string, unknown>
    got.firstName = 'changed through get'
    const all = client.contacts.getAll() as Record<string, Record<string, unknown>>
    all.JaneD!.lastName = 'changed through getAll'
    expect(client.contacts.get('JaneD')).to.deep.equal(jane)
    expect(client.contacts.getAll()).to.deep.equal({ JaneD: jane })
  })

  it('writes one request after another: an update and a remove right after an add reach the platform after it', async () => {
    const client = await alice()
    const events = record(client)
    // The add is slow on its way; the update and the remove, sent right after it, would overtake it if sent at once.
    await session.platform().admin.delay(300, '/cpaas/addressbook/v1/alice@example.com/default/contacts')
    await session.platform().admin.delay(1, '/cpaas/addressbook/v1/alice@example.com/default/contacts/JaneD')
    const settled = () => events.of('contacts:change').length + events.of('contacts:error').length
    client.contacts.add(jane)
    client.contacts.update({ ...jane, firstName: 'Janet' })
    client.contacts.remove('JaneD')
    await until(() => settled() === 3, 'the three requests answered')
    expect(events.of('contacts:error').map((payload: Failure) => payload.error.code)).to.deep.equal([])
    expect(client.contacts.getAll()).to.deep.equal({})
    const again = await alice()
    expect(await refreshedAll(again)).to.deep.equal({})
  })

  it('reports an update without contactId as users:4, sending nothing', async () => {
    const client = await alice()
    const failed = nextEvent<Failure>(client, 'contacts:error')
    client.contacts.update({ firstName: 'x' } as unknown as typeof jane)
    const { error } = await failed
    expect(isBasicError(error)).to.equal(true)
    expect(error.code).to.equal('users:4')
  })

  it('surfaces platform failures as contacts:error: duplicate (409), unknown contact (404), 5xx', async () => {
    const client = await alice()
    const added = nextEvent(client, 'contacts:change')
    client.contacts.add(jane)
    await added
    const duplicate = nextEvent<Failure>(client, 'contacts:error')
    client.contacts.add(jane)
    expect((await duplicate).error.code).to.equal('SVC0003')
    for (const operation of [() => client.contacts.remove('nobody'), () => client.contacts.fetch('nobody'), () => client.contacts.update({ contactId: 'nobody', firstName: 'x' })]) {
      const missing = nextEvent<Failure>(client, 'contacts:error')
      operation()
      expect((await missing).error.code).to.equal('SVC0004')
    }
    await session.platform().admin.fail({ prefix: '/cpaas/addressbook/', status: 502 })
    const failed = nextEvent<Failure>(client, 'contacts:error')
    client.contacts.refresh()
    expect((await failed).error.code).to.equal('SVC0001')
    expect(client.contacts.getAll()).to.deep.equal({ [jane.contactId]: jane })
  })

  it('reports a refresh answered without a contact collection as users:1', async () => {
    const client = await alice()
    await session.platform().admin.fail({ prefix: '/cpaas/addressbook/', status: 200, body: {} })
    const failed = nextEvent<Failure>(client, 'contacts:error')
    client.contacts.refresh()
    expect((await failed).error.code).to.equal('users:1')
  })

  it('checks the argument of get', async () => {
    const client = await alice()
    expect(client.contacts.get('unknown')).to.equal(undefined)
    expect(() => client.contacts.get(3 as unknown as string)).to.throw().with.property('code', 'users:4')
  })
})
