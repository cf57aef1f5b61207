import { expect } from 'chai'
import type { PlatformContext, PlatformFeature } from '../../../platform/context.js'
import { usePlatform, type LoginTokens } from '../../helpers/platform.js'
import { connect, createChannel, decodes, exceptionOf, subscribe, subscriptionPaths, type SubscribableService } from './wire.js'

let context: PlatformContext | undefined
/** Captures the context a feature module receives, to drive notify() as feature modules do. */
const capture: PlatformFeature = (ctx) => {
  context = ctx
}
const ctx = (): PlatformContext => context!

describe('platform core: service subscriptions and notification delivery', () => {
  const platform = usePlatform({ features: [capture] })
  let alice: LoginTokens
  let bob: LoginTokens
  before(async () => {
    alice = await platform().login('alice@example.com')
    bob = await platform().login('bob@example.com')
  })

  describe('subscription endpoints', () => {
    const services: SubscribableService[] = ['call', 'chat', 'smsinbound', 'smsoutbound']
    for (const service of services) {
      it(`${service}: POST echoes the object with a resourceURL whose id follows /subscriptions/; GET reads it; DELETE 204 then 404`, async () => {
        const channel = await createChannel(platform(), alice)
        const { path, wrapper, response: codec } = subscriptionPaths[service]
        const response = await platform().fetchAs(alice, 'POST', path('alice@example.com'), {
          [wrapper]: { callbackReference: { notifyURL: channel.callbackURL }, clientCorrelator: 'device-9' },
        })
        expect(response.status).to.equal(201)
        const json = await response.json()
        if (codec !== undefined) decodes(codec, json)
        const body = (json as Record<string, Record<string, unknown> & { resourceURL: string }>)[wrapper]!
        expect(body.callbackReference).to.deep.equal({ notifyURL: channel.callbackURL })
        expect(body.clientCorrelator).to.equal('device-9')
        const id = body.resourceURL.split('/subscriptions/')[1]!
        expect(id).to.match(/^[a-z0-9-]+$/)
        expect(body.resourceURL).to.equal(`${path('alice@example.com')}/${id}`)
        const read = await platform().fetchAs(alice, 'GET', body.resourceURL)
        expect(((await read.json()) as Record<string, { resourceURL: string }>)[wrapper]!.resourceURL).to.equal(body.resourceURL)
        expect((await platform().fetchAs(alice, 'DELETE', body.resourceURL)).status).to.equal(204)
        const again = await platform().fetchAs(alice, 'DELETE', body.resourceURL)
        expect(again.status).to.equal(404)
        expect((await exceptionOf(again)).messageId).to.equal('SVC0004')
      })
    }

    it("smsinbound: subscribes the user's own number when no destinationAddress is given, and echoes a given one", async () => {
      const channel = await createChannel(platform(), alice)
      const path = subscriptionPaths.smsinbound.path('alice@example.com')
      const plain = await platform().fetchAs(alice, 'POST', path, { subscription: { callbackReference: { notifyURL: channel.callbackURL } } })
      expect(((await plain.json()) as { subscription: { destinationAddress: string } }).subscription.destinationAddress).to.equal('+15551230001')
      const given = await platform().fetchAs(alice, 'POST', path, { subscription: { callbackReference: { notifyURL: channel.callbackURL }, destinationAddress: '+15551230001' } })
      expect(((await given.json()) as { subscription: { destinationAddress: string } }).subscription.destinationAddress).to.equal('+15551230001')
    })

    it("refuses a notifyURL that is not one of the user's channels with 400 naming the field", async () => {
      const bobs = await createChannel(platform(), bob)
      for (const notifyURL of ['ws-nope', bobs.callbackURL]) {
        const response = await platform().fetchAs(alice, 'POST', subscriptionPaths.chat.path('alice@example.com'), {
          chatNotificationSubscription: { callbackReference: { notifyURL } },
        })
        expect(response.status).to.equal(400)
        expect((await exceptionOf(response)).variables).to.deep.equal(['chatNotificationSubscription.callbackReference.notifyURL'])
      }
    })

    it('refuses a body without callbackReference.notifyURL with 400', async () => {
      const response = await platform().fetchAs(alice, 'POST', subscriptionPaths.call.path('alice@example.com'), { wrtcsNotificationSubscription: { clientCorrelator: 'x' } })
      expect(response.status).to.equal(400)
      expect((await exceptionOf(response)).variables).to.deep.equal(['wrtcsNotificationSubscription.callbackReference'])
    })

    it('reads a subscription with its clientCorrelator, only under its own service, and answers resourceURLs at v1 whatever version was asked', async () => {
      const channel = await createChannel(platform(), alice)
      const created = await platform().fetchAs(alice, 'POST', '/cpaas/chat/v2/alice@example.com/subscriptions', {
        chatNotificationSubscription: { callbackReference: { notifyURL: channel.callbackURL }, clientCorrelator: 'device-7' },
      })
      const { resourceURL } = ((await created.json()) as { chatNotificationSubscription: { resourceURL: string } }).chatNotificationSubscription
      expect(resourceURL).to.match(/^\/cpaas\/chat\/v1\/alice@example.com\/subscriptions\/[a-z0-9-]+$/)
      const read = (await (await platform().fetchAs(alice, 'GET', resourceURL)).json()) as { chatNotificationSubscription: { clientCorrelator: string } }
      expect(read.chatNotificationSubscription.clientCorrelator).to.equal('device-7')
      const id = resourceURL.split('/subscriptions/')[1]!
      expect((await platform().fetchAs(alice, 'GET', `/cpaas/webrtcsignaling/v1/alice@example.com/subscriptions/${id}`)).status).to.equal(404)
    })

    it("never deletes another user's subscription, nor one of another service by id", async () => {
      const channel = await createChannel(platform(), alice)
      const sub = await subscribe(platform(), alice, 'chat', channel)
      const id = sub.resourceURL.split('/subscriptions/')[1]!
      expect((await platform().fetchAs(bob, 'DELETE', `/cpaas/chat/v1/bob@example.com/subscriptions/${id}`)).status).to.equal(404)
      expect((await platform().fetchAs(alice, 'DELETE', `/cpaas/webrtcsignaling/v1/alice@example.com/subscriptions/${id}`)).status).to.equal(404)
      expect((await platform().fetchAs(alice, 'GET', sub.resourceURL)).status).to.equal(200)
    })
  })

  describe('notify', () => {
    it('delivers only notifications of subscribed services, with an id added inside the kind object', async () => {
      const channel = await createChannel(platform(), alice)
      await subscribe(platform(), alice, 'chat', channel)
      const socket = await connect(platform(), channel, alice.accessToken)
      ctx().notify('alice@example.com', 'call', { wrtcsEventNotification: { eventType: 'Ringing' } })
      ctx().notify('alice@example.com', 'chat', { chatMessageNotification: { chatMessage: { text: 'hi' } } })
      ctx().notify('alice@example.com', 'smsinbound', { inboundSMSMessageNotification: { inboundSMSMessage: { message: 'x' } } })
      const frames = (await socket.barrier()).map((frame) => JSON.parse(frame) as Record<string, Record<string, unknown>>)
      expect(frames).to.have.length(1)
      expect(Object.keys(frames[0]!)).to.deep.equal(['chatMessageNotification'])
      expect(frames[0]!.chatMessageNotification!.chatMessage).to.deep.equal({ text: 'hi' })
      expect(frames[0]!.chatMessageNotification!.id).to.be.a('string').and.match(/^[a-z0-9-]+$/)
      await socket.close()
    })

    it('gives every notification a fresh id, keeps an id that is already there, and reaches users by any address', async () => {
      const channel = await createChannel(platform(), alice)
      await subscribe(platform(), alice, 'smsinbound', channel)
      const socket = await connect(platform(), channel, alice.accessToken)
      const frame = { inboundSMSMessageNotification: { inboundSMSMessage: { message: 'same object' } } }
      ctx().notify('alice@example.com', 'smsinbound', frame)
      ctx().notify('+15551230001', 'smsinbound', frame)
      ctx().notify('alice@example.com', 'smsinbound', { inboundSMSMessageNotification: { id: 'replayed-1', inboundSMSMessage: {} } })
      const ids = (await socket.barrier()).map((f) => (JSON.parse(f) as { inboundSMSMessageNotification: { id: string } }).inboundSMSMessageNotification.id)
      expect(ids).to.have.length(3)
      expect(ids[0]).to.not.equal(ids[1])
      expect(ids[2]).to.equal('replayed-1')
      expect(frame.inboundSMSMessageNotification).to.not.have.property('id')
      await socket.close()
    })

    it('replaces an empty or null id with a fresh one (the SDK drops a notification without a truthy id)', async () => {
      const channel = await createChannel(platform(), alice)
      await subscribe(platform(), alice, 'smsinbound', channel)
      const socket = await connect(platform(), channel, alice.accessToken)
      ctx().notify('alice@example.com', 'smsinbound', { inboundSMSMessageNotification: { id: '', inboundSMSMessage: {} } })
      ctx().notify('alice@example.com', 'smsinbound', { inboundSMSMessageNotification: { id: null, inboundSMSMessage: {} } })
      const ids = (await socket.barrier()).map((f) => (JSON.parse(f) as { inboundSMSMessageNotification: { id: unknown } }).inboundSMSMessageNotification.id)
      expect(ids).to.have.length(2)
      for (const id of ids) expect(id).to.be.a('string').and.match(/^[a-z0-9-]+$/)
      await socket.close()
    })

    it('delivers once per channel even when the service is subscribed twice on it, and once to each subscribed channel', async () => {
      const first = await createChannel(platform(), alice, { clientCorrelator: 'tab-1' })
      const second = await createChannel(platform(), alice, { clientCorrelator: 'tab-2' })
      const unsubscribed = await createChannel(platform(), alice, { clientCorrelator: 'tab-3' })
      await subscribe(platform(), alice, 'call', first)
      await subscribe(platform(), alice, 'call', first)
      await subscribe(platform(), alice, 'call', second)
      const sockets = await Promise.all([first, second, unsubscribed].map((channel) => connect(platform(), channel, alice.accessToken)))
      ctx().notify('alice@example.com', 'call', { wrtcsEventNotification: { eventType: 'SessionEnded' } })
      const received = await Promise.all(sockets.map((socket) => socket.barrier()))
      expect(received.map((frames) => frames.length)).to.deep.equal([1, 1, 0])
      expect(received[0]![0]).to.equal(received[1]![0])
      await Promise.all(sockets.map((socket) => socket.close()))
    })

    it("never delivers one user's notifications to another user's channels", async () => {
      const alices = await createChannel(platform(), alice)
      const bobs = await createChannel(platform(), bob)
      await subscribe(platform(), alice, 'chat', alices)
      await subscribe(platform(), bob, 'chat', bobs)
      const [a, b] = await Promise.all([connect(platform(), alices, alice.accessToken), connect(platform(), bobs, bob.accessToken)])
      ctx().notify('bob@example.com', 'chat', { chatMessageNotification: { chatMessage: { text: 'for bob' } } })
      expect(await a.barrier()).to.deep.equal([])
      expect(await b.barrier()).to.have.length(1)
      await Promise.all([a.close(), b.close()])
    })

    it('stops delivering after the subscription is deleted, and after the channel is deleted', async () => {
      const channel = await createChannel(platform(), alice)
      const chat = await subscribe(platform(), alice, 'chat', channel)
      await subscribe(platform(), alice, 'call', channel)
      const socket = await connect(platform(), channel, alice.accessToken)
      await platform().fetchAs(alice, 'DELETE', chat.resourceURL)
      ctx().notify('alice@example.com', 'chat', { chatMessageNotification: { chatMessage: {} } })
      ctx().notify('alice@example.com', 'call', { wrtcsEventNotification: { eventType: 'Ringing' } })
      const frames = await socket.barrier()
      expect(frames.map((f) => Object.keys(JSON.parse(f) as object)[0])).to.deep.equal(['wrtcsEventNotification'])
      const callId = (await subscribe(platform(), alice, 'call', channel)).resourceURL
      await platform().fetchAs(alice, 'DELETE', channel.resourceURL)
      await socket.closed
      expect((await platform().fetchAs(alice, 'GET', callId)).status).to.equal(404)
      const state = await platform().admin.state()
      expect(state.users['alice@example.com']!.channels.map((c) => c.id)).to.not.include(channel.callbackURL)
    })

    it('keeps an idle channel (no subscriptions left) and its socket alive', async () => {
      const channel = await createChannel(platform(), alice)
      const chat = await subscribe(platform(), alice, 'chat', channel)
      const socket = await connect(platform(), channel, alice.accessToken)
      await platform().fetchAs(alice, 'DELETE', chat.resourceURL)
      expect(await socket.barrier()).to.deep.equal([])
      expect((await platform().fetchAs(alice, 'GET', channel.resourceURL)).status).to.equal(200)
      await socket.close()
    })

    it('queues notifications while the channel has no socket and flushes them in order on the next one', async () => {
      const channel = await createChannel(platform(), alice)
      await subscribe(platform(), alice, 'chat', channel)
      const first = await connect(platform(), channel, alice.accessToken)
      await first.close()
      for (let i = 0; i < 5; i++) ctx().notify('alice@example.com', 'chat', { chatMessageNotification: { n: i } })
      expect((await platform().admin.state()).users['alice@example.com']!.channels.find((c) => c.id === channel.callbackURL)!.queued).to.equal(5)
      const second = await connect(platform(), channel, alice.accessToken)
      const frames = (await second.barrier()).map((f) => (JSON.parse(f) as { chatMessageNotification: { n: number } }).chatMessageNotification.n)
      expect(frames).to.deep.equal([0, 1, 2, 3, 4])
      expect(await second.barrier()).to.deep.equal([])
      await second.close()
    })

    it('keeps only the last 100 queued notifications', async () => {
      const channel = await createChannel(platform(), alice)
      await subscribe(platform(), alice, 'chat', channel)
      for (let i = 0; i < 130; i++) ctx().notify('alice@example.com', 'chat', { chatMessageNotification: { n: i } })
      const socket = await connect(platform(), channel, alice.accessToken)
      const frames = (await socket.barrier()).map((f) => (JSON.parse(f) as { chatMessageNotification: { n: number } }).chatMessageNotification.n)
      expect(frames).to.have.length(100)
      expect(frames[0]).to.equal(30)
      expect(frames[99]).to.equal(129)
      await socket.close()
    })

    it('delivers to the newest of two sockets open on one channel, and to the older one once the newest closes', async () => {
      const channel = await createChannel(platform(), alice)
      await subscribe(platform(), alice, 'chat', channel)
      const older = await connect(platform(), channel, alice.accessToken)
      const newer = await connect(platform(), channel, alice.accessToken)
      ctx().notify('alice@example.com', 'chat', { chatMessageNotification: { n: 1 } })
      expect(await newer.barrier()).to.have.length(1)
      expect(await older.barrier()).to.deep.equal([])
      await newer.close()
      ctx().notify('alice@example.com', 'chat', { chatMessageNotification: { n: 2 } })
      expect(await older.barrier()).to.have.length(1)
      await older.close()
    })
  })

  describe('ctx.subscriptions and ctx.isOnline (for modules with their own subscription endpoint)', () => {
    it('adds a presence subscription on a channel by its callbackURL, reaches it with notify, and removes it', async () => {
      const channel = await createChannel(platform(), alice)
      const socket = await connect(platform(), channel, alice.accessToken)
      expect(ctx().subscriptions.add('alice@example.com', 'presence', 'ws-unknown')).to.equal(undefined)
      expect(ctx().subscriptions.add('bob@example.com', 'presence', channel.callbackURL)).to.equal(undefined)
      const added = ctx().subscriptions.add('alice@example.com', 'presence', channel.callbackURL, 'device')
      expect(added?.channelId).to.equal(channel.callbackURL)
      expect(added?.id).to.match(/^[a-z0-9-]+$/)
      expect(ctx().subscriptions.has('alice@example.com', 'presence')).to.equal(true)
      ctx().notify('alice@example.com', 'presence', { presenceNotification: { presentityUserId: 'bob@example.com' } })
      expect(await socket.barrier()).to.have.length(1)
      expect(ctx().subscriptions.remove('bob@example.com', added!.id)).to.equal(false)
      expect(ctx().subscriptions.remove('alice@example.com', added!.id)).to.equal(true)
      expect(ctx().subscriptions.remove('alice@example.com', added!.id)).to.equal(false)
      ctx().notify('alice@example.com', 'presence', { presenceNotification: { presentityUserId: 'bob@example.com' } })
      expect(await socket.barrier()).to.deep.equal([])
      await socket.close()
    })

    it('isOnline is true exactly while the user has an open socket', async () => {
      const channel = await createChannel(platform(), bob)
      expect(ctx().isOnline('bob@example.com')).to.equal(false)
      const socket = await connect(platform(), channel, bob.accessToken)
      expect(ctx().isOnline('bob@example.com')).to.equal(true)
      await socket.close()
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(ctx().isOnline('bob@example.com')).to.equal(false)
    })

    it('persisted() returns the same instance for the same name; id() is lowercase [a-z0-9-]', () => {
      const a = ctx().persisted('shared-spec', () => ({ items: [] as string[] }))
      const b = ctx().persisted('shared-spec', () => ({ items: ['other'] }))
      expect(a).to.equal(b)
      a.value.items.push('x')
      expect(b.value.items).to.deep.equal(['x'])
      for (let i = 0; i < 20; i++) expect(ctx().id()).to.match(/^[a-z0-9-]+$/)
      expect(ctx().baseUrl()).to.equal(platform().url)
    })
  })
})
