import { expect } from 'chai'
import { isBasicError } from '../../../streams/errors.js'
import { nextEvent, type TestClient } from '../../helpers/client.js'
import { record, useSession } from './session.js'

type Change = { userId: string; status: string; activity: string; note?: string }
const about = (userId: string) => (payload: Change) => payload.userId === userId

/** What a JavaScript app may do to an object a getter gave it (the types are readonly): write a field. */
const scribble = (target: object, field: string, value: unknown): void => {
  ;(target as Record<string, unknown>)[field] = value
}

describe('integration: presence', () => {
  const session = useSession()

  /** `watcher` watches `user` and has received their current presence. */
  const watching = async (watcher: TestClient, user: string): Promise<void> => {
    const initial = nextEvent<Change>(watcher, 'presence:change', about(user))
    watcher.presence.subscribe(user)
    await initial
  }

  it('offers the documented statuses and activities', async () => {
    const alice = await session.client('alice@example.com', { services: [] })
    expect(alice.presence.statuses).to.deep.equal({ OPEN: 'Open', CLOSED: 'Closed' })
    expect(Object.keys(alice.presence.activities)).to.deep.equal(['AVAILABLE', 'BUSY', 'LUNCH', 'VACATION', 'ON_THE_PHONE', 'ACTIVITIES_UNKNOWN', 'ACTIVITIES_OTHER'])
  })

  it('updates the own presence: getSelf is {} before, loading while under way (as the original SDK), presence:selfChange, then getSelf has it, with the note of ACTIVITIES_OTHER', async () => {
    const alice = await session.client('alice@example.com', { services: [] })
    const { statuses, activities } = alice.presence
    expect(alice.presence.getSelf()).to.deep.equal({})
    const changed = nextEvent(alice, 'presence:selfChange')
    alice.presence.update(statuses.OPEN, activities.ACTIVITIES_OTHER, 'Out for coffee')
    expect(alice.presence.getSelf()).to.deep.equal({ loading: true, error: false })
    expect(await changed).to.deep.equal({})
    expect(alice.presence.getSelf()).to.deep.equal({ status: 'Open', activity: 'ActivitiesOther', note: 'Out for coffee', loading: false, error: false })
    const again = nextEvent(alice, 'presence:selfChange')
    alice.presence.update(statuses.OPEN, activities.BUSY)
    expect(alice.presence.getSelf()).to.deep.equal({ status: 'Open', activity: 'ActivitiesOther', note: 'Out for coffee', loading: true, error: false })
    await again
    expect(alice.presence.getSelf()).to.deep.equal({ status: 'Open', activity: 'Busy', loading: false, error: false })
  })

  it('leaves out a note given with another activity than ACTIVITIES_OTHER, or empty, as the original SDK: the update goes through', async () => {
    const alice = await session.client('alice@example.com', { services: [] })
    const { statuses, activities } = alice.presence
    const busy = nextEvent(alice, 'presence:selfChange')
    alice.presence.update(statuses.OPEN, activities.BUSY, 'back at three')
    await busy
    expect(alice.presence.getSelf()).to.deep.equal({ status: 'Open', activity: 'Busy', loading: false, error: false })
    const other = nextEvent(alice, 'presence:selfChange')
    alice.presence.update(statuses.OPEN, activities.ACTIVITIES_OTHER, '')
    await other
    expect(alice.presence.getSelf()).to.deep.equal({ status: 'Open', activity: 'ActivitiesOther', loading: false, error: false })
  })

  it('rejects a bad status (presence:1), activity (presence:2) or a note that is not a string with presence:error, changing nothing', async () => {
    const alice = await session.client('alice@example.com', { services: [] })
    const events = record(alice)
    alice.presence.update('Sleepy', alice.presence.activities.AVAILABLE)
    alice.presence.update(alice.presence.statuses.OPEN, 'Snoozing')
    alice.presence.update(alice.presence.statuses.OPEN, alice.presence.activities.ACTIVITIES_OTHER, 42 as unknown as string)
    const changed = nextEvent(alice, 'presence:selfChange')
    alice.presence.update('open', 'on-the-phone')
    await changed
    expect(events.of('presence:error').map(({ error }) => [isBasicError(error), error.code])).to.deep.equal([
      [true, 'presence:1'],
      [true, 'presence:2'],
      [true, 'BAD_INPUT'],
    ])
    expect(alice.presence.getSelf()).to.deep.include({ status: 'Open', activity: 'OnThePhone', error: false })
  })

  it('fans one update out to several subscribers as presence:change', async () => {
    const alice = await session.client('alice@example.com', { services: [] })
    const watchers = await Promise.all(['bob@example.com', 'carol@example.com', 'dave@example.com'].map((user) => session.client(user, { services: ['presence'] })))
    await Promise.all(watchers.map((watcher) => watching(watcher, 'alice@example.com')))
    const changes = watchers.map((watcher) => nextEvent<Change>(watcher, 'presence:change', about('alice@example.com')))
    alice.presence.update('Open', 'ActivitiesOther', 'In a meeting')
    for (const change of await Promise.all(changes)) {
      expect(change).to.deep.equal({ userId: 'alice@example.com', status: 'Open', activity: 'ActivitiesOther', note: 'In a meeting' })
    }
    for (const watcher of watchers) {
      expect(watcher.presence.get('alice@example.com')).to.deep.equal([
        { userId: 'alice@example.com', status: 'Open', activity: 'ActivitiesOther', note: 'In a meeting', loading: false },
      ])
    }
  })

  it("subscribing gives the user's current presence at once", async () => {
    const alice = await session.client('alice@example.com', { services: [] })
    const published = nextEvent(alice, 'presence:selfChange')
    alice.presence.update('Closed', 'Vacation')
    await published
    const bob = await session.client('bob@example.com', { services: ['presence'] })
    const change = nextEvent<Change>(bob, 'presence:change', about('alice@example.com'))
    bob.presence.subscribe(['alice@example.com'])
    expect(await change).to.deep.include({ status: 'Closed', activity: 'Vacation' })
    expect(bob.presence.getAll()).to.deep.equal([{ userId: 'alice@example.com', status: 'Closed', activity: 'Vacation', loading: false }])
  })

  it('fetches the presence of several users once: a presence:change each, Closed / ActivitiesUnknown for who never published', async () => {
    const carol = await session.client('carol@example.com', { services: [] })
    const published = nextEvent(carol, 'presence:selfChange')
    carol.presence.update('Open', 'Lunch')
    await published
    const dave = await session.client('dave@example.com', { services: [] })
    const events = record(dave)
    const done = nextEvent<Change>(dave, 'presence:change', about('bob@example.com'))
    dave.presence.fetch(['carol@example.com', 'bob@example.com'])
    expect(dave.presence.get(['carol@example.com', 'bob@example.com']).map((entry) => entry.loading)).to.deep.equal([true, true])
    await done
    expect(events.of('presence:change')).to.deep.equal([
      { userId: 'carol@example.com', status: 'Open', activity: 'Lunch', note: undefined },
      { userId: 'bob@example.com', status: 'Closed', activity: 'ActivitiesUnknown', note: undefined },
    ])
    expect(dave.presence.get('bob@example.com')).to.deep.equal([{ userId: 'bob@example.com', status: 'Closed', activity: 'ActivitiesUnknown', loading: false }])
  })

  it('unsubscribing forgets the user and stops their changes', async () => {
    const [alice, carol, bob] = await Promise.all([
      session.client('alice@example.com', { services: [] }),
      session.client('carol@example.com', { services: [] }),
      session.client('bob@example.com', { services: ['presence'] }),
    ])
    await watching(bob, 'alice@example.com')
    await watching(bob, 'carol@example.com')
    const events = record(bob)
    bob.presence.unsubscribe('alice@example.com')
    await new Promise<void>((resolve) => {
      const check = () => (bob.presence.get('alice@example.com').length === 0 ? resolve() : setTimeout(check, 5))
      check()
    })
    const aliceDone = nextEvent(alice, 'presence:selfChange')
    alice.presence.update('Open', 'Busy')
    await aliceDone
    // Notifications arrive in order: Carol's change after Alice's publish proves Alice's never came.
    const carolChange = nextEvent<Change>(bob, 'presence:change', about('carol@example.com'))
    carol.presence.update('Open', 'Available')
    await carolChange
    expect(events.of('presence:change').map((change: Change) => change.userId)).to.deep.equal(['carol@example.com'])
    expect(bob.presence.getAll().map((entry) => entry.userId)).to.deep.equal(['carol@example.com'])
  })

  it('needs the presence service to watch: presence:error subscription:5', async () => {
    const bob = await session.client('bob@example.com', { services: ['chat'] })
    const failed = nextEvent<{ error: { code: string } }>(bob, 'presence:error')
    bob.presence.subscribe('alice@example.com')
    expect((await failed).error.code).to.equal('subscription:5')
  })

  it('never lets an older presence frame overwrite a newer one', async () => {
    const [alice, bob] = await Promise.all([session.client('alice@example.com', { services: [] }), session.client('bob@example.com', { services: ['presence'] })])
    await watching(bob, 'alice@example.com')
    const fresh = nextEvent<Change>(bob, 'presence:change', about('alice@example.com'))
    alice.presence.update('Open', 'Available')
    await fresh
    const events = record(bob)
    // A frame replayed from before (an older dateTime, a new id so de-duplication lets it through).
    const frame = (activity: string, dateTime: number) => ({
      presenceNotification: {
        presentityUserId: 'alice@example.com',
        presence: { person: { 'overriding-willingness': { overridingWillingnessValue: 'Closed' }, activities: { activityValue: activity } } },
        dateTime,
      },
    })
    await session.platform().admin.notify('bob@example.com', 'presence', frame('Vacation', 1000))
    const marker = nextEvent<Change>(bob, 'presence:change', about('alice@example.com'))
    await session.platform().admin.notify('bob@example.com', 'presence', frame('Lunch', Date.now() + 60000))
    expect(await marker).to.deep.include({ activity: 'Lunch' })
    expect(events.of('presence:change').map((change: Change) => change.activity)).to.deep.equal(['Lunch'])
    expect(bob.presence.get('alice@example.com')[0]).to.deep.include({ status: 'Closed', activity: 'Lunch' })
  })

  it('reports a malformed presence notification as presence:error and keeps the state', async () => {
    const bob = await session.client('bob@example.com', { services: ['presence'] })
    const failed = nextEvent<{ error: { code: string } }>(bob, 'presence:error')
    await session.platform().admin.notify('bob@example.com', 'presence', { presenceNotification: { presentityUserId: 'alice@example.com', presence: { person: {} } } })
    expect(isBasicError((await failed).error)).to.equal(true)
    expect(bob.presence.getAll()).to.deep.equal([])
  })

  it('surfaces platform failures as presence:error: a 5xx with the platform body, a 404, a reset connection', async () => {
    const alice = await session.client('alice@example.com', { services: ['presence'] })
    const platform = session.platform()
    await platform.admin.fail({ prefix: '/cpaas/presence/v1/alice@example.com/presenceSources', status: 503 })
    const serverError = nextEvent<{ error: { code: string } }>(alice, 'presence:error')
    alice.presence.update('Open', 'Busy')
    expect((await serverError).error.code).to.equal('SVC0001')
    expect(alice.presence.getSelf().error).to.have.property('code', 'SVC0001')

    await platform.admin.fail({ prefix: '/cpaas/presence/v1/alice@example.com/adhocPresenceList', status: 500, body: 'not json' })
    const plain = nextEvent<{ error: { code: number } }>(alice, 'presence:error')
    alice.presence.fetch('bob@example.com')
    expect((await plain).error.code).to.equal(500)
    expect(alice.presence.get('bob@example.com')[0]?.loading).to.equal(false)

    const notFound = nextEvent<{ error: { code: string } }>(alice, 'presence:error')
    alice.presence.unsubscribe('nobody@example.com')
    expect((await notFound).error.code).to.equal('SVC0004')

    await platform.admin.fail({ prefix: '/cpaas/presence/v1/alice@example.com/presenceLists', reset: true })
    const reset = nextEvent<{ error: { code: string } }>(alice, 'presence:error')
    alice.presence.subscribe('bob@example.com')
    expect((await reset).error.code).to.be.a('string').and.not.equal('')
  })

  it("keeps an app's writes to what get, getAll and getSelf return in its own copy, out of the SDK's state", async () => {
    const [alice, bob] = await Promise.all([session.client('alice@example.com', { services: ['presence'] }), session.client('bob@example.com', { services: ['presence'] })])
    const platform = session.platform()
    const published = nextEvent(alice, 'presence:selfChange')
    alice.presence.update('Open', 'ActivitiesOther', 'Out for coffee')
    await published
    await watching(bob, 'alice@example.com')
    const held = { userId: 'alice@example.com', status: 'Open', activity: 'ActivitiesOther', note: 'Out for coffee', loading: false }
    const [got] = bob.presence.get('alice@example.com')
    expect(got).to.deep.equal(held)
    // The same object at every read until the entry changes, as the original SDK hands out.
    expect(bob.presence.getAll()[0]).to.equal(got)
    scribble(got!, 'status', 'Closed')
    scribble(got!, 'note', 'Gone home')
    const self = alice.presence.getSelf()
    scribble(self, 'status', 'Closed')
    scribble(self, 'note', 'Gone home')
    // The writes stay in the app's copy, handed out again until the entry changes, as the original's writable objects.
    expect(bob.presence.get('alice@example.com')[0]).to.equal(got).and.include({ status: 'Closed', note: 'Gone home' })
    expect(alice.presence.getSelf()).to.equal(self)

    // A failed fetch and a failed update make new entries from the state's own ones: the app's writes must not be in them.
    await platform.admin.fail({ prefix: '/cpaas/presence/v1/bob@example.com/adhocPresenceList', status: 500 })
    const fetchFailed = nextEvent(bob, 'presence:error')
    bob.presence.fetch('alice@example.com')
    await fetchFailed
    expect(bob.presence.get('alice@example.com')).to.deep.equal([held])
    expect(bob.presence.getAll()).to.deep.equal([held])
    await platform.admin.fail({ prefix: '/cpaas/presence/v1/alice@example.com/presenceSources', status: 503 })
    const updateFailed = nextEvent(alice, 'presence:error')
    alice.presence.update('Open', 'Busy')
    await updateFailed
    expect(alice.presence.getSelf()).to.include({ status: 'Open', activity: 'ActivitiesOther', note: 'Out for coffee', loading: false })
  })

  it('checks the arguments of get', async () => {
    const alice = await session.client('alice@example.com', { services: [] })
    expect(() => alice.presence.get(42 as unknown as string)).to.throw().with.property('code', 'BAD_INPUT')
    expect(alice.presence.get([])).to.deep.equal([])
    // As the original SDK, which looks up nobody then.
    expect(alice.presence.get(undefined as unknown as string)).to.deep.equal([])
  })
})
