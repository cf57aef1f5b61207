import { expect } from 'chai'
import { request as httpRequest } from 'node:http'
import { hostname } from 'node:os'
import type { Account } from '../../../platform/context.js'
import { fileSizeLimit } from '../../../platform/features/messaging/files.js'
import { usePersistedPlatform, usePlatform, type LoginTokens } from '../../helpers/platform.js'
import { manualClock } from '../clock.js'
import { connect, createChannel, exceptionOf, jsonRequest, received, subscribe, subscribedUsers, useSockets, type Json, type Member } from '../core/wire.js'

const alicePhone = '+15551230001'
const bobPhone = '+15551230002'

describe('platform: messaging', () => {
  // Typing idles and SMS receipts fire when a test moves this clock; message times are its time.
  const clock = manualClock()
  const platform = usePlatform({ clock })
  const sockets = useSockets()
  const request = (who: Member, method: string, path: string, body?: unknown) => jsonRequest(platform(), who.tokens, method, path, body)
  const chat = (who: Member, path: string) => `/cpaas/chat/v1/${who.tokens.userId}${path}`

  /** Users with a channel subscribed to `chat` and `smsinbound`. */
  let alice: Member, bob: Member, carol: Member, dave: Member
  before(async () => {
    ;[alice, bob, carol, dave] = await subscribedUsers(platform(), ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com'], ['chat', 'smsinbound'], sockets)
  })
  beforeEach(() => Promise.all([alice, bob, carol, dave].map(received)))

  const sendText = (from: Member, to: string, text: string) => request(from, 'POST', chat(from, `/oneToOne/${to}/adhoc/messages`), { chatMessage: { text } })

  describe('one-to-one chat', () => {
    it('answers a send with the message resource, sender, status Sent, text and time', async () => {
      clock.advance(1_000)
      const sent = await sendText(alice, 'bob@example.com', 'Hello Bob')
      expect(sent.status).to.equal(201)
      expect(sent.response.headers.get('content-type')).to.match(/application\/json/)
      const message = sent.body.chatMessage
      expect(message.resourceURL).to.match(/^\/cpaas\/chat\/v1\/alice@example\.com\/oneToOne\/bob@example\.com\/adhoc\/messages\/[a-z0-9-]+$/)
      expect(message).to.include({ senderAddress: 'alice@example.com', status: 'Sent', text: 'Hello Bob' })
      expect(message.dateTime).to.equal(clock.now())
    })

    it('notifies the recipient (inbound) and the sender\'s devices (outbound copy), each with its own message id', async () => {
      const sent = await sendText(alice, 'bob@example.com', 'Ping')
      const ownId = sent.body.chatMessage.resourceURL.split('/messages/')[1]
      const [toBob] = await received(bob)
      const notification = toBob!.chatMessageNotification
      expect(notification.id).to.be.a('string').and.not.equal('')
      expect(notification.chatMessage).to.include({ senderAddress: 'alice@example.com', 'x-destinationAddress': 'bob@example.com', text: 'Ping', 'x-type': 'inbound' })
      expect(notification.chatMessage).to.not.have.property('attachment')
      expect(notification.dateTime).to.equal(sent.body.chatMessage.dateTime)
      expect(notification.chatMessage.dateTime).to.equal(sent.body.chatMessage.dateTime)
      expect(notification.link[0].rel).to.equal('chatMessage')
      expect(notification.link[0].href).to.match(/^\/cpaas\/chat\/v1\/bob@example\.com\/oneToOne\/alice@example\.com\/adhoc\/messages\/[a-z0-9-]+$/)
      const bobId = notification.link[0].href.split('/messages/')[1]
      expect(bobId).to.not.equal(ownId)
      const [copy] = await received(alice)
      expect(copy!.chatMessageNotification.chatMessage).to.include({ senderAddress: 'alice@example.com', 'x-destinationAddress': 'bob@example.com', 'x-type': 'outbound' })
      expect(copy!.chatMessageNotification.link[0].href).to.equal(`/cpaas/chat/v1/alice@example.com/oneToOne/bob@example.com/adhoc/messages/${ownId}`)
      expect(await received(carol)).to.deep.equal([])
    })

    it('files a note to oneself once, as an outbound message to the sender\'s devices', async () => {
      const sent = await sendText(dave, 'dave@example.com', 'remember the milk')
      expect(sent.status).to.equal(201)
      const frames = await received(dave)
      expect(frames.map((frame) => frame.chatMessageNotification.chatMessage['x-type'])).to.deep.equal(['outbound'])
      const history = await request(dave, 'GET', chat(dave, '/oneToOne/dave@example.com/adhoc/messages'))
      expect((history.body.chatMessageList.chatMessage as Json[]).map((item) => item.text)).to.deep.equal(['remember the milk'])
    })

    it('accepts percent-encoded addresses and any version segment', async () => {
      const sent = await request(alice, 'POST', '/cpaas/chat/v2/alice%40example.com/oneToOne/bob%40example.com/adhoc/messages', { chatMessage: { text: 'enc' } })
      expect(sent.status).to.equal(201)
      expect((await received(bob))[0]!.chatMessageNotification.chatMessage.text).to.equal('enc')
    })

    it('refuses malformed bodies, empty messages and unknown recipients with the platform\'s error body', async () => {
      const noBody = await request(alice, 'POST', chat(alice, '/oneToOne/bob@example.com/adhoc/messages'), { hello: 1 })
      expect(noBody.status).to.equal(400)
      expect(await exceptionOf(noBody.response)).to.include({ kind: 'serviceException', messageId: 'SVC0002' })
      const wrongType = await request(alice, 'POST', chat(alice, '/oneToOne/bob@example.com/adhoc/messages'), { chatMessage: { text: 5 } })
      expect(wrongType.status).to.equal(400)
      const empty = await request(alice, 'POST', chat(alice, '/oneToOne/bob@example.com/adhoc/messages'), { chatMessage: {} })
      expect(empty.status).to.equal(400)
      const nobody = await sendText(alice, 'nobody@example.com', 'x')
      expect(nobody.status).to.equal(404)
      expect(await exceptionOf(nobody.response)).to.include({ messageId: 'SVC0004' })
      const other = await request(alice, 'POST', '/cpaas/chat/v1/bob@example.com/oneToOne/carol@example.com/adhoc/messages', { chatMessage: { text: 'x' } })
      expect(other.status).to.equal(403)
    })

    it('relays typing indicators and answers 204', async () => {
      const typing = await request(alice, 'POST', chat(alice, '/oneToOne/bob@example.com/adhoc/messages'), {
        isComposing: { contenttype: 'text/plain', refresh: '60', state: 'active', lastactive: 1_600_000_000_000 },
      })
      expect(typing.status).to.equal(204)
      const [frame] = await received(bob)
      expect(frame!.chatMessageNotification.isComposing).to.deep.equal({
        state: 'active',
        senderAddress: 'alice@example.com',
        'x-destinationAddress': 'bob@example.com',
        contenttype: 'text/plain',
        refresh: '60',
        lastactive: 1_600_000_000_000,
        'x-type': 'inbound',
      })
      expect(frame!.chatMessageNotification.link).to.deep.equal([{ rel: 'chatSession', href: '/cpaas/chat/v1/bob@example.com/oneToOne/alice@example.com/adhoc' }])
      await request(alice, 'POST', chat(alice, '/oneToOne/bob@example.com/adhoc/messages'), { isComposing: { state: 'idle', refresh: '60', lastactive: 1 } })
      expect((await received(bob))[0]!.chatMessageNotification.isComposing.state).to.equal('idle')
    })

    it('relays refresh clamped to 1..600 seconds, 60 and text/plain when the typist gave none', async () => {
      const typing = (isComposing: Json) => request(alice, 'POST', chat(alice, '/oneToOne/bob@example.com/adhoc/messages'), { isComposing })
      const relayed = async (): Promise<Json> => (await received(bob))[0]!.chatMessageNotification.isComposing
      await typing({ state: 'active', refresh: '5000', lastactive: 1 })
      expect(await relayed()).to.include({ refresh: '600' })
      await typing({ state: 'active', refresh: '-5', lastactive: 1 })
      expect(await relayed()).to.include({ refresh: '1' })
      await typing({ state: 'active' })
      expect(await relayed()).to.include({ refresh: '60', contenttype: 'text/plain' })
      await typing({ state: 'idle' })
      expect(await relayed()).to.include({ state: 'idle' })
    })

    it('keeps a refreshed typist active past the old refresh until the new one runs out, and sends nothing after an idle', async () => {
      await request(alice, 'POST', chat(alice, '/oneToOne/bob@example.com/adhoc/messages'), { isComposing: { state: 'active', refresh: '1', lastactive: 1 } })
      await request(alice, 'POST', chat(alice, '/oneToOne/bob@example.com/adhoc/messages'), { isComposing: { state: 'active', refresh: '60', lastactive: 2 } })
      await request(carol, 'POST', chat(carol, '/oneToOne/dave@example.com/adhoc/messages'), { isComposing: { state: 'idle', refresh: '1', lastactive: 1 } })
      // Past the first refresh of 1 s: no idle may come from it, nor from the idle.
      clock.advance(59_999)
      expect((await received(bob)).map((frame) => frame.chatMessageNotification.isComposing.state)).to.deep.equal(['active', 'active'])
      expect((await received(dave)).map((frame) => frame.chatMessageNotification.isComposing.state)).to.deep.equal(['idle'])
      // The refreshed 60 s run out to the millisecond.
      clock.advance(1)
      expect((await received(bob)).map((frame) => frame.chatMessageNotification.isComposing.state)).to.deep.equal(['idle'])
    })

    it('turns a typist idle itself when no refresh came within `refresh` seconds', async () => {
      await request(alice, 'POST', chat(alice, '/oneToOne/bob@example.com/adhoc/messages'), { isComposing: { state: 'active', refresh: '1', lastactive: 1 } })
      expect((await bob.socket.nextJson()).chatMessageNotification!.isComposing).to.include({ state: 'active' })
      clock.advance(999)
      expect(await received(bob)).to.deep.equal([])
      clock.advance(1)
      const idle = (await bob.socket.nextJson()).chatMessageNotification!.isComposing as Json
      expect(idle).to.include({ state: 'idle', senderAddress: 'alice@example.com', lastactive: clock.now() })
    })

    it('lists conversations with the last text and time', async () => {
      await sendText(carol, 'dave@example.com', 'first')
      const last = await sendText(carol, 'dave@example.com', 'See you')
      const list = await request(dave, 'GET', chat(dave, '/oneToOne/sessions'))
      expect(list.status).to.equal(200)
      const session = (list.body.chatSessionList.chatSession as Json[]).find((entry) => entry.remoteAddress === 'carol@example.com')
      expect(session).to.deep.include({ sessionType: 'oneToOne', localAddress: 'dave@example.com' })
      expect(session!.sessionId).to.be.a('string')
      expect(session!.sessionDetails).to.include({ lastText: 'See you', lastMessageTime: last.body.chatMessage.dateTime })
      const empty = await request(dave, 'GET', chat(dave, '/group/sessions'))
      expect(empty.body).to.deep.equal({ chatSessionList: { chatSession: [] } })
    })
  })

  describe('history', () => {
    it('records in the conversation list when its history was last pulled', async () => {
      await sendText(bob, 'dave@example.com', 'pull me')
      clock.advance(1_000)
      await request(dave, 'GET', chat(dave, '/oneToOne/bob@example.com/adhoc/messages'))
      const list = await request(dave, 'GET', chat(dave, '/oneToOne/sessions'))
      const session = (list.body.chatSessionList.chatSession as Json[]).find((entry) => entry.remoteAddress === 'bob@example.com')
      expect(session!.sessionDetails.lastPullTime).to.equal(clock.now())
    })

    it('finds a conversation\'s history under any address form of the peer', async () => {
      await sendText(dave, 'bob@example.com', 'any form')
      for (const peer of ['DAVE@example.com', 'tel:+15551230004', '%2B15551230004']) {
        const history = await request(bob, 'GET', chat(bob, `/oneToOne/${peer}/adhoc/messages`))
        expect((history.body.chatMessageList.chatMessage as Json[]).map((item) => item.text), peer).to.include('any form')
      }
    })

    it('returns every message oldest first with resource, sender, destination, text and time', async () => {
      await sendText(bob, 'carol@example.com', 'one')
      await sendText(carol, 'bob@example.com', 'two')
      const history = await request(carol, 'GET', chat(carol, '/oneToOne/bob@example.com/adhoc/messages'))
      expect(history.status).to.equal(200)
      const items = history.body.chatMessageList.chatMessage as Json[]
      expect(items.map((item) => [item.senderAddress, item['x-destinationAddress'], item.text])).to.deep.equal([
        ['bob@example.com', 'carol@example.com', 'one'],
        ['carol@example.com', 'bob@example.com', 'two'],
      ])
      expect(items[0]!.resourceURL).to.match(/^\/cpaas\/chat\/v1\/carol@example\.com\/oneToOne\/bob@example\.com\/adhoc\/messages\/[a-z0-9-]+$/)
      expect(items[0]!.dateTime).to.be.a('number')
      expect(items.map((item) => item.status)).to.deep.equal(['Sent', 'Sent'])
      expect(history.body.chatMessageList).to.not.have.property('next')
    })

    it('pages back with max and next, and honours lastMessageTime as an upper bound', async () => {
      for (let i = 1; i <= 7; i++) {
        await sendText(dave, 'alice@example.com', `m${i}`)
        clock.advance(1)
      }
      const path = chat(alice, '/oneToOne/dave@example.com/adhoc/messages')
      const texts = (body: Json) => (body.chatMessageList.chatMessage as Json[]).map((item) => item.text)
      const first = await request(alice, 'GET', `${path}?max=3`)
      expect(texts(first.body)).to.deep.equal(['m5', 'm6', 'm7'])
      const next1 = first.body.chatMessageList.next
      expect(next1).to.be.a('string')
      await sendText(dave, 'alice@example.com', 'm8')
      const second = await request(alice, 'GET', `${path}?max=3&next=${next1}`)
      expect(texts(second.body)).to.deep.equal(['m2', 'm3', 'm4'])
      const third = await request(alice, 'GET', `${path}?max=3&next=${second.body.chatMessageList.next}`)
      expect(texts(third.body)).to.deep.equal(['m1'])
      expect(third.body.chatMessageList).to.not.have.property('next')
      const times = (first.body.chatMessageList.chatMessage as Json[]).map((item) => item.dateTime as number)
      const bounded = await request(alice, 'GET', `${path}?max=2&lastMessageTime=${times[1]}`)
      expect(texts(bounded.body).at(-1)).to.equal('m6')
      expect((await request(alice, 'GET', `${path}?max=0`)).status).to.equal(400)
      expect((await request(alice, 'GET', `${path}?next=..%2F..`)).status).to.equal(400)
      expect((await request(alice, 'GET', `${path}?lastMessageTime=yesterday`)).status).to.equal(400)
    })

    it('answers at most 1000 messages a page, also when max is absent or larger', async () => {
      const path = (who: Member, peer: string) => chat(who, `/oneToOne/${peer}/adhoc/messages`)
      for (let batch = 0; batch < 1001; batch += 91) {
        await Promise.all(Array.from({ length: Math.min(91, 1001 - batch) }, (_, i) => sendText(carol, 'dave@example.com', `bulk ${batch + i}`)))
      }
      await Promise.all([received(carol), received(dave)])
      for (const query of ['', '?max=5000']) {
        const history = await request(dave, 'GET', `${path(dave, 'carol@example.com')}${query}`)
        expect(history.body.chatMessageList.chatMessage, query).to.have.length(1000)
        expect(history.body.chatMessageList.next, query).to.be.a('string')
      }
    })

    it('returns an empty list for a conversation that never happened', async () => {
      const history = await request(alice, 'GET', chat(alice, '/oneToOne/carol@example.com/adhoc/messages'))
      expect(history.body).to.deep.equal({ chatMessageList: { chatMessage: [] } })
    })
  })

  describe('deleting', () => {
    it('deletes a message from the requester\'s history only and tells their other devices', async () => {
      const sent = await sendText(bob, 'dave@example.com', 'oops')
      const id = sent.body.chatMessage.resourceURL.split('/messages/')[1]
      await Promise.all([received(bob), received(dave)])
      const deleted = await request(bob, 'DELETE', chat(bob, `/oneToOne/dave@example.com/adhoc/messages/${id}`))
      expect(deleted.status).to.equal(204)
      const own = await request(bob, 'GET', chat(bob, '/oneToOne/dave@example.com/adhoc/messages'))
      expect((own.body.chatMessageList.chatMessage as Json[]).map((item) => item.text)).to.not.include('oops')
      const theirs = await request(dave, 'GET', chat(dave, '/oneToOne/bob@example.com/adhoc/messages'))
      expect((theirs.body.chatMessageList.chatMessage as Json[]).map((item) => item.text)).to.include('oops')
      const [event] = await received(bob)
      expect(event!.chatMessageEventNotification).to.deep.include({
        eventType: 'MessageDeleted',
        link: [{ rel: 'chatMessage', href: `/cpaas/chat/v1/bob@example.com/oneToOne/dave@example.com/adhoc/messages/${id}` }],
      })
      expect(await received(dave)).to.deep.equal([])
      expect((await request(bob, 'DELETE', chat(bob, `/oneToOne/dave@example.com/adhoc/messages/${id}`))).status).to.equal(404)
      const again = await sendText(bob, 'dave@example.com', 'oops again')
      const againId = again.body.chatMessage.resourceURL.split('/messages/')[1]
      expect((await request(bob, 'DELETE', chat(bob, `/oneToOne/DAVE@example.com/adhoc/messages/${againId}`))).status).to.equal(204)
      await Promise.all([received(bob), received(dave)])
    })

    it('deletes a conversation from the requester\'s list', async () => {
      await sendText(carol, 'alice@example.com', 'bye')
      await received(carol)
      expect((await request(carol, 'DELETE', chat(carol, '/oneToOne/alice@example.com/adhoc/messages'))).status).to.equal(204)
      const list = await request(carol, 'GET', chat(carol, '/oneToOne/sessions'))
      expect((list.body.chatSessionList.chatSession as Json[]).map((entry) => entry.remoteAddress)).to.not.include('alice@example.com')
      expect((await received(carol))[0]!.chatMessageEventNotification).to.deep.include({
        eventType: 'SessionDeleted',
        link: [{ rel: 'chatSession', href: '/cpaas/chat/v1/carol@example.com/oneToOne/alice@example.com/adhoc' }],
      })
      const kept = await request(alice, 'GET', chat(alice, '/oneToOne/carol@example.com/adhoc/messages'))
      expect((kept.body.chatMessageList.chatMessage as Json[]).map((item) => item.text)).to.include('bye')
      expect((await request(carol, 'DELETE', chat(carol, '/oneToOne/alice@example.com/adhoc/messages'))).status).to.equal(404)
    })
  })

  describe('group chat', () => {
    let groupId: string
    before(async () => {
      const created = await request(alice, 'POST', chat(alice, '/group'), {
        groupChatSessionInformation: {
          participant: [alice, bob, carol].map((m) => ({ address: m.tokens.identity, 'x-isAdmin': m === alice })),
          'x-name': 'Team',
        },
      })
      expect(created.status).to.equal(201)
      groupId = created.body.groupChatSessionInformation.resourceURL.split('/').pop()
      for (const m of [bob, carol]) {
        const accepted = await request(m, 'PUT', chat(m, `/group/${groupId}/participants/${m.tokens.identity}/status`), { participantSessionStatus: { status: 'Connected' } })
        expect(accepted.status).to.equal(200)
      }
    })

    it('delivers a group message to every other connected participant with the group as destination', async () => {
      const sent = await request(alice, 'POST', chat(alice, `/group/${groupId}/messages`), { chatMessage: { text: 'Hi team' } })
      expect(sent.status).to.equal(201)
      expect(sent.body.chatMessage.resourceURL).to.match(new RegExp(`^/cpaas/chat/v1/alice@example\\.com/group/${groupId}/messages/[a-z0-9-]+$`))
      for (const m of [bob, carol]) {
        const [frame] = await received(m)
        expect(frame!.chatMessageNotification.chatMessage).to.include({ senderAddress: 'alice@example.com', 'x-destinationAddress': groupId, text: 'Hi team', 'x-type': 'inbound' })
        expect(frame!.chatMessageNotification.link[0].href).to.match(new RegExp(`^/cpaas/chat/v1/${m.tokens.userId}/group/${groupId}/messages/[a-z0-9-]+$`))
      }
      expect(await received(dave)).to.deep.equal([])
      const list = await request(bob, 'GET', chat(bob, '/group/sessions'))
      expect(list.body.chatSessionList.chatSession).to.deep.include.members([])
      expect((list.body.chatSessionList.chatSession as Json[]).find((entry) => entry.remoteAddress === groupId)).to.deep.include({ sessionType: 'group' })
      const history = await request(carol, 'GET', chat(carol, `/group/${groupId}/messages`))
      expect((history.body.chatMessageList.chatMessage as Json[]).map((item) => item.text)).to.include('Hi team')
    })

    it('relays group typing with the group id as destination', async () => {
      await request(bob, 'POST', chat(bob, `/group/${groupId}/messages`), { isComposing: { state: 'active', refresh: '60', lastactive: 1 } })
      for (const m of [alice, carol]) {
        const [frame] = await received(m)
        expect(frame!.chatMessageNotification.isComposing).to.include({ senderAddress: 'bob@example.com', 'x-destinationAddress': groupId, state: 'active' })
        expect(frame!.chatMessageNotification.link[0]).to.deep.equal({ rel: 'chatSession', href: `/cpaas/chat/v1/${m.tokens.userId}/group/${groupId}` })
      }
      await request(bob, 'POST', chat(bob, `/group/${groupId}/messages`), { isComposing: { state: 'idle', refresh: '60', lastactive: 2 } })
    })

    it('times out a typist in each conversation on its own', async () => {
      await request(alice, 'POST', chat(alice, '/oneToOne/bob@example.com/adhoc/messages'), { isComposing: { state: 'active', refresh: '1', lastactive: 1 } })
      await request(alice, 'POST', chat(alice, `/group/${groupId}/messages`), { isComposing: { state: 'active', refresh: '60', lastactive: 1 } })
      // Past the 1:1 refresh of 1 s: its idle must come although Alice still types in the group.
      clock.advance(1_000)
      const states = (await received(bob)).map((frame) => [frame.chatMessageNotification.isComposing['x-destinationAddress'], frame.chatMessageNotification.isComposing.state])
      expect(states).to.deep.equal([
        ['bob@example.com', 'active'],
        [groupId, 'active'],
        ['bob@example.com', 'idle'],
      ])
      await request(alice, 'POST', chat(alice, `/group/${groupId}/messages`), { isComposing: { state: 'idle', refresh: '60', lastactive: 2 } })
      await Promise.all([received(bob), received(carol)])
    })

    it('refuses senders who are not participants, and unknown groups', async () => {
      const outsider = await request(dave, 'POST', chat(dave, `/group/${groupId}/messages`), { chatMessage: { text: 'let me in' } })
      expect(outsider.status).to.equal(403)
      expect(await exceptionOf(outsider.response)).to.include({ kind: 'policyException' })
      expect((await request(alice, 'POST', chat(alice, '/group/no-such-group/messages'), { chatMessage: { text: 'x' } })).status).to.equal(404)
    })

    it('drops a deleted group\'s conversation from the lists', async () => {
      const created = await request(bob, 'POST', chat(bob, '/group'), {
        groupChatSessionInformation: { participant: [bob, dave].map((m) => ({ address: m.tokens.identity, 'x-isAdmin': m === bob })), 'x-name': 'Short-lived' },
      })
      const shortLived: string = created.body.groupChatSessionInformation.resourceURL.split('/').pop()
      await request(bob, 'POST', chat(bob, `/group/${shortLived}/messages`), { chatMessage: { text: 'soon gone' } })
      const listed = async () => ((await request(bob, 'GET', chat(bob, '/group/sessions'))).body.chatSessionList.chatSession as Json[]).map((entry) => entry.remoteAddress)
      expect(await listed()).to.include(shortLived)
      expect((await request(bob, 'DELETE', chat(bob, `/group/${shortLived}`))).status).to.equal(204)
      expect(await listed()).to.not.include(shortLived)
    })

    it('lists each kind of conversation only under its own list', async () => {
      await request(bob, 'POST', chat(bob, `/group/${groupId}/messages`), { chatMessage: { text: 'kinds' } })
      await request(bob, 'POST', '/cpaas/smsmessaging/v1/bob@example.com/outbound/default/requests', {
        outboundSMSMessageRequest: { address: ['+15559990000'], outboundSMSTextMessage: { message: 'kinds' } },
      })
      const oneToOne = (await request(bob, 'GET', chat(bob, '/oneToOne/sessions'))).body.chatSessionList.chatSession as Json[]
      expect(oneToOne).to.not.deep.equal([])
      expect(oneToOne.filter((entry) => entry.sessionType !== 'oneToOne' || entry.remoteAddress === groupId || entry.remoteAddress.startsWith('+'))).to.deep.equal([])
      const threads = (await request(bob, 'GET', '/cpaas/smsmessaging/v1/bob@example.com/remoteAddresses')).body.smsThreadList.smsThread as Json[]
      expect(threads.map((entry) => entry.remoteAddress)).to.include('+15559990000')
      expect(threads.filter((entry) => !entry.remoteAddress.startsWith('+'))).to.deep.equal([])
    })

    it('deletes a group message from the requester\'s history', async () => {
      const sent = await request(carol, 'POST', chat(carol, `/group/${groupId}/messages`), { chatMessage: { text: 'to delete' } })
      const id = sent.body.chatMessage.resourceURL.split('/messages/')[1]
      expect((await request(carol, 'DELETE', chat(carol, `/group/${groupId}/messages/${id}`))).status).to.equal(204)
      const history = await request(carol, 'GET', chat(carol, `/group/${groupId}/messages`))
      expect((history.body.chatMessageList.chatMessage as Json[]).map((item) => item.text)).to.not.include('to delete')
    })
  })

  describe('files', () => {
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3])
    const upload = async (who: Member, body: FormData | string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${platform().url}/cpaas/nms/v1/chat/${who.tokens.userId}/objects`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${who.tokens.accessToken}`, Accept: 'application/json', ...headers },
        body,
      })
      return { status: response.status, body: (await response.clone().json()) as Json, response }
    }
    const form = (bytes: Uint8Array<ArrayBuffer>, name = 'pic.png', type = 'image/png') => {
      const data = new FormData()
      data.append('root-fields', '{"object":{"attributes":{"attribute":[]},"flags":{"flag":[]}}}')
      data.append('raw', new Blob([bytes], { type }), name)
      return data
    }
    const attributes = (body: Json): Record<string, string> =>
      Object.fromEntries((body.object.attributes.attribute as { name: string; value: string }[]).map(({ name, value }) => [name, value]))
    const download = (who: Member | undefined, link: string, origin?: string) =>
      fetch(link, { headers: { ...(who ? { Authorization: `Bearer ${who.tokens.accessToken}` } : {}), Accept: 'application/json', 'Content-Type': 'application/json', ...(origin ? { Origin: origin } : {}) } })

    it('stores an upload and describes it with name, x-id, an absolute link, size and content type', async () => {
      const uploaded = await upload(alice, form(png))
      expect(uploaded.status).to.equal(201)
      const attrs = attributes(uploaded.body)
      expect(attrs).to.include({ name: 'pic.png', size: String(png.length), 'content-type': 'image/png' })
      expect(attrs['x-id']).to.match(/^[a-z0-9-]{20,}$/)
      expect(attrs.link).to.equal(`${platform().url}/cpaas/nms/v1/chat/alice%40example.com/objects/${attrs['x-id']}/raw`)
      const own = await download(alice, attrs.link!, 'http://app.example')
      expect(own.status).to.equal(200)
      expect(own.headers.get('content-type')).to.equal('image/png')
      expect(own.headers.get('access-control-allow-origin')).to.equal('*')
      expect(new Uint8Array(await own.arrayBuffer())).to.deep.equal(png)
    })

    it('lets the recipients of a message carrying the file download it, and nobody else', async () => {
      const attrs = attributes((await upload(bob, form(png, 'shot.png'))).body)
      expect((await download(carol, attrs.link!)).status).to.equal(403)
      const sent = await request(bob, 'POST', chat(bob, '/oneToOne/carol@example.com/adhoc/messages'), {
        chatMessage: { text: 'Look', attachment: [{ name: 'shot.png', 'x-id': attrs['x-id'] }] },
      })
      expect(sent.status).to.equal(201)
      const [frame] = await received(carol)
      expect(frame!.chatMessageNotification.chatMessage.attachment).to.deep.equal([
        { link: attrs.link, name: 'shot.png', size: png.length, 'x-id': attrs['x-id'], 'content-type': 'image/png' },
      ])
      const theirs = await download(carol, attrs.link!)
      expect(theirs.status).to.equal(200)
      expect(new Uint8Array(await theirs.arrayBuffer())).to.deep.equal(png)
      expect((await download(dave, attrs.link!)).status).to.equal(403)
      expect((await download(undefined, attrs.link!)).status).to.equal(401)
      expect((await download(carol, attrs.link!.replace(attrs['x-id']!, 'f0000000-0000-4000-8000-000000000000'))).status).to.equal(404)
      const history = await request(carol, 'GET', chat(carol, '/oneToOne/bob@example.com/adhoc/messages'))
      expect((history.body.chatMessageList.chatMessage as Json[]).at(-1)!.attachment[0]).to.include({ link: attrs.link, 'x-id': attrs['x-id'] })
    })

    it('names a file sent with an empty name and type "file", application/octet-stream, and serves it under that name', async () => {
      const boundary = 'spec-boundary'
      const body = [`--${boundary}`, 'Content-Disposition: form-data; name="raw"; filename=""', 'Content-Type: ', '', 'bytes', `--${boundary}--`, ''].join('\r\n')
      const uploaded = await upload(alice, body, { 'Content-Type': `multipart/form-data; boundary=${boundary}` })
      expect(uploaded.status).to.equal(201)
      const attrs = attributes(uploaded.body)
      expect(attrs).to.include({ name: 'file', 'content-type': 'application/octet-stream', size: '5' })
      const served = await download(alice, attrs.link!)
      expect(served.headers.get('content-type')).to.equal('application/octet-stream')
      expect(served.headers.get('content-disposition')).to.equal('inline; filename="file"')
    })

    it('finds a file only under its uploader\'s link', async () => {
      const attrs = attributes((await upload(alice, form(png))).body)
      expect((await download(alice, attrs.link!)).status).to.equal(200)
      expect((await download(alice, attrs.link!.replace('/chat/alice%40example.com/', '/chat/bob%40example.com/'))).status).to.equal(404)
    })

    it('answers the CORS preflight of a download', async () => {
      const attrs = attributes((await upload(alice, form(png))).body)
      const preflight = await fetch(attrs.link!, {
        method: 'OPTIONS',
        headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization,content-type' },
      })
      expect(preflight.status).to.equal(204)
      expect(preflight.headers.get('access-control-allow-headers')).to.match(/Authorization/)
      expect(preflight.headers.get('access-control-allow-origin')).to.equal('*')
    })

    it('refuses sends with files the sender may not use', async () => {
      const attrs = attributes((await upload(alice, form(png))).body)
      const stolen = await request(dave, 'POST', chat(dave, '/oneToOne/bob@example.com/adhoc/messages'), { chatMessage: { text: 'x', attachment: [{ name: 'p', 'x-id': attrs['x-id'] }] } })
      expect(stolen.status).to.equal(400)
    })

    it('refuses uploads that are not multipart, have no file, or exceed the size limit', async () => {
      expect((await upload(alice, '{}', { 'Content-Type': 'application/json' })).status).to.equal(415)
      const noFile = new FormData()
      noFile.append('root-fields', '{"object":{"attributes":{"attribute":[]},"flags":{"flag":[]}}}')
      const refused = await upload(alice, noFile)
      expect(refused.status).to.equal(400)
      expect((await exceptionOf(refused.response)).variables[0]).to.match(/^raw/)
      const garbled = await upload(alice, 'not a multipart body', { 'Content-Type': 'multipart/form-data; boundary=xyz' })
      expect(garbled.status).to.equal(400)
      for (const rootFields of ['{"object":', '{"object":{}}']) {
        const data = form(png)
        data.set('root-fields', rootFields)
        const bad = await upload(alice, data)
        expect(bad.status, rootFields).to.equal(400)
        expect((await exceptionOf(bad.response)).variables[0], rootFields).to.match(/^root-fields/)
      }
      expect((await upload(alice, form(new Uint8Array(fileSizeLimit), 'limit.bin', 'application/octet-stream'))).status).to.equal(201)
      const big = await upload(alice, form(new Uint8Array(fileSizeLimit + 1), 'big.bin', 'application/octet-stream'))
      expect(big.status).to.equal(413)
      expect(await exceptionOf(big.response)).to.include({ messageId: 'SVC0002' })
    })
  })

  describe('SMS', () => {
    const sms = (from: Member, sender: string, to: string, text: string, clientCorrelator = 'spec') =>
      request(from, 'POST', `/cpaas/smsmessaging/v1/${from.tokens.userId}/outbound/${sender}/requests`, {
        outboundSMSMessageRequest: { address: [to], clientCorrelator, outboundSMSTextMessage: { message: text } },
      })

    it('delivers an SMS to a user\'s number as inbound SMS, then reports it delivered to the sender', async () => {
      const sent = await sms(alice, 'default', bobPhone, 'Hi by SMS')
      expect(sent.status).to.equal(201)
      const answer = sent.body.outboundSMSMessageRequest
      expect(answer).to.deep.include({ address: [bobPhone], clientCorrelator: 'spec', outboundSMSTextMessage: { message: 'Hi by SMS' }, senderAddress: alicePhone })
      expect(answer.resourceURL).to.match(new RegExp(`^/cpaas/smsmessaging/v1/alice@example\\.com/remoteAddresses/\\${bobPhone}/messages/[a-z0-9-]+$`))
      expect(answer.deliveryInfoList.deliveryInfo).to.deep.equal([{ address: bobPhone, deliveryStatus: 'DeliveredToNetwork' }])
      expect(answer.deliveryInfoList.resourceURL).to.equal(`${answer.resourceURL}/deliveryInfos`)
      const [inbound] = await received(bob)
      expect(inbound!.inboundSMSMessageNotification.inboundSMSMessage).to.include({ senderAddress: alicePhone, destinationAddress: bobPhone, message: 'Hi by SMS' })
      expect(inbound!.inboundSMSMessageNotification.dateTime).to.equal(clock.now())
      clock.advance(199)
      expect(await received(alice)).to.deep.equal([])
      clock.advance(1)
      const receipt = await alice.socket.nextJson()
      expect(receipt.deliveryInfoNotification!.deliveryInfo).to.deep.equal({ address: bobPhone, deliveryStatus: 'DeliveredToTerminal', messageId: answer.resourceURL.split('/messages/')[1] })
      const history = await request(alice, 'GET', `/cpaas/smsmessaging/v1/alice@example.com/remoteAddresses/${bobPhone}/localAddresses/default/messages`)
      expect(history.body.smsMessageList.smsMessage.at(-1)).to.include({ message: 'Hi by SMS', type: 'outbound', status: 'DeliveredToTerminal' })
    })

    it('accepts a tel: URI as the address and answers with the bare number', async () => {
      const sent = await sms(carol, 'default', 'tel:+15559998877', 'by URI')
      expect(sent.status).to.equal(201)
      expect(sent.body.outboundSMSMessageRequest.address).to.deep.equal(['+15559998877'])
      expect(sent.body.outboundSMSMessageRequest.resourceURL).to.match(/\/remoteAddresses\/\+15559998877\/messages\//)
    })

    it('describes each SMS thread with its first and last message times, length and last pull, and pages its history', async () => {
      const thread = '/cpaas/smsmessaging/v1/carol@example.com/remoteAddresses/+15559991111/localAddresses/default/messages'
      for (const text of ['s1', 's2', 's3']) await sms(carol, 'default', '+15559991111', text)
      const details = async () =>
        ((await request(carol, 'GET', '/cpaas/smsmessaging/v1/carol@example.com/remoteAddresses')).body.smsThreadList.smsThread as Json[]).find((entry) => entry.remoteAddress === '+15559991111')!.threadDetails
      expect((await details()).lastPullTime).to.equal(0)
      clock.advance(1_000)
      const first = await request(carol, 'GET', `${thread}?max=2`)
      const page = first.body.smsMessageList.smsMessage as Json[]
      expect(page.map((item) => item.message)).to.deep.equal(['s2', 's3'])
      const older = await request(carol, 'GET', `${thread}?max=2&next=${first.body.smsMessageList.next}`)
      expect((older.body.smsMessageList.smsMessage as Json[]).map((item) => item.message)).to.deep.equal(['s1'])
      expect(older.body.smsMessageList).to.not.have.property('next')
      const described = await details()
      expect(described).to.include({ lastText: 's3', length: 3, firstMessageTime: older.body.smsMessageList.smsMessage[0].dateTime, lastMessageTime: page[1]!.dateTime })
      expect(described.lastPullTime).to.equal(clock.now())
    })

    it('accepts an SMS to an unknown number and records it as sent', async () => {
      const sent = await sms(bob, bobPhone, '+15559998888', 'to the outside')
      expect(sent.status).to.equal(201)
      const threads = await request(bob, 'GET', `/cpaas/smsmessaging/v1/bob@example.com/remoteAddresses`)
      const thread = (threads.body.smsThreadList.smsThread as Json[]).find((entry) => entry.remoteAddress === '+15559998888')
      expect(thread).to.deep.include({ localAddress: bobPhone, resourceURL: `/cpaas/smsmessaging/v1/bob@example.com/remoteAddresses/+15559998888/localAddresses/${bobPhone}` })
      expect(thread!.threadDetails).to.include({ lastText: 'to the outside', length: 1 })
      const history = await request(bob, 'GET', `/cpaas/smsmessaging/v1/bob@example.com/remoteAddresses/+15559998888/localAddresses/default/messages`)
      expect(history.body.smsMessageList.smsMessage[0]).to.include({ message: 'to the outside', type: 'outbound', status: 'DeliveredToNetwork' })
      clock.advance(60_000)
      expect(await received(bob)).to.deep.equal([])
    })

    it('refuses a sender number the user does not own and malformed addresses', async () => {
      const stolen = await sms(alice, bobPhone, '+15559998888', 'x')
      expect(stolen.status).to.equal(403)
      for (const address of ['not-a-number', '15559998888', '+05559998888']) expect((await sms(alice, 'default', address, 'x')).status, address).to.equal(400)
      const noText = await request(alice, 'POST', `/cpaas/smsmessaging/v1/alice@example.com/outbound/default/requests`, { outboundSMSMessageRequest: { address: [bobPhone] } })
      expect(noText.status).to.equal(400)
    })

    it('keeps both sides of an SMS thread in history and deletes a thread', async () => {
      await sms(carol, 'default', '+15551230004', 'to dave')
      const daveThreads = await request(dave, 'GET', '/cpaas/smsmessaging/v1/dave@example.com/remoteAddresses')
      expect((daveThreads.body.smsThreadList.smsThread as Json[]).map((entry) => entry.remoteAddress)).to.include('+15551230003')
      const history = await request(dave, 'GET', '/cpaas/smsmessaging/v1/dave@example.com/remoteAddresses/+15551230003/localAddresses/default/messages')
      expect(history.body.smsMessageList.smsMessage[0]).to.include({ message: 'to dave', type: 'inbound' })
      const id = (history.body.smsMessageList.smsMessage[0].resourceURL as string).split('/messages/')[1]
      expect((await request(dave, 'DELETE', `/cpaas/smsmessaging/v1/dave@example.com/remoteAddresses/+15551230003/localAddresses/default/messages/${id}`)).status).to.equal(204)
      expect((await received(dave)).at(-1)!.smsEventNotification).to.deep.include({
        eventType: 'MessageDeleted',
        link: [{ rel: 'smsMessage', href: `/cpaas/smsmessaging/v1/dave@example.com/remoteAddresses/+15551230003/localAddresses/+15551230004/messages/${id}` }],
      })
      expect((await request(dave, 'DELETE', '/cpaas/smsmessaging/v1/dave@example.com/remoteAddresses/+15551230003/localAddresses/+15551230004')).status).to.equal(204)
      expect((await received(dave))[0]!.smsEventNotification).to.deep.include({ eventType: 'SessionDeleted' })
    })

    it('injects an SMS from outside through the admin API, at the time given', async () => {
      const inject = (body: Json) =>
        fetch(`${platform().url}/_admin/sms`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${platform().adminSecret}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        })
      const response = await inject({ from: '+15557770000', to: 'carol@example.com', text: 'external', dateTime: 1_600_000_000_000 })
      expect(response.status).to.equal(200)
      const [frame] = await received(carol)
      expect(frame!.inboundSMSMessageNotification.inboundSMSMessage).to.include({ senderAddress: '+15557770000', destinationAddress: '+15551230003', message: 'external' })
      expect(frame!.inboundSMSMessageNotification.dateTime).to.equal(1_600_000_000_000)
      expect((await inject({ from: 'outside', to: 'carol@example.com', text: 'x' })).status).to.equal(400)
      expect(await received(carol)).to.deep.equal([])
    })

    it('sends the delivery receipt through smsoutbound to a sender who subscribed it', async () => {
      const channel = await createChannel(platform(), dave.tokens)
      const outbound = await connect(platform(), channel, dave.tokens.accessToken)
      sockets.push(outbound)
      await subscribe(platform(), dave.tokens, 'smsoutbound', channel)
      await sms(dave, 'default', bobPhone, 'receipt please')
      clock.advance(200)
      const receipt = await outbound.nextJson()
      expect(receipt.deliveryInfoNotification!.deliveryInfo).to.include({ address: bobPhone, deliveryStatus: 'DeliveredToTerminal' })
      expect(await received(dave)).to.deep.equal([])
    })
  })
})

