import { expect } from 'chai'
import { create } from '../../../lib/index.js'
import { nodeEnvironment } from '../../../testing/index.js'
import { nextEvent } from '../../helpers/client.js'

describe('media namespace (lib/api/media.ts)', () => {
  it('getDevices hands out copies: what an app does to them leaves the devices the SDK knows as they were', async () => {
    const environment = nodeEnvironment()
    const client = create({ logs: { logLevel: 'silent' } }, environment)
    try {
      if (client.media.getDevices().microphone.length === 0) await nextEvent(client, 'devices:change')
      const known = client.media.getDevices()
      // What a JavaScript app may do (the types are readonly).
      const got = client.media.getDevices() as unknown as { microphone: Array<{ label: string }>; camera: unknown[]; speaker: unknown[] }
      got.microphone[0]!.label = 'changed by the app'
      got.camera.length = 0
      got.speaker.push({ deviceId: 'made up' })
      expect(client.media.getDevices()).to.deep.equal(known)
      expect(client.media.getDevices().microphone.map((device) => device.label)).to.deep.equal(['Synthetic microphone'])
    } finally {
      client.dispose()
      environment.media.dispose()
    }
  })
})
