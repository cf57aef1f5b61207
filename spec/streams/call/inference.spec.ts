import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import {
  hasTelephoneEvent,
  inactivated,
  inferRemoteOperation,
  mediaFlowing,
  mediaLines,
  receives,
  sdpSessionId,
  setupActiveAsActpass,
} from '../../../streams/call/inference.js'

// SDP inference of remote re-offers (protocol/calls.md §9), over a real Chromium offer
// (audio + video) with its directions rewritten per m-line.

const chromium = readFileSync('spec/fixtures/chromium-offer-audio-video.sdp', 'utf8')

/** The Chromium offer with the given direction on each m-line (`0` = rejected, port 0); extra entries add m-lines (copies of the video one). */
function sdpWith(...directions: Array<string | 0>): string {
  const [head = '', ...sections] = chromium.split(/(?=\r\nm=)/)
  const video = sections[1] ?? ''
  const all = directions.map((_, index) => sections[index] ?? video.replace(/a=mid:\d+/, `a=mid:${index}`))
  return (
    head +
    all
      .map((section, index) => {
        const direction = directions[index]!
        const directed = section.replace(/a=(sendrecv|sendonly|recvonly|inactive)/, `a=${direction === 0 ? 'inactive' : direction}`)
        return direction === 0 ? directed.replace(/^(\r\nm=\w+) \d+/, '$1 0') : directed
      })
      .join('')
  )
}

describe('re-offer inference (streams/call/inference.ts)', () => {
  it('summarises m-lines by mid, kind and direction; a rejected line (port 0) is inactive', () => {
    expect(mediaLines(sdpWith('sendrecv', 'recvonly'))).to.deep.equal([
      { mid: '0', kind: 'audio', direction: 'sendrecv' },
      { mid: '1', kind: 'video', direction: 'recvonly' },
    ])
    expect(mediaLines(sdpWith('sendrecv', 0))[1]).to.deep.include({ direction: 'inactive' })
    expect(mediaLines('not an sdp')).to.deep.equal([])
  })

  it('media flows unless every video line is inactive and every audio line inactive or sendonly (music on hold)', () => {
    expect(mediaFlowing(sdpWith('sendrecv', 'sendrecv'))).to.equal(true)
    expect(mediaFlowing(sdpWith('inactive', 'inactive'))).to.equal(false)
    expect(mediaFlowing(sdpWith('sendonly', 'inactive'))).to.equal(false)
    expect(mediaFlowing(sdpWith('inactive', 'recvonly'))).to.equal(true)
    expect(mediaFlowing(sdpWith('recvonly', 'inactive'))).to.equal(true)
  })

  const cases: Array<[string, Array<string | 0>, Array<string | 0>, string]> = [
    ['hold', ['sendrecv', 'sendrecv'], ['inactive', 'inactive'], 'hold'],
    ['hold of a call whose video was removed', ['sendrecv', 'sendonly'], ['inactive', 'inactive'], 'hold'],
    ['unhold', ['inactive', 'inactive'], ['sendrecv', 'sendrecv'], 'unhold'],
    ['unhold of a line that only receives', ['inactive', 'inactive'], ['sendrecv', 'recvonly'], 'unhold'],
    ['start music on hold', ['inactive', 'inactive'], ['sendonly', 'inactive'], 'startMusicOnHold'],
    ['stop music on hold', ['sendonly', 'inactive'], ['inactive', 'inactive'], 'stopMusicOnHold'],
    ['add media: a new line', ['sendrecv'], ['sendrecv', 'sendrecv'], 'addMedia'],
    ['add media: a line starts sending again', ['sendrecv', 'recvonly'], ['sendrecv', 'sendrecv'], 'addMedia'],
    ['remove media: a line stops sending', ['sendrecv', 'sendrecv'], ['sendrecv', 'recvonly'], 'removeMedia'],
    ['no change', ['sendrecv', 'sendrecv'], ['sendrecv', 'sendrecv'], 'noChange'],
    ['a new inactive line (a spare transceiver) is no addition: hold', ['sendrecv', 'sendrecv'], ['inactive', 'inactive', 'inactive'], 'hold'],
    ['a new inactive line is no addition: no change', ['sendrecv'], ['sendrecv', 'inactive'], 'noChange'],
    ['unknown: a line removed', ['sendrecv', 'sendrecv'], ['sendrecv'], 'unknown'],
    ['unknown: a line stops receiving only', ['sendrecv', 'sendrecv'], ['sendrecv', 'sendonly'], 'unknown'],
    ['unknown: every line inactive, but a line removed (no hold)', ['sendrecv', 'sendrecv'], ['inactive'], 'unknown'],
    ['unknown: music on hold from a call that was not held (no hold: the audio still sends)', ['sendrecv', 'sendrecv'], ['sendonly', 'inactive'], 'unknown'],
    ['unknown: unhold while a line that did not change still sends', ['inactive', 'sendonly'], ['sendrecv', 'sendonly'], 'unknown'],
    ['add media, not music on hold: a line that did not change still sends', ['inactive', 'sendonly'], ['sendonly', 'sendonly'], 'addMedia'],
  ]
  for (const [name, before, after, expected] of cases)
    it(`infers ${name} → ${expected}`, () => {
      expect(inferRemoteOperation(sdpWith(...before), sdpWith(...after))).to.equal(expected)
    })

  it('a direction receives when it has recv in it; a transceiver not negotiated yet (null) receives nothing', () => {
    expect(['sendrecv', 'recvonly', 'sendonly', 'inactive', 'stopped', null, undefined].map(receives)).to.deep.equal([true, true, false, false, false, false, false])
  })

  it('reads the o= session id (it changes with the far end)', () => {
    expect(sdpSessionId(chromium)).to.equal('1727772498856386836')
    expect(sdpSessionId(chromium.replace('o=- 1727772498856386836', 'o=- 42'))).to.equal('42')
  })

  it('inactivates every direction (a re-offer answered while locally held), leaving the rest of the SDP', () => {
    const quiet = inactivated(sdpWith('sendrecv', 'recvonly'))
    expect(mediaLines(quiet).map((line) => line.direction)).to.deep.equal(['inactive', 'inactive'])
    expect(quiet).to.contain('a=fingerprint:')
    expect(mediaFlowing(quiet)).to.equal(false)
  })

  it('rewrites setup:active to actpass in a re-offer, and only that', () => {
    const active = chromium.replace(/a=setup:actpass/g, 'a=setup:active')
    expect(setupActiveAsActpass(active)).to.not.contain('a=setup:active')
    expect(setupActiveAsActpass(active)).to.contain('a=setup:actpass')
    expect(setupActiveAsActpass(chromium)).to.equal(chromium)
    const passive = chromium.replace(/a=setup:actpass/g, 'a=setup:passive')
    expect(setupActiveAsActpass(passive)).to.equal(passive)
  })

  it('finds telephone-event in the audio of an SDP, not once a codec remover took it out', () => {
    expect(hasTelephoneEvent(chromium)).to.equal(true)
    const stripped = chromium.replace(/a=rtpmap:\d+ telephone-event\/\d+\r\n/g, '')
    expect(hasTelephoneEvent(stripped)).to.equal(false)
    // A rejected audio line (port 0) offers nothing, whatever codecs it still lists.
    expect(hasTelephoneEvent(sdpWith(0, 'sendrecv'))).to.equal(false)
  })
})
