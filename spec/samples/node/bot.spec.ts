import { expect } from 'chai'
import { tone } from '../../../samples/node/media.js'
import { callState, caller, listen, nextEvent, receivedText, remoteTrack, toneShare, type Caller } from '../../bots/helpers.js'
import { usePlatform } from '../../helpers/platform.js'
import { startChild, type Child } from './child.js'

describe('samples/node/bot.ts: the Node bot sample, run as a command', function () {
  this.timeout(60000)
  const platform = usePlatform()
  let bot: Child | undefined
  let alice: Caller | undefined
  afterEach(async () => {
    await alice?.dispose()
    alice = undefined
    await bot?.stop()
    bot = undefined
  })

  const run = async (...extra: string[]): Promise<Child> => {
    const child = startChild(['--import', 'tsx', 'samples/node/bot.ts', '--server', platform().url, '--user', 'bob@example.com', '--password', 'password', ...extra])
    await child.waitFor(/bot bob@example.com ready/)
    return child
  }

  it('logs in, sets its presence, answers a call with its tone and replies to a chat message; SIGTERM stops it cleanly', async () => {
    bot = await run('--tone', '660')
    alice = await caller(platform(), 'alice@example.com', { services: ['call', 'chat', 'presence'], audio: tone(1000) })

    const watched = nextEvent<{ userId: string; status: string; activity: string }>(alice.client, 'presence:change', (change) => change.userId === 'bob@example.com')
    alice.client.presence.subscribe('bob@example.com')
    expect(await watched).to.include({ status: 'Open', activity: 'Available' })

    const callId = alice.client.call.make('bob@example.com', { audio: true })
    await callState(alice.client, callId, 'Connected')
    const heard = await listen(remoteTrack(alice, callId, 'audio'), 1500)
    expect(toneShare(heard.samples, heard.sampleRate, 660).share, 'share of what alice hears at 660 Hz').to.be.above(0.8)

    alice.client.conversation.create('bob@example.com').createMessage('Hi bot').send()
    expect(await receivedText(alice.client, 'bob@example.com', 'chat-oneToOne', () => true)).to.equal('Hello from the kandy-rx Node bot. You wrote: Hi bot')
    await bot.waitFor(/alice@example.com wrote: Hi bot/)

    expect(await bot.stop()).to.equal(0)
  })

  it('with --echo, plays the caller’s audio back', async () => {
    bot = await run('--echo')
    alice = await caller(platform(), 'alice@example.com', { audio: tone(1000, 0.3) })
    const callId = alice.client.call.make('bob@example.com', { audio: true })
    await callState(alice.client, callId, 'Connected')
    const track = remoteTrack(alice, callId, 'audio')
    await listen(track, 500)
    const heard = await listen(track, 1500)
    expect(toneShare(heard.samples, heard.sampleRate, 1000).share, 'share of the echo at 1 kHz').to.be.above(0.8)
  })

  it('refuses to start with a wrong password, saying why', async () => {
    const child = startChild(['--import', 'tsx', 'samples/node/bot.ts', '--server', platform().url, '--user', 'bob@example.com', '--password', 'nope'])
    expect(await child.exit()).to.equal(1)
    expect(child.output()).to.match(/bot failed: .*refused/)
  })
})
