import { expect } from 'chai'
import { seededAccounts } from '../../../platform/index.js'
import { isBasicError } from '../../../streams/errors.js'
import { nextEvent } from '../../helpers/client.js'
import { useSession } from '../presence/session.js'

type Change = { results: Record<string, string>[]; next?: string }
type Failure = { error: { code: string | number; message: string } }
const ids = (change: Change) => change.results.map((user) => user.userId)

describe('integration: users and directory', () => {
  // The people only: the seeded bot accounts (echo@, ivr@, …) would join every search.
  const session = useSession({ users: seededAccounts.filter((account) => account.bot === undefined) })
  const alice = () => session.client('alice@example.com', { services: [] })
  const search = async (client: Awaited<ReturnType<typeof alice>>, filters: object, options?: object): Promise<Change> => {
    const changed = nextEvent<Change>(client, 'directory:change')
    client.user.search(filters, options)
    return changed
  }

  it('fetches a user: directory:change with the documented fields, then user.get has it', async () => {
    const client = await alice()
    const changed = nextEvent<Change>(client, 'directory:change')
    client.user.fetch('bob@example.com')
    const { results } = await changed
    expect(results).to.deep.equal([
      {
        userId: 'bob@example.com',
        firstName: 'Bob',
        lastName: 'Baker',
        emailAddress: 'bob@example.com',
        userName: 'bob',
        businessPhoneNumber: '+15551230002',
        buddy: 'false',
      },
    ])
    expect(client.user.get('bob@example.com')).to.deep.equal(results[0])
    expect(client.user.getAll()).to.deep.equal(results)
  })

  it('hands out copies: what an app writes to get or getAll leaves the known users as they were', async () => {
    const client = await alice()
    const changed = nextEvent<Change>(client, 'directory:change')
    client.user.fetch('bob@example.com')
    const [bob] = (await changed).results
    const got = client.user.get('bob@example.com') as Record<string, unknown>
    got.firstName = 'changed through get'
    const [listed] = client.user.getAll() as Record<string, unknown>[]
    listed!.lastName = 'changed through getAll'
    expect(client.user.get('bob@example.com')).to.deep.equal(bob)
    expect(client.user.getAll()).to.deep.equal([bob])
  })

  it('fetches the current user with fetchSelfInfo', async () => {
    const client = await alice()
    const changed = nextEvent<Change>(client, 'directory:change')
    client.user.fetchSelfInfo()
    expect(ids(await changed)).to.deep.equal(['alice@example.com'])
  })

  it('emits nothing for a user who does not exist, as the original SDK', async () => {
    const client = await alice()
    const changes: Change[] = []
    client.on('directory:change', (change) => changes.push(change as unknown as Change))
    client.user.fetch('nobody@example.com')
    const first = nextEvent<Change>(client, 'directory:change')
    client.user.fetch('bob@example.com')
    expect(ids(await first)).to.deep.equal(['bob@example.com'])
    const second = nextEvent<Change>(client, 'directory:change')
    client.user.fetch('bob@example.com')
    await second
    expect(changes.map(ids)).to.deep.equal([['bob@example.com'], ['bob@example.com']])
    expect(client.user.get('nobody@example.com')).to.equal(undefined)
  })

  it('searches with every filter: name, firstName, lastName, userId (sent as userName), userName, phoneNumber', async () => {
    const client = await alice()
    expect(ids(await search(client, { name: 'car' }, { sortBy: 'userId' }))).to.deep.equal(['carol@example.com'])
    expect(ids(await search(client, { firstName: 'DA' }))).to.deep.equal(['dave@example.com'])
    expect(ids(await search(client, { lastName: 'er' }, { sortBy: 'lastName' }))).to.deep.equal(['alice@example.com', 'bob@example.com', 'carol@example.com'])
    expect(ids(await search(client, { userId: 'bob@example.com' }))).to.deep.equal(['bob@example.com'])
    expect(ids(await search(client, { userId: 'bob', userName: 'carol' }))).to.deep.equal(['carol@example.com'])
    expect(ids(await search(client, { phoneNumber: '+15551230004' }))).to.deep.equal(['dave@example.com'])
    expect(client.user.getAll().map((user) => user.userId).sort()).to.deep.equal(['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com'])
  })

  it('sorts by a filter name in either order', async () => {
    const client = await alice()
    expect(ids(await search(client, {}, { sortBy: 'firstName', order: 'desc' }))).to.deep.equal(['dave@example.com', 'carol@example.com', 'bob@example.com', 'alice@example.com'])
    expect(ids(await search(client, {}, { sortBy: 'lastName', order: 'asc' }))).to.deep.equal(['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com'])
  })

  it('pages with max and next: each page in order, next absent on the last', async () => {
    const client = await alice()
    const first = await search(client, {}, { sortBy: 'userId', max: 3 })
    expect(ids(first)).to.deep.equal(['alice@example.com', 'bob@example.com', 'carol@example.com'])
    expect(first.next).to.be.a('string')
    const second = await search(client, {}, { sortBy: 'userId', max: 3, next: first.next })
    expect(ids(second)).to.deep.equal(['dave@example.com'])
    expect(second).not.to.have.property('next')
  })

  it('rejects bad filters or options with directory:error users:4, sending nothing', async () => {
    const client = await alice()
    const failed = nextEvent<Failure>(client, 'directory:error')
    client.user.search({ name: 'a' }, { order: 'sideways' as 'asc' })
    expect((await failed).error.code).to.equal('users:4')
  })

  it('reports every platform failure as directory:error users:3: 5xx, 400, reset', async () => {
    const client = await alice()
    const platform = session.platform()
    await platform.admin.fail({ prefix: '/cpaas/directory/', status: 503 })
    const serverError = nextEvent<Failure>(client, 'directory:error')
    client.user.fetch('bob@example.com')
    const { error } = await serverError
    expect(isBasicError(error)).to.equal(true)
    expect(error.code).to.equal('users:3')

    const badToken = nextEvent<Failure>(client, 'directory:error')
    client.user.search({}, { next: 'not-a-token' })
    expect((await badToken).error.code).to.equal('users:3')

    await platform.admin.fail({ prefix: '/cpaas/directory/', reset: true })
    const reset = nextEvent<Failure>(client, 'directory:error')
    client.user.fetchSelfInfo()
    expect((await reset).error.code).to.equal('users:3')
    expect(client.user.getAll()).to.deep.equal([])
  })

  it('checks the argument of get', async () => {
    const client = await alice()
    expect(client.user.get('nobody@example.com')).to.equal(undefined)
    expect(() => client.user.get(1 as unknown as string)).to.throw().with.property('code', 'users:4')
  })
})