describe('platform: messaging with opaque user ids', () => {
  // On the real platform the `<userId>` segment is an opaque id, not the identity (protocol README).
  const account = (userId: string, identity: string, phoneNumber: string): Account => ({ userId, identity, password: 'password', firstName: identity, lastName: 'Opaque', email: identity, phoneNumber })
  const platform = usePlatform({ users: [account('u-ann', 'ann@example.com', '+15552220001'), account('u-ben', 'ben@example.com', '+15552220002'), account('u-cat', 'cat@example.com', '+15552220003')] })
  const sockets = useSockets()
  let ann: Member, ben: Member, cat: Member
  before(async () => {
    ;[ann, ben, cat] = await subscribedUsers(platform(), ['u-ann', 'u-ben', 'u-cat'], ['chat'], sockets)
  })
  const request = (who: Member, method: string, path: string, body?: unknown) => jsonRequest(platform(), who.tokens, method, `/cpaas/chat/v1/${who.tokens.userId}${path}`, body)

  it('addresses 1:1 messages, links and conversations by identity, paths by userId', async () => {
    const sent = await request(ann, 'POST', '/oneToOne/ben@example.com/adhoc/messages', { chatMessage: { text: 'hi Ben' } })
    expect(sent.body.chatMessage.senderAddress).to.equal('ann@example.com')
    const [frame] = await received(ben)
    expect(frame!.chatMessageNotification.chatMessage).to.include({ senderAddress: 'ann@example.com', 'x-destinationAddress': 'ben@example.com' })
    expect(frame!.chatMessageNotification.link[0].href).to.match(/^\/cpaas\/chat\/v1\/u-ben\/oneToOne\/ann@example\.com\/adhoc\/messages\/[a-z0-9-]+$/)
    const own = ((await request(ann, 'GET', '/oneToOne/sessions')).body.chatSessionList.chatSession as Json[])[0]
    expect(own).to.include({ remoteAddress: 'ben@example.com', localAddress: 'ann@example.com' })
    const theirs = ((await request(ben, 'GET', '/oneToOne/sessions')).body.chatSessionList.chatSession as Json[])[0]
    expect(theirs).to.include({ remoteAddress: 'ann@example.com', localAddress: 'ben@example.com' })
    await received(ann)
  })

  it('files group conversations under each member\'s identity', async () => {
    const created = await request(ann, 'POST', '/group', {
      groupChatSessionInformation: { participant: [{ address: 'ann@example.com' }, { address: 'ben@example.com' }, { address: 'cat@example.com' }], 'x-name': 'Opaque' },
    })
    const groupId: string = created.body.groupChatSessionInformation.resourceURL.split('/').pop()
    for (const m of [ben, cat]) await request(m, 'PUT', `/group/${groupId}/participants/${m.tokens.identity}/status`, { participantSessionStatus: { status: 'Connected' } })
    await Promise.all([ann, ben, cat].map(received))
    await request(ann, 'POST', `/group/${groupId}/messages`, { chatMessage: { text: 'hi all' } })
    const session = ((await request(cat, 'GET', '/group/sessions')).body.chatSessionList.chatSession as Json[])[0]
    expect(session).to.include({ remoteAddress: groupId, localAddress: 'cat@example.com' })
    await Promise.all([ann, ben, cat].map(received))
  })
})

