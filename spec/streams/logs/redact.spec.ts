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

  it('replaces every secret field name, in any case, with or without the underscore', () => {
    const names = ['access_token', 'ACCESS_TOKEN', 'idToken', 'id_token', 'refreshToken', 'refresh_token', 'token', 'password', 'passwd', 'authorization', 'credential', 'Secret']
    const redacted = redact(Object.fromEntries(names.map((name) => [name, 'opaque']))) as Record<string, unknown>
    expect(Object.values(redacted)).to.deep.equal(Array(names.length).fill(REDACTED))
  })

  it('keeps fields whose names only contain a secret word, and secret fields that hold no string', () => {
    const value = { tokenType: 'opaque', passwordHint: 'pet', secretQuestion: 'name', myToken: 'x', token: 42, password: null }
    expect(redact(value)).to.deep.equal(value)
  })

  it('copies an object met twice (not a cycle) twice, not as [Circular]', () => {
    const shared = { user: 'bob' }
    expect(redact({ caller: shared, callee: shared, list: [shared, shared] })).to.deep.equal({ caller: shared, callee: shared, list: [shared, shared] })
  })

  it('replaces every JWT in a string, with or without its signature part, but not a short eyJ word', () => {
    expect(redactText(`a ${jwt} b ${jwt}`)).to.equal(`a ${REDACTED} b ${REDACTED}`)
    expect(redactText('eyJhbGciOi.eyJzdWIi')).to.equal(REDACTED)
    expect(redactText('eyJab.cd')).to.equal('eyJab.cd')
  })

  it('redacts every inline token, whatever its case, up to the next &, space or quote', () => {
    expect(redactText('?id_token=a1&token=b2&ACCESS_TOKEN=c3 x')).to.equal(`?id_token=${REDACTED}&token=${REDACTED}&ACCESS_TOKEN=${REDACTED} x`)
    expect(redactText(`{"url":"wss://h/?token=abc","k":'?access_token=def'}`)).to.equal(`{"url":"wss://h/?token=${REDACTED}","k":'?access_token=${REDACTED}'}`)
    expect(redactText('bearer a/b+c== and Bearer d')).to.equal(`bearer ${REDACTED} and Bearer ${REDACTED}`)
  })

  it('rewrites an error whose stack alone holds a token, dropping the stack and keeping its code', () => {
    const error = Object.assign(new Error('refused'), { code: 'authentication:1' })
    error.stack = `Error: refused\n    at fetch (https://h/?access_token=abc)`
    expect(redact(error)).to.deep.equal({ name: 'Error', code: 'authentication:1', message: 'refused' })
    const stackless = new Error('plain')
    delete stackless.stack
    expect(redact(stackless)).to.equal(stackless)
  })
})
