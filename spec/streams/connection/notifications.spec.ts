import { expect } from 'chai'
import { IdCache, notificationIntake, toInboundNotification } from '../../../streams/connection/notifications.js'

const frame = (id: string, kind = 'chatMessageNotification') => ({ [kind]: { id, chatMessage: { text: id } } })
const accepted = (intake: ReturnType<typeof notificationIntake>, ids: string[]): string[] =>
  ids.filter((id) => intake.accept(frame(id)).type === 'accepted')

/** An IdCache of `capacity` that has seen `ids`, then resized to `size`. */
const resized = (capacity: number, ids: readonly string[], size: number): IdCache => {
  const cache = new IdCache(capacity)
  for (const id of ids) cache.seen(id)
  cache.resize(size)
  return cache
}
/** Whether `cache` had seen each of `ids`, asked in order (asking records the id too). */
const seenAgain = (cache: IdCache, ids: readonly string[]): boolean[] => ids.map((id) => cache.seen(id))

describe('streams/connection/notifications', () => {
  it('names the kind by the first top-level key whose value has an id, and keeps the whole frame', () => {
    const value = { first: null, second: 'text', inboundSMSMessageNotification: { id: 'n1', text: 'hi' }, later: { id: 'n2' } }
    const decoded = toInboundNotification(value)
    expect(decoded._tag).to.equal('Right')
    if (decoded._tag === 'Right') {
      expect(decoded.right.kind).to.equal('inboundSMSMessageNotification')
      expect(decoded.right.id).to.equal('n1')
      expect(decoded.right.body).to.equal(value.inboundSMSMessageNotification)
      expect(decoded.right.frame).to.equal(value)
    }
  })

  it('unwraps a notificationMessage envelope', () => {
    const value = { notificationMessage: { presenceNotification: { id: 'p1', presence: {} } } }
    const decoded = toInboundNotification(value)
    expect(decoded._tag === 'Right' && [decoded.right.kind, decoded.right.id, decoded.right.frame]).to.deep.equal(['presenceNotification', 'p1', value])
  })

  it('accepts numeric ids as text', () => {
    const decoded = toInboundNotification({ x: { id: 42 } })
    expect(decoded._tag === 'Right' && decoded.right.id).to.equal('42')
  })

  for (const [what, value] of [
    ['null', null],
    ['an array', [{ x: { id: '1' } }]],
    ['a number', 7],
    ['a string', 'chat'],
    ['an object whose values are null', { chatMessageNotification: null }],
    ['an object with no id', { chatMessageNotification: { text: 'x' } }],
    ['an object with an empty id', { chatMessageNotification: { id: '' } }],
    ['an object with id 0 (not truthy, notifications.md §2)', { chatMessageNotification: { id: 0 } }],
  ] as const) {
    it(`rejects ${what} with a BasicError instead of throwing`, () => {
      const decoded = toInboundNotification(value)
      expect(decoded._tag).to.equal('Left')
      expect(decoded._tag === 'Left' && decoded.left.code).to.equal('INVALID_NOTIFICATION')
    })
  }

  it('drops an id seen among the last idCacheLength notifications', () => {
    const intake = notificationIntake(3)
    expect(accepted(intake, ['a', 'b', 'a', 'c', 'b', 'c'])).to.deep.equal(['a', 'b', 'c'])
    expect(intake.accept(frame('a'))).to.deep.equal({ type: 'duplicate', id: 'a' })
  })

  it('accepts an id again once idCacheLength other ids came after it (first in, first out)', () => {
    const intake = notificationIntake(3)
    // 'a' repeated inside the window does not refresh its place: it is forgotten after b, c, d.
    expect(accepted(intake, ['a', 'b', 'a', 'c', 'd', 'a', 'b'])).to.deep.equal(['a', 'b', 'c', 'd', 'a', 'b'])
  })

  it('de-duplicates nothing with idCacheLength 0', () => {
    expect(accepted(notificationIntake(0), ['a', 'a', 'a'])).to.deep.equal(['a', 'a', 'a'])
  })

  it('keeps the newest ids when the window is resized', () => {
    expect(seenAgain(resized(4, ['a', 'b', 'c', 'd'], 2), ['d', 'c', 'a'])).to.deep.equal([true, true, false])
    expect(seenAgain(resized(2, ['a', 'b', 'c'], 5), ['b', 'c', 'a'])).to.deep.equal([true, true, false])
  })

  it('keeps the newest ids when shrinking a ring that has wrapped, and forgets those that no longer fit', () => {
    // Capacity 3 after a, b, c, d holds b, c, d with d written over a: the oldest (b) sits after the newest in the ring.
    expect(seenAgain(resized(3, ['a', 'b', 'c', 'd'], 2), ['d', 'c', 'b'])).to.deep.equal([true, true, false])
    // A ring not yet full: its write position restarts in the new ring, so the window is exactly the new size.
    expect(seenAgain(resized(4, ['a', 'b', 'c'], 2), ['c', 'b', 'a'])).to.deep.equal([true, true, false])
  })

  it('rounds a fractional idCacheLength down and treats a negative one as 0', () => {
    const fractional = notificationIntake(2.5)
    expect(accepted(fractional, ['a', 'b', 'c', 'a'])).to.deep.equal(['a', 'b', 'c', 'a'])
    expect(accepted(notificationIntake(-1), ['a', 'a'])).to.deep.equal(['a', 'a'])
    const resized = notificationIntake(3)
    resized.resize(1.9)
    expect(accepted(resized, ['a', 'a', 'b', 'a'])).to.deep.equal(['a', 'b', 'a'])
    resized.resize(-2)
    expect(accepted(resized, ['b', 'b'])).to.deep.equal(['b', 'b'])
  })

  it('takes an idCacheLength beyond the longest array (2^32 − 1) without throwing, and resizes it down', () => {
    const intake = notificationIntake(2 ** 32)
    expect(accepted(intake, ['a', 'b', 'a'])).to.deep.equal(['a', 'b'])
    intake.resize(5e9)
    expect(accepted(intake, ['c', 'a'])).to.deep.equal(['c'])
    intake.resize(1)
    expect(accepted(intake, ['c', 'b'])).to.deep.equal(['b'])
  })

  it('keeps a 100,000-id window exact', () => {
    const intake = notificationIntake(100000)
    const ids = Array.from({ length: 200000 }, (_, index) => `id-${index % 150000}`)
    const kept = ids.filter((id) => intake.accept({ k: { id } }).type === 'accepted')
    // 0..149999 once, then 150000..199999 repeat ids 0..49999, which left the window long ago.
    expect(kept).to.have.length(200000)
    // The window holds the last 100,000 accepted: id-100000..id-149999, then id-0..id-49999.
    expect(intake.accept({ k: { id: 'id-49999' } }).type).to.equal('duplicate')
    expect(intake.accept({ k: { id: 'id-100001' } }).type).to.equal('duplicate')
    // A new id pushes out the oldest, id-100000.
    expect(intake.accept({ k: { id: 'id-50000' } }).type).to.equal('accepted')
    expect(intake.accept({ k: { id: 'id-100000' } }).type).to.equal('accepted')
  })
})
