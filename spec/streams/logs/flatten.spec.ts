import { expect } from 'chai'
import { BasicError } from '../../../streams/errors.js'
import { flattenDetail } from '../../../streams/logs/flatten.js'

describe('flattenDetail', () => {
  it('keeps strings and writes other values as JSON', () => {
    expect(flattenDetail('text')).to.equal('text')
    expect(flattenDetail({ a: [1, null] })).to.equal('{"a":[1,null]}')
    expect(flattenDetail(undefined)).to.equal('undefined')
  })

  it('writes errors with their name, code and message', () => {
    expect(flattenDetail(new BasicError('call:6', 'Invalid state'))).to.equal('{"name":"BasicError","code":"call:6","message":"Invalid state"}')
    expect(flattenDetail({ error: new TypeError('x') })).to.equal('{"error":{"name":"TypeError","message":"x"}}')
  })

  it('survives cycles, functions and bigints', () => {
    const value: Record<string, unknown> = { n: 10n, f: function named() {} }
    value['self'] = value
    expect(flattenDetail(value)).to.equal('{"n":"10","f":"[Function named]","self":"[Circular]"}')
  })
})
