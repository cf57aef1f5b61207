import { expect } from 'chai'
import { BasicError } from '../../../streams/errors.js'
import { initialSubscriptionState, subscribedServices, subscriptionReducer, type Channel, type SubscriptionEvent, type SubscriptionState } from '../../../streams/subscription/state.js'

const channel: Channel = { id: 'c1', callbackURL: 'cb', channelURL: '/ws', resourceURL: '/r/c1', channelType: 'Websockets', lifetime: 3600 }
const sub = (service: 'call' | 'chat' | 'smsinbound' | 'presence', id = `${service}-1`) => ({ service, id, resourceURL: `/x/${id}` })
const run = (events: SubscriptionEvent[], from: SubscriptionState = initialSubscriptionState): SubscriptionState => events.reduce(subscriptionReducer, from)
const error = new BasicError('subscription:1', 'x')

describe('streams/subscription/state', () => {
  const subscribed = run([
    { type: 'operationStarted', operation: 'subscribe' },
    { type: 'channelCreated', channel },
    { type: 'servicesSubscribed', subscriptions: [sub('call'), sub('chat')], failed: [{ service: 'presence', error }] },
  ])

  it('is pending from the start of a request to its end, and lists what got subscribed', () => {
    expect(run([{ type: 'operationStarted', operation: 'subscribe' }]).isPending).to.equal(true)
    expect(subscribed.isPending).to.equal(false)
    expect(subscribedServices(subscribed)).to.deep.equal(['call', 'chat'])
  })

  it('replaces the record of a service subscribed again', () => {
    const again = run([{ type: 'servicesSubscribed', subscriptions: [sub('chat', 'chat-2')], failed: [] }], subscribed)
    expect(again.subscriptions.map((s) => s.id)).to.deep.equal(['call-1', 'chat-2'])
  })

  it('removes only the unsubscribed services, or everything with the channel', () => {
    expect(subscribedServices(run([{ type: 'servicesUnsubscribed', services: ['chat'], channelDeleted: false }], subscribed))).to.deep.equal(['call'])
    expect(run([{ type: 'servicesUnsubscribed', services: ['call', 'chat'], channelDeleted: true }], subscribed)).to.deep.include({ channel: undefined, subscriptions: [] })
  })

  it('drops the channel and its subscriptions when it is lost or unusable, and swaps both when replaced', () => {
    expect(run([{ type: 'channelLost', error }], subscribed)).to.deep.include({ channel: undefined, subscriptions: [] })
    expect(run([{ type: 'operationFailed', operation: 'subscribe', error, channelDropped: true }], subscribed)).to.deep.include({ channel: undefined, isPending: false })
    expect(run([{ type: 'operationFailed', operation: 'subscribe', error, channelDropped: false }], subscribed).channel).to.equal(channel)
    const next = { ...channel, id: 'c2' }
    expect(run([{ type: 'channelReplaced', channel: next, subscriptions: [sub('chat', 'chat-9')], failed: [] }], subscribed)).to.deep.include({ channel: next, subscriptions: [sub('chat', 'chat-9')] })
  })

  it('keeps the granted lifetime of a refresh, and nothing else changes for a rejected request', () => {
    expect(run([{ type: 'channelRefreshed', attemptNum: 1, lifetime: 600 }], subscribed).channel?.lifetime).to.equal(600)
    expect(subscriptionReducer(subscribed, { type: 'requestRejected', operation: 'unsubscribe', error })).to.equal(subscribed)
    expect(subscriptionReducer(subscribed, { type: 'channelRefreshFailed', attemptNum: 1, error })).to.equal(subscribed)
  })

  it('starts a new channel with no subscriptions, and ends a failed request that kept its channel', () => {
    expect(run([{ type: 'channelCreated', channel: { ...channel, id: 'c2' } }], subscribed).subscriptions).to.deep.equal([])
    const pending = run([{ type: 'operationStarted', operation: 'unsubscribe' }], subscribed)
    expect(run([{ type: 'operationFailed', operation: 'unsubscribe', error, channelDropped: false }], pending)).to.deep.include({ isPending: false, channel })
  })

  it('keeps the same state when a refresh grants the lifetime the channel already has', () => {
    expect(run([{ type: 'channelRefreshed', attemptNum: 1, lifetime: channel.lifetime }], subscribed)).to.equal(subscribed)
  })

  it('names each subscribed service once', () => {
    const twice = { ...subscribed, subscriptions: [sub('presence', 'p-1'), sub('call'), sub('presence', 'p-2')] }
    expect(subscribedServices(twice)).to.deep.equal(['presence', 'call'])
  })
})
