import { expect } from 'chai'
import { create } from '../../../lib/index.js'
import { startPlatform } from '../../../platform/index.js'
import { selfSignedCertificate } from '../../../platform/index.js'
import { nodeEnvironment } from '../../../samples/node/environment.js'
import { nextEvent } from '../../helpers/client.js'

describe('samples/node/environment: the SDK’s environment in Node', function () {
  this.timeout(20000)

  it('gives ws, wrtc and synthetic devices: getUserMedia makes live wrtc tracks, enumerateDevices lists one device of each kind', async () => {
    const environment = nodeEnvironment()
    try {
      const stream = await environment.mediaDevices.getUserMedia({ audio: true, video: { width: 640 } })
      const tracks = stream.getTracks()
      expect(tracks.map((track) => [track.kind, track.readyState])).to.deep.equal([['audio', 'live'], ['video', 'live']])
      expect(tracks.every((track) => environment.media.local(track.id)?.track === track)).to.equal(true)
      expect(stream).to.be.instanceOf(environment.MediaStream)
      const devices = await environment.mediaDevices.enumerateDevices()
      expect(devices.map((device) => device.kind)).to.deep.equal(['audioinput', 'videoinput', 'audiooutput'])

      tracks[0]!.stop()
      expect(environment.media.locals().map((entry) => entry.kind)).to.deep.equal(['video'])
      let refused: unknown
      await environment.mediaDevices.getUserMedia({}).catch((error: unknown) => (refused = error))
      expect(refused).to.be.instanceOf(TypeError)
    } finally {
      environment.media.dispose()
    }
    expect(environment.media.locals()).to.deep.equal([])
  })

  it('create(config, nodeEnvironment()) lists the synthetic devices in media.getDevices()', async () => {
    const environment = nodeEnvironment()
    const client = create({ logs: { logLevel: 'silent' } }, environment)
    try {
      if (client.media.getDevices().microphone.length === 0) await nextEvent(client, 'devices:change')
      expect(client.media.getDevices().microphone.map((device) => device.label)).to.deep.equal(['Synthetic microphone'])
      expect(client.media.getDevices().camera.map((device) => device.label)).to.deep.equal(['Synthetic camera'])
    } finally {
      client.dispose()
      environment.media.dispose()
    }
  })

  it('with `ca`, fetch trusts a platform’s self-signed certificate that plain fetch refuses', async () => {
    const tls = await selfSignedCertificate('127.0.0.1')
    const platform = await startPlatform({ port: 0, tls, log: () => undefined })
    try {
      const environment = nodeEnvironment({ ca: tls.cert })
      const body = new URLSearchParams({ grant_type: 'password', client_id: 'spec', username: 'alice@example.com', password: 'password', scope: 'openid' })
      const response = await environment.fetch!(`${platform.url}/cpaas/auth/v1/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body })
      expect(response.status).to.equal(200)
      expect(((await response.json()) as { token_type: string }).token_type).to.equal('Bearer')
      let refused: unknown
      await fetch(`${platform.url}/cpaas/auth/v1/token`, { method: 'POST', body }).catch((error: unknown) => (refused = error))
      expect(refused).to.be.instanceOf(Error)
      expect(nodeEnvironment().fetch, 'no fetch override without ca').to.equal(undefined)
    } finally {
      await platform.stop()
    }
  })
})
