import { conformanceSuite } from './harness.js'
import { asAlice } from './steps.js'

conformanceSuite('conformance: authentication (setTokens, getUserInfo)', (scenario) => {
  scenario('getUserInfo before and after setTokens', {
    name: 'setTokens / getUserInfo',
    justified: [
      { path: 'alice.steps.getUserInfo after.token', reason: 'superset: the reference documents user.token; kandy-rx returns it besides the original\'s accessToken (same value)' },
    ],
    run: asAlice({ login: false }, async (alice) => {
      await alice.step('getUserInfo before', (client) => client.getUserInfo())
      await alice.step('setTokens', (client, tokens) => client.setTokens(tokens), alice.tokens)
      await alice.step('getUserInfo after', (client) => client.getUserInfo())
    }),
  })

  scenario('bad input: setTokens with a malformed idToken or nothing', {
    name: 'setTokens bad input',
    justified: [
      { path: 'alice.steps.setTokens(malformed idToken)', reason: 'bad input: the original throws a raw InvalidTokenError; kandy-rx reports auth:error with a BasicError (protocol/events.md §2 Recommendation)' },
      { path: 'alice.steps.setTokens(undefined)', reason: 'bad input: the original throws a raw TypeError; kandy-rx reports auth:error with a BasicError BAD_INPUT (protocol/events.md §2 Recommendation)' },
    ],
    run: asAlice({ login: false }, async (alice) => {
      await alice.step('setTokens(malformed idToken)', (client) => client.setTokens({ accessToken: 'a', idToken: 'not-a-jwt' }))
      await alice.step('getUserInfo', (client) => client.getUserInfo())
      await alice.step('setTokens(undefined)', (client) => (client.setTokens as (value: unknown) => unknown)(undefined))
    }),
  })
})
