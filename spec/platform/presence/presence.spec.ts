import { expect } from 'chai'
import { usePersistedPlatform, usePlatform, type LoginTokens, type TestPlatform } from '../../helpers/platform.js'
import * as E from 'fp-ts/Either'
import type * as t from 'io-ts'
import { AdhocPresenceListResponse, PresenceContactResponse, PresenceNotification, PresenceSourceResponse } from '../../../streams/presence/codecs.js'
import { CreatePresenceListResponse, PresenceListCollection, PresenceListSubscriptionResponse } from '../../../streams/subscription/codecs.js'
import { connect, createChannel, exceptionOf, jsonRequest, type Json, type SocketClient } from '../core/wire.js'

/** Asserts that a body has the shape the SDK decodes it with (the shared codec). */
const shaped = <A>(codec: t.Decoder<unknown, A>, body: unknown): void => {
  const decoded = codec.decode(body)
  expect(E.isRight(decoded), JSON.stringify(body)).to.equal(true)
}


const person = (status: string, activity: string, other?: string) => ({
  'overriding-willingness': { overridingWillingnessValue: status },
  activities: other === undefined ? { activityValue: activity } : { activityValue: activity, other },
})

describe('platform: presence', () => {
  const platform = usePlatform()
  const base = (tokens: LoginTokens) => `/cpaas/presence/v1/${tokens.userId}`
  const call = (tokens: LoginTokens, method: string, path: string, body?: unknown) => jsonRequest(platform(), tokens, method, `${base(tokens)}${path}`, body)
  const publish = (tokens: LoginTokens, status: string, activity: string, other?: string, clientCorrelator = 'device-1') =>
    call(tokens, 'POST', '/presenceSources', { presenceSource: { clientCorrelator, presence: { person: person(status, activity, other) } } })

  /** A user with a channel, a socket, a presence list and a subscription on it, as the SDK sets it up (§1.4). */
  interface Watcher {
    readonly tokens: LoginTokens
    readonly socket: SocketClient
    readonly listId: string
    readonly subscriptionURL: string
  }
  const sockets: SocketClient[] = []
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((socket) => socket.close()))
  })

  const watcher = async (userId: string): Promise<Watcher> => {
    const tokens = await platform().login(userId)
    const channel = await createChannel(platform(), tokens)
    const socket = await connect(platform(), channel, tokens.accessToken)
    sockets.push(socket)
    const lists = await call(tokens, 'GET', '/presenceLists')
    expect(lists.status).to.equal(200)
    shaped(PresenceListCollection, lists.body)
    let listURL: string = lists.body.presenceListCollection.presenceList[0]?.resourceURL
    if (listURL === undefined) {
      const created = await call(tokens, 'POST', '/presenceLists', { presenceList: { 'x-listName': 'myList', presenceContact: [] } })
      expect(created.status).to.equal(201)
      shaped(CreatePresenceListResponse, created.body)
      listURL = created.body.presenceList.resourceURL
    }
    const listId = listURL.split('/').pop()!
    const subscribed = await call(tokens, 'POST', `/subscriptions/presenceListSubscriptions/${listId}`, {
      presenceListSubscription: { callbackReference: { notifyURL: channel.callbackURL }, clientCorrelator: 'device-1', duration: 86400 },
    })
    expect(subscribed.status).to.equal(201)
    shaped(PresenceListSubscriptionResponse, subscribed.body)
    return { tokens, socket, listId, subscriptionURL: subscribed.body.presenceListSubscription.resourceURL }
  }
  const watch = (w: Watcher, user: string) => call(w.tokens, 'PUT', `/presenceLists/${w.listId}/presenceContacts/${user}`, { presenceContact: { presentityUserId: user } })
  const presenceFrames = (frames: string[]) => frames.map((frame) => JSON.parse(frame) as Json).filter((frame) => 'presenceNotification' in frame).map((frame) => frame.presenceNotification)

  it('stores a publish and answers 201 with the presence, the clientCorrelator and one source per device', async () => {
    const alice = await platform().login('alice@example.com')
    const first = await publish(alice, 'Open', 'ActivitiesOther', 'Out for coffee')
    expect(first.status).to.equal(201)
    shaped(PresenceSourceResponse, first.body)
    expect(first.body.presenceSource.clientCorrelator).to.equal('device-1')
    expect(first.body.presenceSource.presence.person).to.deep.equal(person('Open', 'ActivitiesOther', 'Out for coffee'))
    expect(first.body.presenceSource.resourceURL).to.match(/^\/cpaas\/presence\/v1\/alice@example\.com\/presenceSources\/[a-z0-9-]+$/)
    const again = await publish(alice, 'Closed', 'Busy')
    expect(again.body.presenceSource.resourceURL).to.equal(first.body.presenceSource.resourceURL)
    const otherDevice = await publish(alice, 'Closed', 'Busy', undefined, 'device-2')
    expect(otherDevice.body.presenceSource.resourceURL).not.to.equal(first.body.presenceSource.resourceURL)
  })

  it('keeps the note only with ActivitiesOther', async () => {
    const alice = await platform().login('alice@example.com')
    const published = await publish(alice, 'Open', 'Busy', 'ignored')
    expect(published.body.presenceSource.presence.person.activities).to.deep.equal({ activityValue: 'Busy' })
  })

  it('rejects a status or activity outside the wire values with 400 SVC0002', async () => {
    const alice = await platform().login('alice@example.com')
    for (const [status, activity] of [
      ['open', 'Available'],
      ['Open', 'Sleeping'],
    ]) {
      const response = await platform().fetchAs(alice, 'POST', `${base(alice)}/presenceSources`, { presenceSource: { presence: { person: person(status!, activity!) } } })
      expect(response.status).to.equal(400)
      expect((await exceptionOf(response)).messageId).to.equal('SVC0002')
    }
    const missing = await platform().fetchAs(alice, 'POST', `${base(alice)}/presenceSources`, { presenceSource: { presence: { person: {} } } })
    expect(missing.status).to.equal(400)
  })

  it('answers a one-shot fetch for every requested user, Closed / ActivitiesUnknown for who never published', async () => {
    const bob = await platform().login('bob@example.com')
    await publish(bob, 'Open', 'Lunch')
    const carol = await platform().login('carol@example.com')
    const fetched = await call(carol, 'POST', '/adhocPresenceList', { adhocPresenceList: { presentityUserId: ['bob@example.com', 'dave@example.com', 'nobody@example.com'] } })
    expect(fetched.status).to.equal(200)
    shaped(AdhocPresenceListResponse, fetched.body)
    expect(fetched.body.presenceList.presenceContact).to.deep.equal([
      { presentityUserId: 'bob@example.com', presence: { person: person('Open', 'Lunch') } },
      { presentityUserId: 'dave@example.com', presence: { person: person('Closed', 'ActivitiesUnknown') } },
      { presentityUserId: 'nobody@example.com', presence: { person: person('Closed', 'ActivitiesUnknown') } },
    ])
  })

  it('lists, creates and subscribes presence lists with presenceListId in the subscription (§1.4)', async () => {
    const w = await watcher('dave@example.com')
    const lists = await call(w.tokens, 'GET', '/presenceLists')
    expect(lists.body.presenceListCollection.presenceList).to.deep.equal([
      { resourceURL: `/cpaas/presence/v1/dave@example.com/presenceLists/${w.listId}`, 'x-listName': 'myList' },
    ])
    expect(w.subscriptionURL).to.match(new RegExp(`^/cpaas/presence/v1/dave@example\\.com/subscriptions/presenceListSubscriptions/${w.listId}/[a-z0-9-]+$`))
    const one = await call(w.tokens, 'GET', `/presenceLists/${w.listId}`)
    expect(one.body.presenceList['x-listName']).to.equal('myList')
  })

  it('sends a watcher the current presence at once, then one notification per publish, in increasing order', async () => {
    const alice = await platform().login('alice@example.com')
    await publish(alice, 'Open', 'Available')
    const w = await watcher('bob@example.com')
    const watched = await watch(w, 'alice@example.com')
    expect([200, 201]).to.include(watched.status)
    expect(watched.body).to.deep.equal({ presenceContact: { presentityUserId: 'alice@example.com' } })
    shaped(PresenceContactResponse, watched.body)
    const [initial] = presenceFrames(await w.socket.barrier())
    shaped(PresenceNotification, initial)
    expect(initial).to.deep.include({ presentityUserId: 'alice@example.com', presence: { person: person('Open', 'Available') } })
    expect(initial.id).to.be.a('string')

    await publish(alice, 'Open', 'ActivitiesOther', 'In a meeting')
    await publish(alice, 'Closed', 'Vacation')
    const changes = presenceFrames(await w.socket.barrier())
    expect(changes.map((frame) => frame.presence.person)).to.deep.equal([person('Open', 'ActivitiesOther', 'In a meeting'), person('Closed', 'Vacation')])
    expect(changes[0].dateTime).to.be.greaterThan(initial.dateTime)
    expect(changes[1].dateTime).to.be.greaterThan(changes[0].dateTime)
    expect(new Set([initial.id, ...changes.map((frame) => frame.id)]).size).to.equal(3)
  })

  it('fans one publish out to every subscribed watcher, and to no one else', async () => {
    const carol = await platform().login('carol@example.com')
    const watchers = await Promise.all(['alice@example.com', 'bob@example.com', 'dave@example.com'].map(watcher))
    for (const w of watchers) {
      await watch(w, 'carol@example.com')
      await w.socket.barrier()
    }
    // Dave stops watching; Bob ends his list subscription.
    expect((await call(watchers[2]!.tokens, 'DELETE', `/presenceLists/${watchers[2]!.listId}/presenceContacts/carol@example.com`)).status).to.equal(204)
    const unsubscribed = await platform().fetchAs(watchers[1]!.tokens, 'DELETE', watchers[1]!.subscriptionURL)
    expect(unsubscribed.status).to.equal(204)

    await publish(carol, 'Open', 'OnThePhone')
    const [alice, bob, dave] = await Promise.all(watchers.map(async (w) => presenceFrames(await w.socket.barrier())))
    expect(alice!.map((frame) => frame.presence.person)).to.deep.equal([person('Open', 'OnThePhone')])
    expect(bob).to.deep.equal([])
    expect(dave).to.deep.equal([])
  })

  it('takes addresses in any case: a user watched in two spellings is held once, and unwatched in a third', async () => {
    const carol = await platform().login('carol@example.com')
    const w = await watcher('alice@example.com')
    const carols = async () =>
      ((await call(w.tokens, 'GET', `/presenceLists/${w.listId}`)).body.presenceList.presenceContact as Json[]).filter((c) => /^carol@/i.test(c.presentityUserId))
    await call(w.tokens, 'DELETE', `/presenceLists/${w.listId}/presenceContacts/carol@example.com`)
    expect((await watch(w, 'Carol@Example.com')).status).to.equal(201)
    expect((await watch(w, 'carol@example.com')).status).to.equal(200)
    expect(await carols()).to.deep.equal([{ presentityUserId: 'Carol@Example.com' }])
    await w.socket.barrier()
    expect((await call(w.tokens, 'DELETE', `/presenceLists/${w.listId}/presenceContacts/CAROL@example.com`)).status).to.equal(204)
    expect(await carols()).to.deep.equal([])
    await publish(carol, 'Open', 'OnThePhone')
    expect(presenceFrames(await w.socket.barrier())).to.deep.equal([])
  })

  it("accepts the reference's comma-joined array form when watching (§1.5)", async () => {
    const w = await watcher('alice@example.com')
    const response = await platform().fetchAs(w.tokens, 'PUT', `${base(w.tokens)}/presenceLists/${w.listId}/presenceContacts/bob@example.com,carol@example.com`, {
      presenceContact: { presentityUserId: ['bob@example.com', 'carol@example.com'] },
    })
    expect(response.status).to.equal(201)
    expect(await response.json()).to.deep.equal({ presenceContact: { presentityUserId: ['bob@example.com', 'carol@example.com'] } })
    expect(presenceFrames(await w.socket.barrier()).map((frame) => frame.presentityUserId)).to.deep.equal(['bob@example.com', 'carol@example.com'])
    const list = await call(w.tokens, 'GET', `/presenceLists/${w.listId}`)
    expect(list.body.presenceList.presenceContact.map((c: Json) => c.presentityUserId)).to.include.members(['bob@example.com', 'carol@example.com'])
  })

  it('answers 404 for unknown lists, contacts and subscriptions, 400 for an unknown channel', async () => {
    const alice = await platform().login('alice@example.com')
    expect((await call(alice, 'PUT', '/presenceLists/nope/presenceContacts/bob@example.com', { presenceContact: { presentityUserId: 'bob@example.com' } })).status).to.equal(404)
    expect((await call(alice, 'GET', '/presenceLists/nope')).status).to.equal(404)
    expect((await call(alice, 'DELETE', '/subscriptions/presenceListSubscriptions/nope/nope')).status).to.equal(404)
    const w = await watcher('alice@example.com')
    const channel = await createChannel(platform(), alice)
    const unknownList = await call(alice, 'POST', '/subscriptions/presenceListSubscriptions/nope', { presenceListSubscription: { callbackReference: { notifyURL: channel.callbackURL } } })
    expect(unknownList.status).to.equal(404)
    const subscriptionId = w.subscriptionURL.split('/').pop()!
    expect((await call(alice, 'DELETE', `/subscriptions/presenceListSubscriptions/other-list/${subscriptionId}`)).status).to.equal(404)
    const bob = await platform().login('bob@example.com')
    expect((await call(bob, 'DELETE', `/subscriptions/presenceListSubscriptions/${w.listId}/${subscriptionId}`)).status).to.equal(404)
    expect((await call(alice, 'DELETE', `/presenceLists/${w.listId}/presenceContacts/nobody@example.com`)).status).to.equal(404)
    const bad = await call(alice, 'POST', `/subscriptions/presenceListSubscriptions/${w.listId}`, { presenceListSubscription: { callbackReference: { notifyURL: 'ws-unknown' } } })
    expect(bad.status).to.equal(400)
    expect(bad.body.requestError.serviceException.messageId).to.equal('SVC0002')
  })

  it('answers a subscription with the callback, clientCorrelator and a duration of 86400 s when none was asked', async () => {
    const dave = await platform().login('dave@example.com')
    const channel = await createChannel(platform(), dave)
    const created = await call(dave, 'POST', '/presenceLists', { presenceList: {} })
    expect(created.body.presenceList['x-listName']).to.equal('myList')
    const listId: string = created.body.presenceList.resourceURL.split('/').pop()
    const subscribed = await call(dave, 'POST', `/subscriptions/presenceListSubscriptions/${listId}`, {
      presenceListSubscription: { callbackReference: { notifyURL: channel.callbackURL }, clientCorrelator: 'device-9' },
    })
    const { resourceURL, ...rest } = subscribed.body.presenceListSubscription
    expect(rest).to.deep.equal({ callbackReference: { notifyURL: channel.callbackURL }, clientCorrelator: 'device-9', duration: 86400, presenceListId: listId })
    expect(resourceURL).to.be.a('string')
  })

  it('creates a list with the users it names, and forgets a user once unwatched', async () => {
    const carol = await platform().login('carol@example.com')
    const created = await call(carol, 'POST', '/presenceLists', { presenceList: { 'x-listName': 'friends', presenceContact: [{ presentityUserId: 'alice@example.com' }, { presentityUserId: 'bob@example.com' }] } })
    const listId: string = created.body.presenceList.resourceURL.split('/').pop()
    const contacts = async () => ((await call(carol, 'GET', `/presenceLists/${listId}`)).body.presenceList.presenceContact as Json[]).map((c) => c.presentityUserId)
    expect(await contacts()).to.deep.equal(['alice@example.com', 'bob@example.com'])
    expect((await call(carol, 'DELETE', `/presenceLists/${listId}/presenceContacts/alice@example.com`)).status).to.equal(204)
    expect(await contacts()).to.deep.equal(['bob@example.com'])
  })

  it('answers 200 when watching a user already watched, and keeps them once', async () => {
    const w = await watcher('bob@example.com')
    expect((await watch(w, 'dave@example.com')).status).to.equal(201)
    expect((await watch(w, 'dave@example.com')).status).to.equal(200)
    const list = await call(w.tokens, 'GET', `/presenceLists/${w.listId}`)
    expect((list.body.presenceList.presenceContact as Json[]).filter((c) => c.presentityUserId === 'dave@example.com')).to.have.length(1)
  })

  it('lists each requested user once, ignoring blanks and surrounding spaces', async () => {
    const carol = await platform().login('carol@example.com')
    const fetched = await call(carol, 'POST', '/adhocPresenceList', { adhocPresenceList: { presentityUserId: ['bob@example.com', ' bob@example.com ', '', 'dave@example.com'] } })
    expect((fetched.body.presenceList.presenceContact as Json[]).map((c) => c.presentityUserId)).to.deep.equal(['bob@example.com', 'dave@example.com'])
  })

  it('knows a user under any address form, answering with the form the watcher wrote', async () => {
    const alice = await platform().login('alice@example.com')
    await publish(alice, 'Open', 'Busy')
    const bob = await platform().login('bob@example.com')
    const fetched = await call(bob, 'POST', '/adhocPresenceList', { adhocPresenceList: { presentityUserId: ['ALICE@example.com'] } })
    expect(fetched.body.presenceList.presenceContact).to.deep.equal([{ presentityUserId: 'ALICE@example.com', presence: { person: person('Open', 'Busy') } }])
    const w = await watcher('dave@example.com')
    await watch(w, 'ALICE@example.com')
    await w.socket.barrier()
    await publish(alice, 'Open', 'Lunch')
    const frames = presenceFrames(await w.socket.barrier())
    expect(frames.map((frame) => [frame.presentityUserId, frame.presence.person])).to.deep.equal([['ALICE@example.com', person('Open', 'Lunch')]])
  })

  it('notifies only for users in a subscribed list, and stops with the unsubscribed list', async () => {
    const w = await watcher('dave@example.com')
    const channel = await createChannel(platform(), w.tokens)
    const other = await call(w.tokens, 'POST', '/presenceLists', { presenceList: { 'x-listName': 'other', presenceContact: [] } })
    const otherId: string = other.body.presenceList.resourceURL.split('/').pop()
    const subscribed = await call(w.tokens, 'POST', `/subscriptions/presenceListSubscriptions/${otherId}`, { presenceListSubscription: { callbackReference: { notifyURL: channel.callbackURL } } })
    const unwatched = await call(w.tokens, 'POST', '/presenceLists', { presenceList: { 'x-listName': 'unwatched', presenceContact: [] } })
    const unwatchedId: string = unwatched.body.presenceList.resourceURL.split('/').pop()
    // Bob only in the unsubscribed list; Carol only in the list whose subscription ends.
    await call(w.tokens, 'PUT', `/presenceLists/${unwatchedId}/presenceContacts/bob@example.com`, { presenceContact: { presentityUserId: 'bob@example.com' } })
    await call(w.tokens, 'PUT', `/presenceLists/${otherId}/presenceContacts/carol@example.com`, { presenceContact: { presentityUserId: 'carol@example.com' } })
    expect(presenceFrames(await w.socket.barrier()).map((frame) => frame.presentityUserId)).to.deep.equal(['carol@example.com'])
    expect((await platform().fetchAs(w.tokens, 'DELETE', subscribed.body.presenceListSubscription.resourceURL)).status).to.equal(204)
    expect((await platform().fetchAs(w.tokens, 'DELETE', subscribed.body.presenceListSubscription.resourceURL)).status).to.equal(404)
    await publish(await platform().login('bob@example.com'), 'Open', 'Busy')
    await publish(await platform().login('carol@example.com'), 'Open', 'Busy')
    expect(presenceFrames(await w.socket.barrier())).to.deep.equal([])
  })

  it('versions every publish apart, even several within one millisecond', async () => {
    const w = await watcher('carol@example.com')
    await watch(w, 'bob@example.com')
    await w.socket.barrier()
    const bob = await platform().login('bob@example.com')
    await Promise.all(['Busy', 'Lunch', 'Vacation', 'Available', 'OnThePhone', 'Busy', 'Lunch', 'Vacation'].map((activity) => publish(bob, 'Open', activity)))
    const times = presenceFrames(await w.socket.barrier()).map((frame) => frame.dateTime as number)
    expect(times).to.have.length(8)
    expect(new Set(times).size).to.equal(8)
  })

  it("keeps every user's lists to themselves", async () => {
    const w = await watcher('alice@example.com')
    const bob = await platform().login('bob@example.com')
    expect((await call(bob, 'GET', `/presenceLists/${w.listId}`)).status).to.equal(404)
    expect((await platform().fetchAs(bob, 'GET', `${base(w.tokens)}/presenceLists`)).status).to.equal(403)
  })

  it('deletes a list with its subscriptions', async () => {
    const w = await watcher('carol@example.com')
    expect((await call(w.tokens, 'DELETE', `/presenceLists/${w.listId}`)).status).to.equal(204)
    expect((await call(w.tokens, 'GET', `/presenceLists/${w.listId}`)).status).to.equal(404)
    expect((await platform().fetchAs(w.tokens, 'DELETE', w.subscriptionURL)).status).to.equal(404)
  })
})

