import { expect } from 'chai'
import { existsSync } from 'node:fs'
import { startAgent, type Agent } from '../../../samples/node/agent.js'
import { tone } from '../../../samples/node/media.js'
import { bytesRising, callState } from '../../bots/helpers.js'
import { startChild, type Child } from './child.js'

// `npm start` runs `node build.mjs && node dist/local.js`; spec/run.mjs builds before the specs.
describe('samples/local.ts (npm start): the platform, its bots and the samples, as one command', function () {
  this.timeout(60000)
  let system: Child | undefined
  let alice: Agent | undefined
  afterEach(async () => {
    alice?.stop()
    alice = undefined
    await system?.stop()
    system = undefined
  })

  before(function () {
    if (!existsSync('dist/local.js')) throw new Error('dist/local.js is missing: run node build.mjs first')
  })

  it('prints the URL, the people (never a password), where their passwords are, the admin secret and each bot with what it does; serves the samples; its bots answer; SIGTERM stops it with 0', async () => {
    system = startChild(['dist/local.js', '--port', '0'])
    const [, url] = await system.waitFor(/kandy-rx local system on (http:\/\/127\.0\.0\.1:\d+)/)
    await system.waitFor(/Ctrl-C stops everything/)
    const output = system.output()
    for (const person of ['alice', 'bob', 'carol', 'dave']) expect(output).to.match(new RegExp(`${person}@example.com +[A-Z][a-z]+ [A-Z][a-z]+ +\\+1555`))
    expect(output).to.include('passwords: see platform/users.json')
    expect(output).to.not.match(/\(password\)|password=password\b|\bpassword\b(?!s)/)
    expect(output).to.match(/Admin API \(\/_admin\/\): send "Authorization: Bearer [\w-]{43}"/)
    for (const [bot, what] of [
      ['echo', 'sends your audio and video back'],
      ['autoanswer', 'plays a 440 Hz tone'],
      ['busy', 'rejects every call'],
      ['ivr', 'DTMF'],
      ['sms', 'answers every SMS'],
      ['typing', 'typing'],
      ['presence', 'changes its presence'],
    ]) expect(output).to.match(new RegExp(`${bot}@example.com +\\+1555\\d+ +.*${what}`))

    const home = await fetch(`${url}/`)
    expect(home.status).to.equal(200)
    expect(home.headers.get('content-type')).to.match(/text\/html/)
    const bundle = await fetch(`${url}/kandy-rx.js`)
    expect(bundle.status).to.equal(200)
    expect(await bundle.text()).to.match(/^"use strict";var Kandy=/)

    alice = await startAgent({ server: url!, user: 'alice@example.com', password: 'password', services: ['call'], media: { audio: tone(1000) } })
    const callId = alice.client.call.make('echo@example.com', { audio: true })
    await callState(alice.client, callId, 'Connected')
    await bytesRising(alice.client, callId, 'audio')
    alice.client.call.end(callId)
    await callState(alice.client, callId, 'Ended')

    expect(await system.stop()).to.equal(0)
    expect(system.output()).to.not.match(/Segmentation fault|could not start/)
  })

  it('takes PORT and the platform’s flags: --tls serves https with bots that trust its certificate; --no-bots starts none', async () => {
    system = startChild(['dist/local.js', '--tls'], { PORT: '0' })
    await system.waitFor(/kandy-rx local system on https:\/\/127\.0\.0\.1:\d+/)
    await system.waitFor(/Ctrl-C stops everything/)
    expect(system.output()).to.match(/echo@example.com +\+15551230101/)
    expect(await system.stop()).to.equal(0)

    system = startChild(['dist/local.js', '--port', '0', '--no-bots'])
    await system.waitFor(/Ctrl-C stops everything/)
    expect(system.output()).to.match(/alice@example.com +Alice Archer/)
    expect(system.output()).to.not.include('Bots:')
    expect(await system.stop()).to.equal(0)
  })

  it('prints its usage with --help and refuses unknown flags', async () => {
    const help = startChild(['dist/local.js', '--help'])
    expect(await help.exit()).to.equal(0)
    expect(help.output()).to.include('--no-bots').and.include('--port N')
    const bad = startChild(['dist/local.js', '--bogus'])
    expect(await bad.exit()).to.equal(2)
    expect(bad.output()).to.include('unknown option --bogus')
  })
})
