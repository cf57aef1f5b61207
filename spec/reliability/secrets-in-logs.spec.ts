import { expect } from 'chai'
import { inspect } from 'node:util'
import type { ConversationApi } from '../../lib/api/conversation.js'
import type { UserConfig } from '../../lib/index.js'
import type { Account } from '../../platform/index.js'
import { nodeEnvironment, type NodeEnvironment } from '../../samples/node/environment.js'
import { silence } from '../../samples/node/media.js'
import { callState } from '../bots/helpers.js'
import { createTestClient, nextEvent, type TestClient } from '../helpers/client.js'
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js'

// A log scan: a representative session (login, subscribe, presence, chat, a call, an admin
// request) with the SDK at debug level (action logs with full state) and the platform verbose,
// every line captured. No password, access / id / refresh token or admin secret may appear, nor
// anything shaped like a JWT. The same session with `exposePayloads` shows tokens, so the scan
// can tell a leak from silence.

const people: Account[] = [
  { userId: 'ann@example.com', identity: 'ann@example.com', password: 'Ann-pass-7f3c91', firstName: 'Ann', lastName: 'Scan', email: 'ann@example.com', phoneNumber: '+15558880001' },
  { userId: 'ben@example.com', identity: 'ben@example.com', password: 'Ben-pass-2d8e44', firstName: 'Ben', lastName: 'Scan', email: 'ben@example.com', phoneNumber: '+15558880002' },
]
const jwt = /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/

/** A console that keeps every line it is given, as text. */
function capturingConsole(lines: string[]): NodeEnvironment['console'] {
  const keep = (...values: unknown[]): void => {
    lines.push(values.map((value) => (typeof value === 'string' ? value : inspect(value, { depth: Infinity, breakLength: Infinity }))).join(' '))
  }
  return { debug: keep, info: keep, warn: keep, error: keep, log: keep, group: keep, groupCollapsed: keep, groupEnd: () => undefined }
}

const chat = (client: TestClient): ConversationApi => (client as unknown as { conversation: ConversationApi }).conversation

/** The session, with every SDK and platform line in `lines`; resolves with the secrets it used. */
async function session(platform: TestPlatform, lines: string[], logs: UserConfig['logs']): Promise<string[]> {
  const environments: NodeEnvironment[] = []
  const clients: TestClient[] = []
  const client = async (userId: string): Promise<TestClient> => {
    const environment = nodeEnvironment({ audio: silence })
    environments.push(environment)
    const made = await createTestClient(platform, userId, {
      services: ['call', 'chat', 'presence'],
      environment: { ...environment, console: capturingConsole(lines) },
      config: { logs },
    })
    clients.push(made)
    return made
  }
  try {
    const ann = await client('ann@example.com')
    const ben = await client('ben@example.com')
    ann.presence.update('Open', 'Available')
    const arrived = nextEvent(ben, 'conversations:change')
    chat(ann).create('ben@example.com').createMessage('hello, scanner').send()
    await arrived
    const invited = nextEvent<{ callId: string }>(ben, 'call:receive')
    const callId = ann.call.make('ben@example.com', { audio: true })
    const { callId: bensCall } = await invited
    ben.call.answer(bensCall, { audio: true })
    await callState(ann, callId, 'Connected')
    ann.call.end(callId)
    await callState(ben, bensCall, 'Ended')
    const state = await fetch(`${platform.url}/_admin/state`, { headers: { Authorization: `Bearer ${platform.adminSecret}` } })
    expect(state.status).to.equal(200)
    return [
      ...people.map((person) => person.password),
      ...clients.flatMap((made) => [made.tokens.accessToken, made.tokens.idToken, made.tokens.refreshToken]),
      platform.adminSecret!,
    ]
  } finally {
    for (const made of clients) made.dispose()
    for (const environment of environments) environment.media.dispose()
  }
}

describe('reliability: no secrets in logs (SDK at debug level, platform verbose)', function () {
  this.timeout(60000)
  let platform: TestPlatform
  const lines: string[] = []
  beforeEach(async () => {
    lines.length = 0
    platform = await startTestPlatform({ users: people, logRequests: true, log: (line) => lines.push(`[platform] ${line}`) })
  })
  afterEach(async () => {
    await platform.stop()
  })

  it('never shows a password, a token or the admin secret, at any level, in a whole session', async () => {
    const secrets = await session(platform, lines, { logLevel: 'debug', logActions: { actionOnly: false, diff: true, exposePayloads: false } })
    expect(lines.filter((line) => line.startsWith('[platform]')).length, 'platform lines').to.be.at.least(20)
    expect(lines.filter((line) => line.includes('[kandy-rx:')).length, 'SDK lines').to.be.at.least(50)
    for (const secret of secrets) expect(lines.filter((line) => line.includes(secret)), `a secret (${secret.slice(0, 6)}…) was logged`).to.deep.equal([])
    expect(lines.filter((line) => jwt.test(line)), 'a JWT-shaped string was logged').to.deep.equal([])
  })

  it('shows tokens when exposePayloads is configured (so the scan above can fail)', async () => {
    const secrets = await session(platform, lines, { logLevel: 'debug', logActions: { actionOnly: false, diff: false, exposePayloads: true } })
    const tokens = secrets.filter((secret) => jwt.test(secret))
    expect(tokens.some((token) => lines.some((line) => line.includes(token)))).to.equal(true)
  })
})
