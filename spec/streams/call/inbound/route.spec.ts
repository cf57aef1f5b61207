import { expect } from 'chai'
import type { Environment } from '../../../../streams/environment.js'
import { usePlatform } from '../../../helpers/platform.js'
import { eventually, next, ring, useCallCores } from '../node-webrtc.js'

// How call notifications are routed to their call (notifications.md §4), in Node over the local platform with wrtc: the notifications are pushed by the
// platform's admin, as a gateway would send them.

const sessions = (userId: string): string => `/cpaas/webrtcsignaling/v1/${userId}/sessions`

/** A console that keeps every line (message first), at every level. */
function recordingConsole(): { readonly console: Environment['console']; readonly lines: string[] } {
  const lines: string[] = []
  const keep = (...args: unknown[]): void => void lines.push(args.map(String).join(' '))
  return { console: { debug: keep, info: keep, warn: keep, error: keep, log: keep, group: keep, groupCollapsed: keep, groupEnd: keep }, lines }
}

describe('call notifications routed to their call (streams/call/inbound/route.ts, session-event.ts)', function () {
  this.timeout(20000)
  const platform = usePlatform()
  const core = useCallCores(platform)

  /** Alice calls Bob, who lets it ring; Alice logs at every level. */
  async function ringing() {
    const logs = recordingConsole()
    const alice = await core('alice@example.com', { console: logs.console }, { logs: { logLevel: 'debug' } })
    const bob = await core('bob@example.com')
    const { callerCall: callId, calleeCall } = await ring(alice, bob)
    const sessionOf = (streams: typeof alice, id: string): string => streams.call.current().calls[id]?.wrtcsSessionId ?? ''
    return { alice, bob, callId, calleeCall, logs, aliceSession: sessionOf(alice, callId), bobSession: sessionOf(bob, calleeCall) }
  }

  it('SessionEnded ends the call with the platform statusCode and reasonText in its transition', async () => {
    const { alice, callId, aliceSession } = await ringing()
    const ended = next(alice, 'stateChanged', callId)
    await platform().admin.notify('alice@example.com', 'call', {
      wrtcsEventNotification: { eventType: 'SessionEnded', statusCode: 9900, reasonText: 'Far end hung up', link: [{ href: `${sessions('alice@example.com')}/${aliceSession}` }] },
    })
    expect((await ended).transition).to.deep.equal({ prevState: 'Ringing', statusCode: 9900, reasonText: 'Far end hung up' })
    expect(alice.call.current().calls[callId]?.state).to.equal('Ended')
  })

  it('SessionEnded whose id, statusCode, reasonText, dateTime or link rel are of another type still ends the call; the code and text are left out of its transition', async () => {
    const { alice, callId, aliceSession } = await ringing()
    const ended = next(alice, 'stateChanged', callId)
    await platform().admin.notify('alice@example.com', 'call', {
      wrtcsEventNotification: {
        eventType: 'SessionEnded',
        statusCode: '480',
        reasonText: null,
        // None read by a call handler: a numeric id (the connection takes it), a date as text and a link relation of null change nothing either.
        id: 4242,
        dateTime: '2026-12-07T17:00:00Z',
        link: [{ rel: null, href: `${sessions('alice@example.com')}/${aliceSession}` }],
      },
    })
    const change = await ended
    expect(change.error).to.equal(undefined)
    expect(change.transition).to.deep.equal({ prevState: 'Ringing' })
    expect(alice.call.current().calls[callId]?.state).to.equal('Ended')
  })

  it('a notification for an unknown session is ignored (and said at debug) when no outgoing call awaits its session', async () => {
    const { alice, callId, logs } = await ringing()
    await platform().admin.notify('alice@example.com', 'call', { wrtcsEventNotification: { eventType: 'SessionEnded', link: [{ href: `${sessions('alice@example.com')}/unknown` }] } })
    await eventually(() => logs.lines.some((line) => line.includes('Call notification wrtcsEventNotification for an unknown session ignored')), 'the debug line')
    expect(alice.call.current().calls[callId]?.state).to.equal('Ringing')
  })

  it('an invitation whose SDP is no SDP, for a session the client knows: reported on that call (call:2), which goes on ringing', async () => {
    const { bob, calleeCall, bobSession } = await ringing()
    const reported = next(bob, 'stateChanged', calleeCall)
    await platform().admin.notify('bob@example.com', 'call', {
      wrtcsSessionInvitationNotification: { offer: { sdp: 'not an sdp' }, originatorAddress: 'alice@example.com', link: [{ href: `${sessions('bob@example.com')}/${bobSession}` }] },
    })
    const change = await reported
    expect(change.error?.code).to.equal('call:2')
    expect(change.error?.message).to.contain('the SDP does not start with v=')
    expect(Object.keys(bob.call.current().calls)).to.deep.equal([calleeCall])
    expect(bob.call.current().calls[calleeCall]?.state).to.equal('Ringing')
  })
})
