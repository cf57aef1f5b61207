import { expect } from 'chai'
import { activities, statuses, toWireActivity, toWireStatus } from '../../../streams/presence/values.js'
import { person } from '../../../streams/presence/requests.js'

describe('presence values', () => {
  it('documents the statuses and activities in their wire form', () => {
    expect(statuses).to.deep.equal({ OPEN: 'Open', CLOSED: 'Closed' })
    expect(activities).to.deep.equal({
      AVAILABLE: 'Available',
      BUSY: 'Busy',
      LUNCH: 'Lunch',
      VACATION: 'Vacation',
      ON_THE_PHONE: 'OnThePhone',
      ACTIVITIES_UNKNOWN: 'ActivitiesUnknown',
      ACTIVITIES_OTHER: 'ActivitiesOther',
    })
  })

  it('converts the legacy inputs before validation', () => {
    expect(toWireStatus('open')).to.equal('Open')
    expect(toWireStatus('closed')).to.equal('Closed')
    const legacy: Record<string, string> = {
      active: 'Available',
      idle: 'Busy',
      away: 'Busy',
      busy: 'Busy',
      lunch: 'Lunch',
      vacation: 'Vacation',
      'on-the-phone': 'OnThePhone',
      other: 'ActivitiesOther',
      unknown: 'ActivitiesUnknown',
    }
    for (const [input, wire] of Object.entries(legacy)) expect(toWireActivity(input), input).to.equal(wire)
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
