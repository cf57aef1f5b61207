import { expect } from 'chai'
import { createAuth } from '../../../streams/auth/feature.js'
import type { AuthEvent } from '../../../streams/auth/state.js'
import { createConfig } from '../../../streams/config/feature.js'
import type { AuthUser } from '../../../streams/connection/link.js'
import { createEnvironment } from '../../../streams/environment.js'
import { createLogs } from '../../../streams/logs/feature.js'
import { streamsCompletedByDispose } from '../features.js'

const jwt = (payload: unknown, encode = (text: string) => Buffer.from(text).toString('base64url')): string =>
  `${encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${encode(JSON.stringify(payload))}.c2lnbmF0dXJl`

const silentLogs = () => createLogs(createConfig({ logs: { logLevel: 'silent' } }), createEnvironment())

describe('streams/auth/feature', () => {
  it('publishes the user on user$ and emits tokensSet; a later pair replaces it', () => {
    const auth = createAuth({ logs: silentLogs() })
    const users: Array<AuthUser | undefined> = []
    const events: AuthEvent[] = []
    auth.user$.subscribe((user) => users.push(user))
    auth.events$.subscribe((event) => events.push(event))
    auth.commands.setTokens({ accessToken: 'a1', idToken: jwt({ preferred_username: 'alice@example.com' }) })
    auth.commands.setTokens({ accessToken: 'a2', idToken: jwt({ preferred_username: 'alice@example.com' }) })
    expect(users.map((user) => user?.accessToken)).to.deep.equal([undefined, 'a1', 'a2'])
    expect(events.map((event) => event.type)).to.deep.equal(['tokensSet', 'tokensSet'])
    expect(auth.user()?.accessToken).to.equal('a2')
    auth.dispose()
  })

  it('keeps the current user when a bad pair is set, and emits tokensRejected with the error', () => {
    const auth = createAuth({ logs: silentLogs() })
    auth.commands.setTokens({ accessToken: 'a1', idToken: jwt({ preferred_username: 'alice@example.com' }) })
    const events: AuthEvent[] = []
    auth.events$.subscribe((event) => events.push(event))
    auth.commands.setTokens({ accessToken: 'a2', idToken: 'garbage' })
    expect(auth.user()?.accessToken).to.equal('a1')
    expect(events).to.have.length(1)
    expect(events[0]?.type === 'tokensRejected' && events[0].error.code).to.equal('authentication:1')
    auth.dispose()
  })

  it('completes its streams on dispose', () => {
    expect(streamsCompletedByDispose(createAuth({ logs: silentLogs() }))).to.equal(2)
  })
})
