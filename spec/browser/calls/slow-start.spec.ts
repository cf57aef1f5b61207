import { expect } from 'chai'
import { useHarness } from '../harness.js'

// Slow start (protocol/calls.md §6): the platform invites without an SDP, as it does for
// gateway or transfer scenarios. A relay between two SDKs never does that, so the far end here
// is a plain page acting as the gateway: it creates the session with `offer: {}`, receives the
// callee's offer, and answers it, all with plain RTCPeerConnection and the platform's REST + WS.
describe('calls in Chromium: slow-start (offer-less) incoming calls', function () {
  this.timeout(60000)
  const harness = useHarness()

  it('the callee answers with an offer, stays Ringing, and connects on the gateway’s answer with media both ways', async () => {
    const gateway = await harness().openPlain('alice@example.com')
    const bob = await harness().open('bob@example.com')

    const placed = gateway.page.evaluate(async () => {
      type Plain = {
        api(method: string, path: string, body?: unknown): Promise<{ wrtcsSession: { resourceURL: string } }>
        next(kind: string, predicate?: (body: { link: Array<{ href: string }> }) => boolean): Promise<{ offer: { sdp?: string }; link: Array<{ href: string }> }>
        signalling: string
      }
      const scope = window as unknown as { __plain: Plain; plainCpaas: { gathered(pc: RTCPeerConnection): Promise<void> }; __gatewayPc: RTCPeerConnection }
      const plain = scope.__plain
      const created = await plain.api('POST', `${plain.signalling}/sessions`, {
        wrtcsSession: { clientCorrelator: 'gateway', tParticipantAddress: 'sip:bob@example.com', offer: {} },
      })
      const sessionId = created.wrtcsSession.resourceURL.split('sessions/')[1] ?? ''
      const offer = await plain.next('wrtcsOfferNotification', (body) => body.link[0]?.href.endsWith(sessionId) === true)
      const pc = new RTCPeerConnection({ iceServers: [] })
      scope.__gatewayPc = pc
      await pc.setRemoteDescription({ type: 'offer', sdp: offer.offer.sdp ?? '' })
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true })
      for (const track of stream.getTracks()) pc.addTrack(track, stream)
      await pc.setLocalDescription(await pc.createAnswer())
      await scope.plainCpaas.gathered(pc)
      await plain.api('PUT', `${plain.signalling}/sessions/${sessionId}/answer`, { wrtcsAnswer: { clientCorrelator: 'gateway', sdp: pc.localDescription?.sdp } })
      return { offeredKinds: (offer.offer.sdp ?? '').match(/^m=\w+/gm) }
    })

    const received = await bob.waitFor('call:receive')
    const callId = String(received.payload.callId)
    const ringing = await bob.run((client, id) => client.call.getById(id), callId)
    expect(ringing).to.include({ state: 'Ringing', isSlowStart: true, direction: 'incoming' })
    expect(ringing?.remoteTracks).to.deep.equal([])
    expect(await bob.run((_client, _arg, { peers }) => peers.length)).to.equal(0)

    await bob.run((client, id) => client.call.answer(id, { audio: true, video: true }), callId)
    const { offeredKinds } = await placed
    expect(offeredKinds).to.deep.equal(['m=audio', 'm=video'])
    const connected = await bob.waitFor('call:stateChange', { callId, previous: { state: 'Ringing' } })
    expect(connected.payload.error).to.equal(undefined)
    expect(await bob.run((client, id) => client.call.getById(id)?.state, callId)).to.equal('Connected')
    expect((await bob.events('call:stateChange')).filter((event) => event.payload.callId === callId)).to.have.length(1)

    const rtp = await bob.expectMediaFlowing(callId)
    expect(rtp.inbound.map((stream) => stream.kind).sort()).to.deep.equal(['audio', 'video'])
    const gatewayReceives = await gateway.page.waitForFunction(
      async () => {
        const pc = (window as unknown as { __gatewayPc: RTCPeerConnection }).__gatewayPc
        const report = await pc.getStats()
        const kinds: string[] = []
        report.forEach((stat: { type: string; kind?: string; bytesReceived?: number }) => {
          if (stat.type === 'inbound-rtp' && (stat.bytesReceived ?? 0) > 0 && stat.kind !== undefined) kinds.push(stat.kind)
        })
        return kinds.length === 2 ? kinds.sort() : false
      },
      undefined,
      { polling: 100, timeout: 15000 },
    )
    expect(await gatewayReceives.jsonValue()).to.deep.equal(['audio', 'video'])
  })
})
