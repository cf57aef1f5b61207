import { expect } from 'chai'
import { messageError, partError } from '../../../streams/messaging/parts.js'
import type { Part } from '../../../streams/messaging/state.js'

const png = new File([new Uint8Array([137, 80, 78, 71])], 'pic.png', { type: 'image/png' })
const text: Part = { type: 'text', text: 'hi' }

describe('messaging parts', () => {
  it('accepts text, json, file and location parts', () => {
    expect(partError(text)).to.equal(undefined)
    expect(partError({ type: 'text', text: '' })).to.equal(undefined)
    expect(partError({ type: 'json', json: { a: 1 } })).to.equal(undefined)
    expect(partError({ type: 'file', file: png })).to.equal(undefined)
    expect(partError({ type: 'file', file: new Blob(['x']), name: 'x.txt' })).to.equal(undefined)
    expect(partError({ type: 'file', 'x-id': 'f1', name: 'a.png', rawURL: 'http://x' })).to.equal(undefined)
    expect(partError({ type: 'location', latitude: 1, longitude: 2 })).to.equal(undefined)
  })

  it('refuses parts without a type, of an unknown type, or missing their payload, with BAD_INPUT', () => {
    for (const part of [null, 'hi', {}, { type: 'video' }, { type: 'text' }, { type: 'json' }, { type: 'file' }, { type: 'file', file: new Blob(['x']) }]) {
      const error = partError(part)
      expect(error, JSON.stringify(part)).to.include({ name: 'BasicError', code: 'BAD_INPUT' })
      expect(error?.message).to.be.a('string').and.not.equal('')
    }
  })

  it('refuses as a file what is not a Blob: no arrayBuffer method, or no numeric size', () => {
    expect(partError({ type: 'file', file: { size: 4 }, name: 'a.png' })?.message).to.match(/needs a "file"/)
    expect(partError({ type: 'file', file: { arrayBuffer: () => undefined, size: '4' }, name: 'a.png' })?.message).to.match(/needs a "file"/)
  })

  it('refuses a part with both json and a file', () => {
    expect(partError({ type: 'json', json: {}, file: png })?.message).to.match(/both json and a file/)
    expect(partError({ type: 'file', json: {}, file: png })?.message).to.match(/both json and a file/)
  })

  it('requires a text part in every message, also with files or json', () => {
    expect(messageError([{ type: 'file', file: png }], 'chat-oneToOne')).to.include({ code: 'BAD_INPUT' })
    expect(messageError([{ type: 'json', json: {} }], 'chat-group')?.message).to.match(/text part/)
    expect(messageError([text, { type: 'file', file: png }, { type: 'json', json: {} }], 'chat-oneToOne')).to.equal(undefined)
  })

  it('refuses more than one file part with messaging:10', () => {
    expect(messageError([text, { type: 'file', file: png }, { type: 'file', file: png }], 'chat-oneToOne')).to.include({ code: 'messaging:10' })
  })

  it('refuses files in an SMS', () => {
    expect(messageError([text, { type: 'file', file: png }], 'sms')?.message).to.match(/SMS carries text only/)
    expect(messageError([text], 'sms')).to.equal(undefined)
  })
})
