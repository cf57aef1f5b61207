import { expect } from 'chai'
import { activities, statuses, toWireActivity, toWireStatus } from '../../../streams/presence/values.js'
import { person } from '../../../streams/presence/requests.js'

describe('presence values', () => {
  it('documents the statuses and activities in their wire form', () => {
    expect(statuses).to.deep.equal({ OPEN: 'Open', CLOSED: 'Closed' })
    expect(Object.keys(activities)).to.deep.equal(['AVAILABLE', 'BUSY', 'LUNCH', 'VACATION', 'ON_THE_PHONE', 'ACTIVITIES_UNKNOWN', 'ACTIVITIES_OTHER'])
    expect(Object.values(activities)).to.deep.equal(['Available', 'Busy', 'Lunch', 'Vacation', 'OnThePhone', 'ActivitiesUnknown', 'ActivitiesOther'])
    for (const value of Object.values(statuses)) expect(toWireStatus(value), value).to.equal(value)
    for (const value of Object.values(activities)) expect(toWireActivity(value), value).to.equal(value)
  })

  it('converts the legacy inputs before validation', () => {
    expect(['open', 'closed'].map((input) => toWireStatus(input))).to.deep.equal(['Open', 'Closed'])
    const legacy = ['active', 'idle', 'away', 'busy', 'lunch', 'vacation', 'on-the-phone', 'other', 'unknown']
    const wire = ['Available', 'Busy', 'Busy', 'Busy', 'Lunch', 'Vacation', 'OnThePhone', 'ActivitiesOther', 'ActivitiesUnknown']
    expect(legacy.map((input) => toWireActivity(input))).to.deep.equal(wire)
  })

  it('rejects anything else, including prototype names and other types', () => {
    for (const value of ['OPEN', 'away', 'constructor', '', 1, null, undefined, {}]) expect(toWireStatus(value)).to.equal(undefined)
    for (const value of ['AVAILABLE', 'toString', 'Open', 2, undefined]) expect(toWireActivity(value)).to.equal(undefined)
  })

  it('puts the note on the wire only with ActivitiesOther', () => {
    expect(person('Open', 'ActivitiesOther', 'Out')).to.deep.equal({
      'overriding-willingness': { overridingWillingnessValue: 'Open' },
      activities: { activityValue: 'ActivitiesOther', other: 'Out' },
    })
    expect(person('Open', 'Busy', 'Out').activities).to.deep.equal({ activityValue: 'Busy' })
  })
})
