import { expect } from 'chai'
import { usePlatform, type LoginTokens } from '../../helpers/platform.js'
import { ChannelLifetimeResponse, CreateChannelResponse } from '../../../streams/subscription/codecs.js'
import { connect as netConnect } from 'node:net'
import { WebSocket } from 'ws'
import { queueMaxAge } from '../../../platform/channel-queue.js'
import { manualClock } from '../clock.js'
import { connect, createChannel, decodes, exceptionOf, refusedUpgrade, SocketClient, subscribe } from './wire.js'

describe('platform core: notification channels and their WebSocket', () => {
  // Expiry, the close-frame grace, the queue's age limit and server connChecks (30 s by default) run on this clock.
  const clock = manualClock()
  const platform = usePlatform({ clock })
  /** Resolves once the platform has seen every socket of the channel close (the client's close event may come first). */
  const detached = async (channelId: string): Promise<void> => {
    for (;;) {
      const channels = (await platform().admin.state()).users['alice@example.com']?.channels ?? []
      if (channels.find((channel) => channel.id === channelId)?.sockets === 0) return
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  let alice: LoginTokens
  let bob: LoginTokens
  before(async () => {
    alice = await platform().login('alice@example.com')
    bob = await platform().login('bob@example.com')
  })
  const channelsPath = '/cpaas/notificationchannel/v1/alice@example.com/channels'

  describe('REST', () => {
    it('creates a channel: 201 with callbackURL, channelData.channelURL (a path), resourceURL ending in the id, echoes', async () => {
      const response = await platform().fetchAs(alice, 'POST', channelsPath, {
        notificationChannel: { channelLifetime: 600, channelType: 'Websockets', clientCorrelator: 'device-1', 'x-connCheckRole': 'client' },
      })
      expect(response.status).to.equal(201)
      expect(response.headers.get('content-type')).to.equal('application/json')
      const json = await response.json()
      decodes(CreateChannelResponse, json)
      const { notificationChannel: channel } = json as { notificationChannel: Record<string, unknown> & { channelData: { channelURL: string }; resourceURL: string; callbackURL: string } }
      const id = channel.resourceURL.split('/channels/')[1]!
      expect(id).to.match(/^[a-z0-9-]+$/)
      expect(channel.resourceURL).to.equal(`/cpaas/notificationchannel/v1/alice@example.com/channels/${id}`)
      expect(channel.callbackURL).to.match(/^ws-[a-z0-9-]+$/)
      expect(channel.channelData.channelURL).to.match(/^\/cpaas\//)
      expect(channel).to.include({ channelLifetime: 600, channelType: 'websockets', clientCorrelator: 'device-1', 'x-connCheckRole': 'client' })
    })

    it('grants 3600 s when channelLifetime is omitted (as the reference sends it) and defaults the role to client', async () => {
      const channel = await createChannel(platform(), alice, {})
      expect(channel.channelLifetime).to.equal(3600)
      expect(channel['x-connCheckRole']).to.equal('client')
    })

    it('refuses a channel type other than Websockets and an unknown connCheck role with 400', async () => {
      for (const [fields, part] of [
        [{ channelType: 'Webhooks' }, 'notificationChannel.channelType'],
        [{ channelType: 'Websockets', 'x-connCheckRole': 'nobody' }, 'notificationChannel.x-connCheckRole'],
        [{ channelType: 'Websockets', channelLifetime: -1 }, 'notificationChannel.channelLifetime'],
        [{ channelType: 'Websockets', channelLifetime: '60' }, 'notificationChannel.channelLifetime'],
      ] as const) {
        const response = await platform().fetchAs(alice, 'POST', channelsPath, { notificationChannel: fields })
        expect(response.status).to.equal(400)
        expect((await exceptionOf(response)).variables).to.deep.equal([part])
      }
    })

    it('grants at most 86400 s, on create and on refresh, and answers the granted value', async () => {
      const channel = await createChannel(platform(), alice, { channelLifetime: 100000 })
      expect(channel.channelLifetime).to.equal(86400)
      const response = await platform().fetchAs(alice, 'PUT', channel.resourceURL, { notificationChannelLifetime: { channelLifetime: 200000 } })
      expect(await response.json()).to.deep.equal({ notificationChannelLifetime: { channelLifetime: 86400 } })
    })

    it('refuses a refresh to a lifetime that is not positive with 400 naming the field', async () => {
      const channel = await createChannel(platform(), alice)
      for (const seconds of [0, -5]) {
        const response = await platform().fetchAs(alice, 'PUT', channel.resourceURL, { notificationChannelLifetime: { channelLifetime: seconds } })
        expect(response.status).to.equal(400)
        expect((await exceptionOf(response)).variables).to.deep.equal(['notificationChannelLifetime.channelLifetime'])
      }
    })

    it('reads a channel and lists the user’s channels', async () => {
      const channel = await createChannel(platform(), alice)
      const one = await platform().fetchAs(alice, 'GET', channel.resourceURL)
      expect(((await one.json()) as { notificationChannel: unknown }).notificationChannel).to.deep.equal(channel)
      const list = (await (await platform().fetchAs(alice, 'GET', channelsPath)).json()) as { notificationChannelList: { notificationChannel: { resourceURL: string }[] } }
      expect(list.notificationChannelList.notificationChannel.map((c) => c.resourceURL)).to.include(channel.resourceURL)
    })

    it('refreshes the lifetime with PUT .../channels/<id> and PUT .../channels/<id>/channelLifetime', async () => {
      const channel = await createChannel(platform(), alice)
      for (const [path, seconds] of [[channel.resourceURL, 1200], [`${channel.resourceURL}/channelLifetime`, 1800]] as const) {
        const response = await platform().fetchAs(alice, 'PUT', path, { notificationChannelLifetime: { channelLifetime: seconds } })
        expect(response.status).to.equal(200)
        expect(decodes(ChannelLifetimeResponse, await response.json())).to.deep.equal({ notificationChannelLifetime: { channelLifetime: seconds } })
      }
      const read = (await (await platform().fetchAs(alice, 'GET', channel.resourceURL)).json()) as { notificationChannel: { channelLifetime: number } }
      expect(read.notificationChannel.channelLifetime).to.equal(1800)
      expect((await platform().fetchAs(alice, 'PUT', channel.resourceURL, { channelLifetime: 5 })).status).to.equal(400)
    })

    it('deletes a channel: 204, then 404 for it, and its socket closes with 1000', async () => {
      const channel = await createChannel(platform(), alice)
      const socket = await connect(platform(), channel, alice.accessToken)
      const response = await platform().fetchAs(alice, 'DELETE', channel.resourceURL)
      expect(response.status).to.equal(204)
      expect(await response.text()).to.equal('')
      expect((await socket.closed).code).to.equal(1000)
      const again = await platform().fetchAs(alice, 'DELETE', channel.resourceURL)
      expect(again.status).to.equal(404)
      expect((await exceptionOf(again)).kind).to.equal('serviceException')
      expect((await platform().fetchAs(alice, 'GET', channel.resourceURL)).status).to.equal(404)
    })

    it('cuts the connection of a client that never answers the close frame, within seconds', async () => {
      const channel = await createChannel(platform(), alice)
      const { port } = platform()
      const tcp = netConnect(port, '127.0.0.1')
      const closed = new Promise<void>((resolve) => tcp.on('close', () => resolve()))
      const upgraded = new Promise<void>((resolve) => tcp.once('data', () => resolve()))
      const path = `${channel.channelData.channelURL}?access_token=${encodeURIComponent(alice.accessToken)}`
      tcp.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`)
      await upgraded
      expect((await platform().fetchAs(alice, 'DELETE', channel.resourceURL)).status).to.equal(204)
      // ws itself would wait 30 s for the client's close frame; the platform cuts it after 2 s.
      clock.advance(2_000)
      await closed
    })

    it("never lets one user read, refresh or delete another user's channel", async () => {
      const channel = await createChannel(platform(), alice)
      const bobsView = channel.resourceURL.replace('alice@example.com', 'bob@example.com')
      expect((await platform().fetchAs(bob, 'GET', bobsView)).status).to.equal(404)
      expect((await platform().fetchAs(bob, 'DELETE', bobsView)).status).to.equal(404)
      expect((await platform().fetchAs(bob, 'DELETE', channel.resourceURL)).status).to.equal(403)
      expect((await platform().fetchAs(alice, 'GET', channel.resourceURL)).status).to.equal(200)
    })
  })

  describe('WebSocket upgrade', () => {
    it('accepts the channel URL with ?access_token= and any Origin; the platform sends nothing on open', async () => {
      const channel = await createChannel(platform(), alice)
      const socket = await connect(platform(), channel, alice.accessToken, { Origin: 'https://some.other.origin' })
      expect(await socket.barrier()).to.deep.equal([])
      await socket.close()
    })

    it('accepts the token as Authorization: Bearer on the upgrade too (clients that are not browsers)', async () => {
      const channel = await createChannel(platform(), alice)
      const socket = new SocketClient(new WebSocket(`${platform().wsUrl}${channel.channelData.channelURL}`, { headers: { Authorization: `Bearer ${alice.accessToken}` } }))
      await new Promise((resolve, reject) => {
        socket.ws.once('open', resolve)
        socket.ws.once('error', reject)
      })
      expect(await socket.barrier()).to.deep.equal([])
      await socket.close()
    })

    it('refuses a bad, expired or missing token with 401 and an error body, and closes the connection', async () => {
      const channel = await createChannel(platform(), alice)
      const expired = await platform().tokens('alice@example.com', { lifetime: -1 })
      for (const query of ['?access_token=garbage', `?access_token=${expired.accessToken}`, '']) {
        const refused = await refusedUpgrade(`${platform().wsUrl}${channel.channelData.channelURL}${query}`)
        expect(refused.status, query).to.equal(401)
        expect(refused.contentType).to.equal('application/json')
        expect(refused.connection).to.equal('close')
        expect(JSON.parse(refused.body)).to.have.nested.property('requestError.policyException.messageId', 'POL0401')
      }
    })

    it("refuses an unknown or deleted channel with 404, and another user's token with 403", async () => {
      const channel = await createChannel(platform(), alice)
      const unknown = channel.channelData.channelURL.replace(channel.callbackURL, 'ws-unknown')
      expect((await refusedUpgrade(`${platform().wsUrl}${unknown}?access_token=${alice.accessToken}`)).status).to.equal(404)
      expect((await refusedUpgrade(`${platform().wsUrl}${channel.channelData.channelURL}?access_token=${bob.accessToken}`)).status).to.equal(403)
      const bobsPath = channel.channelData.channelURL.replace('alice@example.com', 'bob@example.com')
      expect((await refusedUpgrade(`${platform().wsUrl}${bobsPath}?access_token=${bob.accessToken}`)).status).to.equal(404)
      await platform().fetchAs(alice, 'DELETE', channel.resourceURL)
      expect((await refusedUpgrade(`${platform().wsUrl}${channel.channelData.channelURL}?access_token=${alice.accessToken}`)).status).to.equal(404)
    })

    it('refuses upgrades on paths that are not a channel with 404', async () => {
      expect((await refusedUpgrade(`${platform().wsUrl}/cpaas/chat/v1/alice@example.com/subscriptions?access_token=${alice.accessToken}`)).status).to.equal(404)
    })

    it('reads the channel path as the HTTP routes do: percent-escapes decoded, one trailing slash ignored, a malformed escape a 400 (not a server error)', async () => {
      const channel = await createChannel(platform(), alice)
      const token = `?access_token=${alice.accessToken}`
      const escaped = channel.channelData.channelURL.replace('alice@example.com', 'alice%40example.com')
      for (const path of [escaped, `${channel.channelData.channelURL}/`]) {
        const socket = await connect(platform(), { ...channel, channelData: { channelURL: path } }, alice.accessToken)
        await socket.close()
      }
      const malformed = await refusedUpgrade(`${platform().wsUrl}${channel.channelData.channelURL.replace('alice@example.com', 'alice%E0@example.com')}${token}`)
      expect(malformed.status).to.equal(400)
      expect(JSON.parse(malformed.body)).to.have.nested.property('requestError.serviceException.messageId', 'SVC0002')
      expect(platform().logs.filter((line) => line.startsWith('upgrade failed'))).to.deep.equal([])
    })
  })

  describe('connectivity checks', () => {
    it('keepAlive: accepts {"message_type":"ping"} and never answers it', async () => {
      const socket = await connect(platform(), await createChannel(platform(), alice), alice.accessToken)
      socket.send({ message_type: 'ping' })
      socket.send({ message_type: 'ping' })
      expect(await socket.barrier()).to.deep.equal([])
      await socket.close()
    })

    it('pingPong: answers each client connCheck with exactly one {"connAck":{}}', async () => {
      const socket = await connect(platform(), await createChannel(platform(), alice), alice.accessToken)
      socket.send({ connCheck: { interval: 30 } })
      socket.send({ connCheck: { interval: 30 } })
      expect(await socket.next()).to.equal('{"connAck":{}}')
      expect(await socket.next()).to.equal('{"connAck":{}}')
      socket.send({ message_type: 'ping' })
      expect(await socket.barrier()).to.deep.equal([])
      expect(socket.unread()).to.deep.equal([])
      await socket.close()
    })

    it('ignores frames that are not JSON or not objects, and keeps the socket', async () => {
      const socket = await connect(platform(), await createChannel(platform(), alice), alice.accessToken)
      socket.send('not json {')
      socket.send('42')
      socket.send('null')
      expect(await socket.barrier()).to.deep.equal([])
      await socket.close()
    })

    it('closes a socket that sends a frame over 64 KiB with 1009, ignores binary frames, and keeps serving', async () => {
      const channel = await createChannel(platform(), alice)
      const binary = await connect(platform(), channel, alice.accessToken)
      binary.ws.send(Buffer.from([1, 2, 3]))
      expect(await binary.barrier()).to.deep.equal([])
      const big = await connect(platform(), channel, alice.accessToken)
      big.send(JSON.stringify({ connCheck: { pad: 'x'.repeat(70 * 1024) } }))
      expect((await big.closed).code).to.equal(1009)
      expect(await binary.barrier()).to.deep.equal([])
      await binary.close()
    })

    it('server responsible: sends {"connCheck":{"interval":N}} every N s on channels created with x-connCheckRole: server', async () => {
      const channel = await createChannel(platform(), alice, { 'x-connCheckRole': 'server' })
      expect(channel['x-connCheckRole']).to.equal('server')
      const socket = await connect(platform(), channel, alice.accessToken)
      for (let i = 0; i < 3; i++) {
        clock.advance(29_999)
        expect(await socket.barrier()).to.deep.equal([])
        clock.advance(1)
        expect(await socket.nextJson()).to.deep.equal({ connCheck: { interval: 30 } })
        socket.send({ connAck: {} })
      }
      await socket.close()
    })

    it('server responsible: keeps a socket that answers every connCheck, however many there are', async () => {
      const channel = await createChannel(platform(), alice, { 'x-connCheckRole': 'server' })
      const socket = await connect(platform(), channel, alice.accessToken)
      for (let i = 0; i < 6; i++) {
        clock.advance(30_000)
        expect(await socket.nextJson()).to.deep.equal({ connCheck: { interval: 30 } })
        socket.send({ connAck: {} })
        // The platform has read the connAck before time moves on.
        expect(await socket.barrier()).to.deep.equal([])
      }
      expect(socket.ws.readyState).to.equal(WebSocket.OPEN)
      await socket.close()
    })

    it('server responsible: terminates a socket that leaves 3 connChecks unanswered; the channel stays', async () => {
      const channel = await createChannel(platform(), alice, { 'x-connCheckRole': 'server' })
      const socket = await connect(platform(), channel, alice.accessToken)
      for (let i = 0; i < 3; i++) {
        clock.advance(30_000)
        expect(await socket.nextJson()).to.deep.equal({ connCheck: { interval: 30 } })
      }
      clock.advance(30_000)
      const { code } = await socket.closed
      expect(code).to.equal(1006)
      expect(socket.frames.filter((frame) => frame.includes('connCheck'))).to.have.length(3)
      expect((await platform().fetchAs(alice, 'GET', channel.resourceURL)).status).to.equal(200)
    })

    it('sends no server connCheck on client-responsible channels', async () => {
      const socket = await connect(platform(), await createChannel(platform(), alice), alice.accessToken)
      clock.advance(120_000)
      expect(await socket.barrier()).to.deep.equal([])
      await socket.close()
    })
  })

  describe('lifetime', () => {
    it('expires a channel that has had no socket for channelLifetime seconds, not a millisecond earlier', async () => {
      const channel = await createChannel(platform(), alice, { channelLifetime: 60 })
      clock.advance(59_999)
      expect((await platform().fetchAs(alice, 'GET', channel.resourceURL)).status).to.equal(200)
      clock.advance(1)
      expect((await platform().fetchAs(alice, 'GET', channel.resourceURL)).status).to.equal(404)
      expect(platform().logs.some((line) => line.includes(channel.callbackURL) && line.includes('expired'))).to.equal(true)
    })

    it('starts no countdown when the lifetime is refreshed while a socket is open', async () => {
      const channel = await createChannel(platform(), alice, { channelLifetime: 60 })
      const socket = await connect(platform(), channel, alice.accessToken)
      await platform().fetchAs(alice, 'PUT', channel.resourceURL, { notificationChannelLifetime: { channelLifetime: 60 } })
      clock.advance(120_000)
      expect(await socket.barrier()).to.deep.equal([])
      expect((await platform().fetchAs(alice, 'GET', channel.resourceURL)).status).to.equal(200)
      await socket.close()
    })

    it('never expires a channel while a socket is open, and counts the lifetime again from the socket close', async () => {
      const channel = await createChannel(platform(), alice, { channelLifetime: 60 })
      const socket = await connect(platform(), channel, alice.accessToken)
      clock.advance(120_000)
      expect(await socket.barrier()).to.deep.equal([])
      expect((await platform().fetchAs(alice, 'GET', channel.resourceURL)).status).to.equal(200)
      await socket.close()
      await detached(channel.callbackURL)
      clock.advance(59_999)
      expect((await platform().fetchAs(alice, 'GET', channel.resourceURL)).status).to.equal(200)
      clock.advance(1)
      expect((await platform().fetchAs(alice, 'GET', channel.resourceURL)).status).to.equal(404)
    })

    it('delivers a queued notification up to exactly 5 minutes old on the next socket, and drops one a millisecond older', async () => {
      const channel = await createChannel(platform(), alice, { channelLifetime: 3600 })
      await subscribe(platform(), alice, 'chat', channel)
      await platform().admin.notify('alice@example.com', 'chat', { chatMessageNotification: { text: 'older' } })
      clock.advance(1)
      await platform().admin.notify('alice@example.com', 'chat', { chatMessageNotification: { text: 'just in time' } })
      clock.advance(queueMaxAge)
      const socket = await connect(platform(), channel, alice.accessToken)
      const texts = (await socket.barrier()).map((frame) => (JSON.parse(frame) as { chatMessageNotification: { text: string } }).chatMessageNotification.text)
      expect(texts).to.deep.equal(['just in time'])
      await socket.close()
    })
  })
})
