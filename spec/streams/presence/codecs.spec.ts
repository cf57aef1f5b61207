import { expect } from 'chai'
import * as E from 'fp-ts/Either'
import fc from 'fast-check'
import { PresenceNotification } from '../../../streams/presence/codecs.js'

const person = (activities: unknown = { activityValue: 'Busy' }, willingness: unknown = { overridingWillingnessValue: 'Open' }) => ({ 'overriding-willingness': willingness, activities })
const notification = (fields: Record<string, unknown>) => ({ presentityUserId: 'ann@example.com', presence: { person: person() }, dateTime: 1, ...fields })

const valid: readonly unknown[] = [
  notification({}),
  notification({ dateTime: undefined }),
  notification({ presence: undefined }),
  { presentityUserId: 'ann@example.com' },
  { presentityUserId: '' },
  notification({ presence: { person: person({ activityValue: 'ActivitiesOther', other: 'at the dentist' }) } }),
  notification({ presence: { person: person({ activityValue: 'Lunch', other: undefined }) }, dateTime: NaN }),
  notification({ presence: { person: person(), extra: true }, id: 'n-1', link: [] }),
  Object.assign(Object.create(null) as object, notification({ presence: { person: person(Object.assign(Object.create(null) as object, { activityValue: 'Busy' })) } })),
]

const invalid: readonly unknown[] = [
  undefined,
  null,
  'presence',
  42,
  [],
  [notification({})],
  {},
  notification({ presentityUserId: undefined }),
  notification({ presentityUserId: 7 }),
  notification({ presentityUserId: null }),
  notification({ dateTime: '1' }),
  notification({ dateTime: null }),
  notification({ presence: null }),
  notification({ presence: 'Busy' }),
  notification({ presence: [] }),
  notification({ presence: {} }),
  notification({ presence: { person: [] } }),
  notification({ presence: { person: person(undefined, null) } }),
  notification({ presence: { person: person(undefined, { overridingWillingnessValue: true }) } }),
  notification({ presence: { person: person(null) } }),
  notification({ presence: { person: person({ activityValue: 3 }) } }),
  notification({ presence: { person: person({ activityValue: 'ActivitiesOther', other: null }) } }),
]

describe('presence codecs', () => {
  it('takes every well-formed presence notification through the codec’s guard, as its decode does, with the same content', () => {
    expect(valid).to.have.length(9)
    for (const payload of valid) {
      expect(PresenceNotification.is(payload), JSON.stringify(payload)).to.equal(true)
      const decoded = PresenceNotification.decode(payload)
      expect(E.isRight(decoded) && decoded.right, JSON.stringify(payload)).to.deep.equal(payload)
    }
  })

  it('refuses every malformed presence notification in the codec’s guard, as its decode does', () => {
    expect(invalid).to.have.length(22)
    for (const payload of invalid) {
      expect(PresenceNotification.is(payload), JSON.stringify(payload)).to.equal(false)
      expect(E.isLeft(PresenceNotification.decode(payload)), JSON.stringify(payload)).to.equal(true)
    }
  })

  it('the codec’s guard agrees with its decode on arbitrary payloads shaped like a notification', () => {
    // Each field mostly well-formed, else a value of another kind: most payloads are wrong in one place or none.
    const leaf = fc.oneof(fc.string({ maxLength: 2 }), fc.integer(), fc.constant(undefined), fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({}))
    const field = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ arbitrary, weight: 6 }, { arbitrary: leaf, weight: 1 })
    const activities = field(fc.record({ activityValue: field(fc.string()), other: field(fc.string()) }))
    const willingness = field(fc.record({ overridingWillingnessValue: field(fc.string()) }))
    const personShape = field(fc.record({ 'overriding-willingness': willingness, activities }))
    const payload = field(fc.record({ presentityUserId: field(fc.string()), presence: field(fc.record({ person: personShape })), dateTime: field(fc.double()) }))
    fc.assert(
      fc.property(payload, (value) => {
        expect(PresenceNotification.is(value)).to.equal(E.isRight(PresenceNotification.decode(value)))
      }),
      { seed: 14, numRuns: 2000 },
    )
  })
})