describe('platform: messaging persistence', () => {
  const { platform: current, startAgain } = usePersistedPlatform()

  it('keeps conversations and files across a stop and a start on the same data directory', async () => {
    let platform = current()
    const alice = await platform.login('alice@example.com')
    const data = new FormData()
    data.append('raw', new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }), 'p.png')
    const uploaded = (await (await fetch(`${platform.url}/cpaas/nms/v1/chat/alice@example.com/objects`, { method: 'POST', headers: { Authorization: `Bearer ${alice.accessToken}` }, body: data })).json()) as Json
    const xId = (uploaded.object.attributes.attribute as { name: string; value: string }[]).find((a) => a.name === 'x-id')!.value
    const sent = await platform.fetchAs(alice, 'POST', '/cpaas/chat/v1/alice@example.com/oneToOne/bob@example.com/adhoc/messages', { chatMessage: { text: 'kept', attachment: [{ name: 'p.png', 'x-id': xId }] } })
    expect(sent.status).to.equal(201)
    platform = await startAgain()
    const bob = await platform.login('bob@example.com')
    const history = (await (await platform.fetchAs(bob, 'GET', '/cpaas/chat/v1/bob@example.com/oneToOne/alice@example.com/adhoc/messages')).json()) as Json
    const item = history.chatMessageList.chatMessage[0]
    expect(item.text).to.equal('kept')
    const file = await fetch(item.attachment[0].link, { headers: { Authorization: `Bearer ${bob.accessToken}` } })
    expect(new Uint8Array(await file.arrayBuffer())).to.deep.equal(new Uint8Array([1, 2, 3]))
  })
})

