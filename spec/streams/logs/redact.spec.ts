import { expect } from 'chai'
import { REDACTED, redact, redactText } from '../../../streams/logs/redact.js'

const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJwcmVmZXJyZWRfdXNlcm5hbWUiOiJib2IifQ.sig-nature_1'

describe('redact', () => {
  it('replaces string fields named like a secret, whatever their case or style', () => {
    const input = { accessToken: 'a', idToken: 'b', access_token: 'c', token: 'd', password: 'e', Authorization: 'f', refresh_token: 'g' }
    expect(Object.values(redact(input) as Record<string, unknown>)).to.deep.equal(Array(7).fill(REDACTED))
  })

  it('replaces JWTs anywhere in strings, nested in arrays and objects', () => {
    expect(redact({ list: [`pre ${jwt} post`], deep: { x: { y: jwt } } })).to.deep.equal({
      list: [`pre ${REDACTED} post`],
      deep: { x: { y: REDACTED } },
    })
  })

  it('keeps everything else as it is', () => {
    const value = { username: 'bob', count: 2, ok: true, none: null, list: [1, 'two'] }
    expect(redact(value)).to.deep.equal(value)
  })

  it('cuts cycles instead of looping', () => {
    const value: Record<string, unknown> = { accessToken: 'a' }
    value['self'] = value
    expect(redact(value)).to.deep.equal({ accessToken: REDACTED, self: '[Circular]' })
  })

  it('passes class instances through untouched', () => {
    const date = new Date(0)
    expect((redact({ date }) as { date: Date }).date).to.equal(date)
  })

  it('rewrites an error only when its text holds a token', () => {
    const plain = new Error('plain')
    expect(redact(plain)).to.equal(plain)
    expect(redact(new Error(`bad ${jwt}`))).to.deep.equal({ name: 'Error', message: `bad ${REDACTED}` })
  })

  it('redacts query-string tokens and bearer values in text', () => {
    expect(redactText('wss://h/?access_token=abc.def&x=1')).to.equal(`wss://h/?access_token=${REDACTED}&x=1`)
    expect(redactText('Authorization: Bearer opaque123')).to.equal(`Authorization: Bearer ${REDACTED}`)
  })
})
