import { expect } from 'chai'
import { connectionReducer, initialConnectionState, type ConnectionEvent, type ConnectionState } from '../../../streams/connection/state.js'
import { BasicError } from '../../../streams/errors.js'

const initial = initialConnectionState({ method: { type: 'keepAlive', responsibleParty: 'client' }, pingInterval: 30000, checkConnectivity: true })
const run = (events: ConnectionEvent[], from: ConnectionState = initial): ConnectionState => events.reduce(connectionReducer, from)
const error = new BasicError('subscription:1', 'x')

describe('streams/connection/state', () => {
  it('is connected and pinging (when checking is on) once opened', () => {
    expect(run([{ type: 'connecting', channelURL: '/c' }, { type: 'opened' }])).to.deep.include({ channelURL: '/c', connected: true, pinging: true, reconnecting: false })
  })

  it('tracks a reconnection cycle: lost, reconnecting, failed attempts, opened', () => {
    const cycle = run([
      { type: 'connecting', channelURL: '/c' },
      { type: 'opened' },
      { type: 'lost', error, reconnecting: true },
      { type: 'reconnecting' },
      { type: 'attemptFailed', failures: 2, delay: 5000, error },
    ])
    expect(cycle).to.deep.include({ channelURL: '/c', connected: false, pinging: false, reconnecting: true, failedAttempts: 2 })
    expect(run([{ type: 'opened' }], cycle)).to.deep.include({ connected: true, reconnecting: false, failedAttempts: 0 })
  })

  it('forgets the channel when it gives up, is closed, or is lost for good', () => {
    const open = run([{ type: 'connecting', channelURL: '/c' }, { type: 'opened' }])
    for (const event of [{ type: 'gaveUp', channelURL: '/c', error }, { type: 'closed' }, { type: 'lost', error, reconnecting: false }] as ConnectionEvent[]) {
      expect(connectionReducer(open, event)).to.deep.include({ channelURL: undefined, connected: false, pinging: false, reconnecting: false })
    }
  })

  it('switches pinging with checking while connected, and keeps the same state for no change', () => {
    const open = run([{ type: 'connecting', channelURL: '/c' }, { type: 'opened' }])
    expect(connectionReducer(open, { type: 'checkingSwitched', enabled: false })).to.deep.include({ checkConnectivity: false, pinging: false })
    expect(connectionReducer(open, { type: 'checkingSwitched', enabled: true })).to.equal(open)
    expect(connectionReducer(initial, { type: 'checkingSwitched', enabled: false })).to.deep.include({ pinging: false })
  })

  it('leaves the state alone for notifications and rejected frames', () => {
    expect(connectionReducer(initial, { type: 'frameRejected', error })).to.equal(initial)
    expect(connectionReducer(initial, { type: 'notificationReceived', notification: { kind: 'k', id: '1', body: {}, frame: {} } })).to.equal(initial)
  })
})
