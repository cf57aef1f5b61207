import { expect } from 'chai'
import { userFromTokens } from '../../../streams/auth/tokens.js'

const jwt = (payload: unknown, encode = (text: string) => Buffer.from(text).toString('base64url')): string =>
  `${encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${encode(JSON.stringify(payload))}.c2lnbmF0dXJl`

describe('streams/auth/tokens', () => {
  it('takes the username from preferred_username, the identity from services-identity, and the domain after its @', () => {
    const idToken = jwt({ preferred_username: 'e33c51d7-0000', 'services-identity': 'alice@example.com', exp: 1 })
    const user = userFromTokens({ accessToken: 'a', idToken })
    expect(user).to.deep.equal({ _tag: 'Right', right: { username: 'e33c51d7-0000', identity: 'alice@example.com', domain: 'example.com', accessToken: 'a', idToken } })
  })

  it('derives the domain from the username when there is no identity', () => {
    const user = userFromTokens({ accessToken: 'a', idToken: jwt({ preferred_username: 'bob@corp.test' }) })
    expect(user._tag === 'Right' && user.right.identity).to.equal(undefined)
    expect(user._tag === 'Right' && user.right.domain).to.equal('corp.test')
  })

  it('takes the domain from the identity, not the username, when both name one', () => {
    const user = userFromTokens({ accessToken: 'a', idToken: jwt({ preferred_username: 'bob@corp.test', 'services-identity': 'bob@example.com' }) })
    expect(user._tag === 'Right' && user.right.domain).to.equal('example.com')
  })

  it('decodes UTF-8 payloads and tolerates base64 padding', () => {
    const padded = (text: string) => Buffer.from(text).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
    const user = userFromTokens({ accessToken: 'a', idToken: jwt({ preferred_username: 'zoë@exämple.com' }, padded) })
    expect(user._tag === 'Right' && user.right.username).to.equal('zoë@exämple.com')
  })

  const rejected: Array<[string, unknown, string | number, RegExp]> = [
    ['no argument', undefined, 'BAD_INPUT', /expected an object/],
    ['a string', 'token', 'BAD_INPUT', /expected an object/],
    ['a numeric access token', { accessToken: 5, idToken: jwt({ preferred_username: 'u' }) }, 'BAD_INPUT', /accessToken must be a non-empty string/],
    ['an empty access token', { accessToken: '', idToken: jwt({ preferred_username: 'u' }) }, 'BAD_INPUT', /accessToken/],
    ['a missing id token', { accessToken: 'a' }, 'BAD_INPUT', /idToken must be a non-empty string/],
    ['an id token that is not a JWT', { accessToken: 'a', idToken: 'not-a-jwt' }, 'authentication:1', /not a JWT/],
    ['a payload that is not base64url', { accessToken: 'a', idToken: 'a.b$c.d' }, 'authentication:1', /not base64url/],
    ['a payload that is not JSON', { accessToken: 'a', idToken: `x.${Buffer.from('{nope').toString('base64url')}.y` }, 'authentication:1', /not UTF-8 JSON/],
    ['a payload that is not an object', { accessToken: 'a', idToken: jwt(null) }, 'authentication:1', /lacks the claims/],
    ['no preferred_username', { accessToken: 'a', idToken: jwt({ sub: 'u' }) }, 'authentication:1', /preferred_username: expected NonEmptyString, got undefined/],
    ['a numeric preferred_username', { accessToken: 'a', idToken: jwt({ preferred_username: 7 }) }, 'authentication:1', /preferred_username/],
    ['a non-string identity', { accessToken: 'a', idToken: jwt({ preferred_username: 'u', 'services-identity': ['x'] }) }, 'authentication:1', /services-identity: expected NonEmptyString, got array/],
  ]
  for (const [what, params, code, message] of rejected) {
    it(`rejects ${what} with a clear BasicError`, () => {
      const user = userFromTokens(params)
      expect(user._tag).to.equal('Left')
      if (user._tag === 'Left') {
        expect(user.left.code).to.equal(code)
        expect(user.left.message).to.match(/^setTokens: /).and.match(message)
      }
    })
  }

})
