import { expect } from 'chai'
import { BasicError } from '../../../streams/errors.js'
import { initialUsersState, toUser, usersReducer } from '../../../streams/users/state.js'
import { searchQuery } from '../../../streams/users/feature.js'
import * as E from 'fp-ts/Either'

describe('users reducer and search query', () => {
  it('reads a directory item with attributes directly under it or under attributeList', () => {
    const attribute = [
      { name: 'primaryContact', value: 'jane@example.com' },
      { name: 'firstName', value: 'Jane' },
      { name: 'buddy', value: 'false' },
    ]
    const expected = { userId: 'jane@example.com', firstName: 'Jane', buddy: 'false' }
    expect(toUser({ attribute })).to.deep.equal(expected)
    expect(toUser({ attributeList: { attribute } })).to.deep.equal(expected)
    expect(toUser({ attribute: [{ name: 'firstName', value: 'x' }] })).to.equal(undefined)
    expect(toUser({ attribute: [{ name: 'primaryContact', value: '' }] })).to.equal(undefined)
  })

  it('merges found users into the known ones by user id', () => {
    const first = usersReducer(initialUsersState, { type: 'usersFound', operation: 'search', results: [{ userId: 'a', firstName: 'A', lastName: 'L' }], next: undefined })
    const second = usersReducer(first, { type: 'usersFound', operation: 'fetch', results: [{ userId: 'a', firstName: 'B' }], next: undefined })
    expect(second.users).to.deep.equal({ a: { userId: 'a', firstName: 'B', lastName: 'L' } })
  })

  it('keeps users whose id names an Object property (__proto__, constructor) as users, the record’s prototype untouched', () => {
    const first = usersReducer(initialUsersState, { type: 'usersFound', operation: 'search', results: [{ userId: '__proto__', firstName: 'P' }, { userId: 'constructor' }], next: undefined })
    const second = usersReducer(first, { type: 'usersFound', operation: 'search', results: [{ userId: '__proto__', lastName: 'Q' }], next: undefined })
    expect(Object.keys(second.users)).to.deep.equal(['__proto__', 'constructor'])
    expect(Object.getPrototypeOf(second.users)).to.equal(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(second.users, '__proto__')?.value).to.deep.equal({ userId: '__proto__', firstName: 'P', lastName: 'Q' })
  })

  it('changes nothing on failure or an empty result', () => {
    expect(usersReducer(initialUsersState, { type: 'usersFound', operation: 'search', results: [], next: undefined })).to.equal(initialUsersState)
    expect(usersReducer(initialUsersState, { type: 'directoryFailed', operation: 'search', error: new BasicError('users:3', 'x') })).to.equal(initialUsersState)
  })

  it('sends userId as userName, lets userName win, and drops unknown keys', () => {
    const query = (filters: unknown, options?: unknown) => E.getOrElseW(() => undefined)(searchQuery(filters, options))
    expect(query({ userId: 'jane', foo: 'bar' })?.query).to.deep.include({ userName: 'jane' }).and.not.have.property('foo')
    expect(query({ userId: 'jane', userName: 'j' })?.query.userName).to.equal('j')
    expect(query({ userId: 'jane', userName: '' })?.query.userName).to.equal('')
    expect(query({ firstName: 'J' }, { sortBy: 'lastName', order: 'desc', max: 5, next: 't' })?.query).to.deep.include({
      firstName: 'J',
      sortBy: 'lastName',
      order: 'desc',
      max: 5,
      next: 't',
    })
    expect(query({ directoryId: 'other' })?.directoryId).to.equal('other')
    expect(query(undefined)?.directoryId).to.equal('default')
  })

  it('rejects bad filters and options with users:4', () => {
    for (const [filters, options] of [
      ['jane', undefined],
      [{ name: 3 }, undefined],
      [{}, { order: 'up' }],
      [{}, { sortBy: 'shoeSize' }],
      [{}, { max: 0 }],
      [{}, { max: 2.5 }],
      [{}, []],
    ] as const) {
      const result = searchQuery(filters, options)
      expect(E.isLeft(result) && result.left.code, JSON.stringify([filters, options])).to.equal('users:4')
    }
  })
})
