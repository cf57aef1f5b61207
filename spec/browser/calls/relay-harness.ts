import { expect } from 'chai'
import { useHarness } from '../harness.js'

/**
 * The harness of a relay-only spec: a platform with coturn, pages configured with its TURN URLs
 * and relay candidates only (`call` adds to that), relay impairments removed after each test.
 * Without coturn the harness cannot start, and every test fails.
 */
export function useRelayHarness(call: Record<string, unknown> = {}) {
  const harness = useHarness({ turn: true })
  let config: Record<string, unknown> = {}
  before(async () => {
    const { turn } = await harness().platform.admin.state()
    expect(turn.running, 'coturn runs').to.equal(true)
    config = { call: { iceServers: turn.urls.map((urls) => ({ urls })), defaultPeerConfig: { iceTransportPolicy: 'relay' }, ...call } }
  })
  afterEach(async () => {
    await harness().platform.admin.media({ blackhole: false, lossPercent: 0, delayMs: 0 })
  })
  return { harness, config: () => config }
}
