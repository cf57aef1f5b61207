import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { filter, firstValueFrom, timeout } from 'rxjs'

// The kit as an app's tests meet it: imported by package name from the build (spec/run.mjs
// builds dist/ first), sharing one copy of the SDK with `kandy-rx` and `kandy-rx/streams`.
type Kit = typeof import('../../testing/index.js')
type Sdk = typeof import('../../lib/index.js')

describe('testing kit: the kandy-rx/testing package entry', function () {
  this.timeout(20000)

  it('starts a platform with its own users, logs a client and a core in, and they chat', async () => {
    const { startPlatform, createTestClient, createTestStreams } = (await import('kandy-rx/testing')) as Kit
    const platform = await startPlatform({ users: ['ann@example.com', 'ben@example.com'] })
    const ann = await createTestClient(platform, 'ann@example.com', { services: ['chat'] })
    const ben = await createTestStreams(platform, 'ben@example.com', { services: ['chat'] })
    try {
      const arrived = firstValueFrom(
        ben.messaging.conversations$.pipe(
          filter((conversations) => conversations.some((conversation) => conversation.messages.some((message) => message.parts.some((part) => part.type === 'text' && part.text === 'hi ben')))),
          timeout(5000),
        ),
      )
      ann.conversation.create('ben@example.com').createMessage({ type: 'text', text: 'hi ben' }).send()
      const [conversation] = await arrived
      expect(conversation?.destination).to.deep.equal(['ann@example.com'])
    } finally {
      ann.dispose()
      ben.dispose()
      await platform.stop()
    }
  })

  it('shares the SDK of kandy-rx: its clients throw the package’s own BasicError', async () => {
    const { startPlatform, createTestClient } = (await import('kandy-rx/testing')) as Kit
    const sdk = (await import('kandy-rx')) as Sdk
    const platform = await startPlatform()
    const alice = await createTestClient(platform, 'alice@example.com', { services: [] })
    try {
      expect(() => alice.updateConfig('not an object' as never)).to.throw(sdk.BasicError)
    } finally {
      alice.dispose()
      await platform.stop()
    }
  })

  it('calls the echo bot from Node with nodeEnvironment: the call connects and audio comes back', async () => {
    const { startPlatform, createTestClient, nextEvent, nodeEnvironment, tone, audioOf } = (await import('kandy-rx/testing')) as Kit
    const platform = await startPlatform({ users: ['ann@example.com'], bots: ['echo'] })
    const environment = nodeEnvironment({ audio: tone(440) })
    const ann = await createTestClient(platform, 'ann@example.com', { services: ['call'], environment })
    try {
      const callId = ann.call.make('echo@example.com', { audio: true })
      await nextEvent(ann, 'call:stateChange', () => ann.call.getById(callId)?.state === 'Connected', 15000)
      const [remote] = ann.call.getById(callId)!.remoteTracks
      const track = environment.media.remote(remote!)
      expect(track?.kind).to.equal('audio')
      const chunk = await firstValueFrom(audioOf(track!).pipe(filter(({ samples }) => samples.some((sample) => Math.abs(sample) > 1000)), timeout(10000)))
      expect(chunk.sampleRate).to.be.greaterThan(0)
      ann.call.end(callId)
    } finally {
      ann.dispose()
      environment.media.dispose()
      await platform.stop()
    }
  })

  it("works with require('kandy-rx/testing') in plain Node (CommonJS)", () => {
    const script = `
      const { startPlatform } = require('kandy-rx/testing')
      startPlatform({ users: ['ann@example.com'] }).then(async (platform) => {
        const tokens = await platform.tokens('ann@example.com')
        console.log(tokens.userId, platform.url.startsWith('http://127.0.0.1:'))
        await platform.stop()
      })`
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 15000 })
    expect(output.trim()).to.equal('ann@example.com true')
  })
})