describe('platform: attachment links on a platform listening on 0.0.0.0 (a LAN)', () => {
  // A LAN browser reaches the machine by its name (any of the machine's names works): requests and sockets carry it as Host.
  // The spec's own requests go to 127.0.0.1 with that Host header, since the spec's network may have no other interface.
  const platform = usePlatform({ host: '0.0.0.0' })
  const sockets = useSockets()
  const lan = () => `${hostname()}:${platform().port}`

  /** A request to the platform as a LAN browser sends it: `Host` names the machine. */
  const fromLan = (tokens: LoginTokens, method: string, path: string, body?: { bytes: Buffer; type: string }) =>
    new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      const headers = { Host: lan(), Authorization: `Bearer ${tokens.accessToken}`, ...(body === undefined ? {} : { 'Content-Type': body.type, 'Content-Length': String(body.bytes.length) }) }
      const sent = httpRequest({ host: '127.0.0.1', port: platform().port, method, path, headers }, (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }))
      })
      sent.on('error', reject)
      sent.end(body?.bytes)
    })
  /** A user with a socket opened from the LAN (or from the machine itself), subscribed to chat. */
  const member = async (userId: string, host?: string): Promise<Member> => {
    const tokens = await platform().login(userId)
    const channel = await createChannel(platform(), tokens)
    const socket = await connect(platform(), channel, tokens.accessToken, host === undefined ? {} : { Host: host })
    sockets.push(socket)
    await subscribe(platform(), tokens, 'chat', channel)
    return { tokens, socket }
  }

  it('names the address each client reached the platform by: in the upload answer, in notifications and in history', async () => {
    const alice = await member('alice@example.com', lan())
    const bob = await member('bob@example.com')
    const form = new FormData()
    form.append('raw', new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }), 'p.png')
    const encoded = new Request('http://form.local/', { method: 'POST', body: form })
    const uploaded = await fromLan(alice.tokens, 'POST', '/cpaas/nms/v1/chat/alice@example.com/objects', { bytes: Buffer.from(await encoded.arrayBuffer()), type: encoded.headers.get('content-type')! })
    expect(uploaded.status).to.equal(201)
    const attribute = (JSON.parse(uploaded.body.toString()) as Json).object.attributes.attribute as { name: string; value: string }[]
    const xId = attribute.find((a) => a.name === 'x-id')!.value
    const path = `/cpaas/nms/v1/chat/alice%40example.com/objects/${xId}/raw`
    expect(attribute.find((a) => a.name === 'link')!.value).to.equal(`http://${lan()}${path}`)

    await received(alice)
    const sent = await fromLan(alice.tokens, 'POST', '/cpaas/chat/v1/alice@example.com/oneToOne/bob@example.com/adhoc/messages', {
      bytes: Buffer.from(JSON.stringify({ chatMessage: { text: 'a file', attachment: [{ name: 'p.png', 'x-id': xId }] } })),
      type: 'application/json',
    })
    expect(sent.status).to.equal(201)
    // Each device's notification names the address its own socket came by.
    const [own] = await received(alice)
    expect(own!.chatMessageNotification.chatMessage.attachment[0].link).to.equal(`http://${lan()}${path}`)
    const [theirs] = await received(bob)
    expect(theirs!.chatMessageNotification.chatMessage.attachment[0].link).to.equal(`${platform().url}${path}`)

    const history = await fromLan(bob.tokens, 'GET', '/cpaas/chat/v1/bob@example.com/oneToOne/alice@example.com/adhoc/messages')
    expect((JSON.parse(history.body.toString()) as Json).chatMessageList.chatMessage.at(-1).attachment[0].link).to.equal(`http://${lan()}${path}`)
    const file = await fromLan(bob.tokens, 'GET', path)
    expect(file.status).to.equal(200)
    expect(new Uint8Array(file.body)).to.deep.equal(new Uint8Array([1, 2, 3]))
  })
})
