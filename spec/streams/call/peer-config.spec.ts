import { expect } from 'chai'
import { peerConfiguration } from '../../../streams/config/peer.js'
import { createConfig } from '../../../streams/config/feature.js'

describe('call.defaultPeerConfig (streams/config/peer.ts)', () => {
  it('defaults to {} and is merged like any config section', () => {
    const config = createConfig({})
    expect(config.current().call.defaultPeerConfig).to.deep.equal({})
    config.update({ call: { defaultPeerConfig: { iceTransportPolicy: 'relay' } } })
    expect(config.current().call.defaultPeerConfig).to.deep.equal({ iceTransportPolicy: 'relay' })
    config.dispose()
  })

  it('accepts the RTCConfiguration members an app sets', () => {
    const valid = { iceTransportPolicy: 'relay', bundlePolicy: 'max-compat', rtcpMuxPolicy: 'require', iceCandidatePoolSize: 2, iceServers: [{ urls: ['turn:h:1'], username: 'u', credential: 'c' }] } as const
    const config = createConfig({ call: { defaultPeerConfig: valid } })
    expect(config.current().call.defaultPeerConfig).to.deep.equal(valid)
    config.dispose()
  })

  it('accepts an ICE candidate pool of 0 to 255', () => {
    const config = createConfig({})
    for (const size of [0, 255]) {
      config.update({ call: { defaultPeerConfig: { iceCandidatePoolSize: size } } })
      expect(config.current().call.defaultPeerConfig).to.deep.equal({ iceCandidatePoolSize: size })
    }
    config.dispose()
  })

  it('refuses a wrong member with a BAD_INPUT error naming it, and keeps the config as it was', () => {
    const config = createConfig({ call: { defaultPeerConfig: { iceTransportPolicy: 'relay' } } })
    for (const [value, member] of [
      [{ iceTransportPolicy: 'nohost' }, 'iceTransportPolicy'],
      [{ iceCandidatePoolSize: -1 }, 'iceCandidatePoolSize'],
      [{ iceCandidatePoolSize: 256 }, 'iceCandidatePoolSize'],
      [{ iceCandidatePoolSize: 1.5 }, 'iceCandidatePoolSize'],
      [{ iceCandidatePoolSize: Number.POSITIVE_INFINITY }, 'iceCandidatePoolSize'],
      // Local SDPs carry no BUNDLE group (protocol/calls.md §14.3): Chromium refuses them under max-bundle.
      [{ bundlePolicy: 'max-bundle' }, 'bundlePolicy'],
      [{ iceServers: [{ url: 'turn:h:1' }] }, 'iceServers'],
      ['relay', 'defaultPeerConfig'],
    ] as const) {
      expect(() => config.update({ call: { defaultPeerConfig: value as never } }), JSON.stringify(value))
        .to.throw()
        .that.satisfies((error: { code: string; message: string }) => error.code === 'BAD_INPUT' && error.message.includes(member))
      expect(config.current().call.defaultPeerConfig).to.deep.equal({ iceTransportPolicy: 'relay' })
    }
    config.dispose()
  })

  it("makes a call's RTCConfiguration: the defaults, with the call's ICE servers first", () => {
    const servers: RTCIceServer[] = [{ urls: 'turn:127.0.0.1:3478?transport=udp', username: '1:alice', credential: 'p' }]
    expect(peerConfiguration({ iceTransportPolicy: 'relay' }, servers)).to.deep.equal({ iceTransportPolicy: 'relay', iceServers: servers })
    expect(peerConfiguration({ iceServers: [{ urls: ['stun:s:1'] }] }, servers)).to.deep.equal({ iceServers: [...servers, { urls: ['stun:s:1'] }] })
    expect(peerConfiguration({}, [])).to.deep.equal({ iceServers: [] })
  })

  it('passes the certificates on, and copies the urls of its own ICE servers (the config stays as it was)', () => {
    const certificate = { expires: 1 }
    const own = { urls: ['stun:s:1'] }
    const configuration = peerConfiguration({ certificates: [certificate], iceServers: [own] }, [])
    expect(configuration.certificates?.[0]).to.equal(certificate)
    expect(configuration.iceServers?.[0]?.urls).to.deep.equal(['stun:s:1'])
    expect(configuration.iceServers?.[0]?.urls).not.to.equal(own.urls)
  })
})