describe('platform: presence persistence', () => {
  const { platform: current, startAgain } = usePersistedPlatform()
  const base = (tokens: LoginTokens) => `/cpaas/presence/v1/${tokens.userId}`
  const call = (platform: TestPlatform, tokens: LoginTokens, method: string, path: string, body?: unknown) => jsonRequest(platform, tokens, method, `${base(tokens)}${path}`, body)

  it('still tells a watcher about the users of their list after a restart', async () => {
    let platform = current()
    let bob = await platform.login('bob@example.com')
    const created = await call(platform, bob, 'POST', '/presenceLists', { presenceList: { 'x-listName': 'myList', presenceContact: [{ presentityUserId: 'alice@example.com' }] } })
    const listId: string = created.body.presenceList.resourceURL.split('/').pop()
    platform = await startAgain()
    bob = await platform.login('bob@example.com')
    const channel = await createChannel(platform, bob)
    const socket = await connect(platform, channel, bob.accessToken)
    try {
      await call(platform, bob, 'POST', `/subscriptions/presenceListSubscriptions/${listId}`, { presenceListSubscription: { callbackReference: { notifyURL: channel.callbackURL } } })
      const alice = await platform.login('alice@example.com')
      await call(platform, alice, 'POST', '/presenceSources', { presenceSource: { presence: { person: person('Open', 'Available') } } })
      const frames = (await socket.barrier()).map((frame) => JSON.parse(frame) as Json).filter((frame) => 'presenceNotification' in frame)
      expect(frames.map((frame) => frame.presenceNotification.presentityUserId)).to.deep.equal(['alice@example.com'])
    } finally {
      await socket.close()
    }
  })
})
