import { expect } from 'chai'
import { BasicError } from '../../../streams/errors.js'
import { initialPresenceState, isStale, presenceReducer, type PresenceEvent, type PresenceState } from '../../../streams/presence/state.js'

const alice = { userId: 'alice@example.com', status: 'Open', activity: 'Available', note: undefined }
const reduce = (events: PresenceEvent[], from: PresenceState = initialPresenceState): PresenceState => events.reduce(presenceReducer, from)

describe('presence reducer', () => {
  it('stores the own presence from an update, with loading and error cleared', () => {
    const state = reduce([{ type: 'selfPresenceUpdated', status: 'Open', activity: 'ActivitiesOther', note: 'Out for coffee' }])
    expect(state.self).to.deep.equal({ status: 'Open', activity: 'ActivitiesOther', note: 'Out for coffee', loading: false, error: false })
  })

  it('marks the own presence loading while an update is under way, clearing the error of an earlier one', () => {
    const error = new BasicError('presence:1', 'Invalid presence status: x')
    const state = reduce([
      { type: 'selfPresenceUpdated', status: 'Open', activity: 'Busy', note: undefined },
      { type: 'presenceFailed', operation: 'update', error, userIds: [] },
      { type: 'selfPresenceUpdateStarted' },
    ])
    expect(state.self).to.deep.equal({ status: 'Open', activity: 'Busy', loading: true, error: false })
  })

  it('leaves the note out of the own presence when there is none', () => {
    const state = reduce([{ type: 'selfPresenceUpdated', status: 'Closed', activity: 'Busy', note: undefined }])
    expect(state.self).to.deep.equal({ status: 'Closed', activity: 'Busy', loading: false, error: false })
  })

  it('keeps the error of a failed update on the own presence', () => {
    const error = new BasicError('presence:1', 'Invalid presence status: x')
    const state = reduce([{ type: 'presenceFailed', operation: 'update', error, userIds: [] }])
    expect(state.self.error).to.equal(error)
  })

  it('marks fetched users loading, then stores what the platform returned', () => {
    const loading = reduce([{ type: 'presenceFetchStarted', userIds: ['alice@example.com'] }])
    expect(loading.users.get('alice@example.com')).to.deep.equal({ userId: 'alice@example.com', loading: true })
    const fetched = reduce([{ type: 'presenceFetched', userIds: ['alice@example.com'], presences: [alice] }], loading)
    expect(fetched.users.get('alice@example.com')).to.deep.equal({ userId: 'alice@example.com', status: 'Open', activity: 'Available', loading: false })
  })

  it('stops loading users the platform left out of a fetch, keeping what was known', () => {
    const known = reduce([
      { type: 'presenceReceived', presence: alice, stamp: 1 },
      { type: 'presenceFetchStarted', userIds: ['alice@example.com', 'bob@example.com'] },
      { type: 'presenceFetched', userIds: ['alice@example.com', 'bob@example.com'], presences: [] },
    ])
    expect(known.users.get('alice@example.com')).to.deep.include({ status: 'Open', loading: false })
    expect(known.users.get('bob@example.com')).to.deep.equal({ userId: 'bob@example.com', loading: false })
  })

  it('stops loading users whose fetch failed', () => {
    const state = reduce([
      { type: 'presenceFetchStarted', userIds: ['bob@example.com'] },
      { type: 'presenceFailed', operation: 'fetch', error: new BasicError(500, 'x'), userIds: ['bob@example.com'] },
    ])
    expect(state.users.get('bob@example.com')?.loading).to.equal(false)
  })

  it('keeps loading users whose subscription failed: only a failed fetch stops them', () => {
    const loading = reduce([{ type: 'presenceFetchStarted', userIds: ['bob@example.com'] }])
    const state = presenceReducer(loading, { type: 'presenceFailed', operation: 'subscribe', error: new BasicError('subscription:5', 'x'), userIds: ['bob@example.com'] })
    expect(state).to.equal(loading)
    expect(state.users.get('bob@example.com')?.loading).to.equal(true)
  })

  it('leaves the state as it was when a fetch ends for users that were not loading', () => {
    const known = reduce([{ type: 'presenceReceived', presence: alice, stamp: 1 }])
    const userIds = ['alice@example.com', 'nobody@example.com']
    for (const event of [
      { type: 'presenceFetched', userIds, presences: [] },
      { type: 'presenceFailed', operation: 'fetch', error: new BasicError(500, 'x'), userIds },
    ] satisfies PresenceEvent[]) {
      const state = presenceReducer(known, event)
      expect(state, event.type).to.equal(known)
      expect(state.users.has('nobody@example.com'), event.type).to.equal(false)
    }
  })

  it('stores a notified presence with its note', () => {
    const state = reduce([{ type: 'presenceReceived', presence: { ...alice, activity: 'ActivitiesOther', note: 'In a meeting' }, stamp: 5 }])
    expect(state.users.get('alice@example.com')).to.deep.equal({ userId: 'alice@example.com', status: 'Open', activity: 'ActivitiesOther', note: 'In a meeting', loading: false })
    expect(state.stamps.get('alice@example.com')).to.equal(5)
  })

  it('never lets an older notification overwrite a newer one', () => {
    const newer = reduce([{ type: 'presenceReceived', presence: { ...alice, status: 'Closed' }, stamp: 20 }])
    const replayed = presenceReducer(newer, { type: 'presenceReceived', presence: alice, stamp: 10 })
    expect(replayed).to.equal(newer)
    expect(isStale(newer, 'alice@example.com', 10)).to.equal(true)
    expect(isStale(newer, 'alice@example.com', 20)).to.equal(false)
    expect(isStale(newer, 'alice@example.com', undefined)).to.equal(false)
  })

  it('ignores re-sent older notifications of every user held, however long ago they were sent', () => {
    const userIds = Array.from({ length: 1000 }, (_, index) => `user${index}@example.com`)
    const current = reduce(userIds.map((userId, index) => ({ type: 'presenceReceived', presence: { ...alice, userId, activity: 'Busy' }, stamp: 5000 + index })))
    const replayed = userIds.reduce((state, userId, index) => presenceReducer(state, { type: 'presenceReceived', presence: { ...alice, userId }, stamp: 4000 + index }), current)
    expect(replayed).to.equal(current)
    expect(replayed.users.values().every((user) => user.activity === 'Busy')).to.equal(true)
  })

  it('changes only the notified user, the others and the previous state untouched', () => {
    const before = reduce(['ann', 'ben', 'cy'].map((name, index) => ({ type: 'presenceReceived', presence: { ...alice, userId: name }, stamp: index })))
    const after = presenceReducer(before, { type: 'presenceReceived', presence: { ...alice, userId: 'ben', activity: 'Lunch' }, stamp: 9 })
    expect(after.users.get('ann')).to.equal(before.users.get('ann'))
    expect(before.users.get('ben')?.activity).to.equal('Available')
    expect(after.users.values().map((user) => `${user.userId}:${user.activity}`)).to.deep.equal(['ann:Available', 'ben:Lunch', 'cy:Available'])
  })

  it('applies a notification without an order stamp, keeping the last stamp', () => {
    const stamped = reduce([{ type: 'presenceReceived', presence: alice, stamp: 20 }])
    const next = presenceReducer(stamped, { type: 'presenceReceived', presence: { ...alice, activity: 'Busy' }, stamp: undefined })
    expect(next.users.get('alice@example.com')?.activity).to.equal('Busy')
    expect(next.stamps.get('alice@example.com')).to.equal(20)
  })

  it('forgets an unwatched user and its stamp', () => {
    const state = reduce([
      { type: 'presenceReceived', presence: alice, stamp: 3 },
      { type: 'userUnwatched', userId: 'alice@example.com' },
    ])
    expect(state.users.size).to.equal(0)
    expect(state.stamps.size).to.equal(0)
  })

  it('changes nothing for facts that carry no state', () => {
    const state = reduce([{ type: 'presenceReceived', presence: alice, stamp: 3 }])
    for (const event of [
      { type: 'userWatched', userId: 'bob@example.com' },
      { type: 'stalePresenceIgnored', userId: 'alice@example.com', stamp: 1 },
      { type: 'userUnwatched', userId: 'nobody@example.com' },
      { type: 'presenceFetchStarted', userIds: [] },
      { type: 'presenceFailed', operation: 'subscribe', error: new BasicError('subscription:5', 'x'), userIds: ['bob@example.com'] },
    ] satisfies PresenceEvent[]) {
      expect(presenceReducer(state, event), event.type).to.equal(state)
    }
  })

  it('keeps any user id as data, even __proto__', () => {
    const state = reduce([{ type: 'presenceReceived', presence: { ...alice, userId: '__proto__' }, stamp: 1 }])
    expect(Object.keys(state.users.toRecord())).to.deep.equal(['__proto__'])
    expect(Object.getPrototypeOf(state.users.toRecord())).to.equal(Object.prototype)
    expect(state.users.get('__proto__')?.userId).to.equal('__proto__')
    expect(isStale(initialPresenceState, 'constructor', 1)).to.equal(false)
  })
})
