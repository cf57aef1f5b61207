import { expect } from 'chai'
import { displayAddress, normalizeDestination } from '../../../streams/call/destination.js'

describe('destination normalisation (streams/call/destination.ts)', () => {
  const cases: Array<[string, string]> = [
    ['bob', 'sip:bob@example.com'],
    ['bob@other.org', 'sip:bob@other.org'],
    ['sip:bob@other.org', 'sip:bob@other.org'],
    ['+1 (613) 555-0100', 'sip:+16135550100@example.com'],
    ['tel:+16135550100', 'sip:+16135550100@example.com'],
    ['  bob  ', 'sip:bob@example.com'],
    ['*72 613.555.0100', 'sip:*726135550100@example.com'],
    ['#31+1-613-555-0100@gw.example.net', 'sip:#3116135550100@gw.example.net'],
    ['@bob', 'sip:@bob@example.com'],
    ['bob@', 'sip:bob@@example.com'],
    ['+(-)', 'sip:+(-)@example.com'],
    ['bob.smith', 'sip:bob.smith@example.com'],
  ]
  for (const [input, expected] of cases) {
    it(`"${input}" → ${expected}`, () => {
      expect(normalizeDestination(input, 'example.com')).to.equal(expected)
    })
  }

  it('without an own domain, an address without one stays domain-less', () => {
    expect(normalizeDestination('bob', undefined)).to.equal('sip:bob')
    expect(normalizeDestination('bob', '')).to.equal('sip:bob')
  })

  it('originator addresses drop sip: / sips: / tel: in any case', () => {
    expect(displayAddress('sips:alice@example.com')).to.equal('alice@example.com')
    expect(displayAddress('SIP:alice@example.com')).to.equal('alice@example.com')
    expect(displayAddress('Tel:+15551230001')).to.equal('+15551230001')
  })

  it('originator addresses drop sip: / tel:', () => {
    expect(displayAddress('sip:alice@example.com')).to.equal('alice@example.com')
    expect(displayAddress('tel:+15551230001')).to.equal('+15551230001')
    expect(displayAddress('alice@example.com')).to.equal('alice@example.com')
  })
})
