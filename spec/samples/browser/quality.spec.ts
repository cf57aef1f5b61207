import { expect } from 'chai'
import type { Locator } from 'playwright-core'
import { dial, signIn, useSample, waitForText, type SamplePage } from './sample.js'

// The browser sample shows each call's media connection state and its live quality warnings.
// A far end that stops sending cannot be made through the UI (its mute still sends silence):
// Bob's page records its peer connections (an init script), and the spec replaces his audio
// sender's track with null, as a broken microphone path would.

const callCard = (sample: SamplePage, name: string): Locator => sample.page.getByRole('article', { name })

/** Opens the sample for `userId` with its RTCPeerConnections recorded in `window.__peers`. */
async function openRecorded(open: (userId: string, options: { signIn: boolean }) => Promise<SamplePage>, userId: string): Promise<SamplePage> {
  const sample = await open(userId, { signIn: false })
  await sample.page.context().addInitScript({
    content: `(() => {
      const Native = window.RTCPeerConnection
      window.__peers = []
      window.RTCPeerConnection = class extends Native { constructor(...args) { super(...args); window.__peers.push(this) } }
    })()`,
  })
  await sample.page.reload()
  await signIn(sample)
  return sample
}

describe('browser sample: media connection state and quality warnings (Chromium, through the UI)', function () {
  this.timeout(120000)
  const sample = useSample()

  it("shows the call's media connection and a warning while nothing arrives from the far end, gone once media arrives again", async () => {
    const alice = await sample().open('alice@example.com')
    const bob = await openRecorded((userId, options) => sample().open(userId, options), 'bob@example.com')

    await dial(alice, 'bob@example.com', 'Audio call')
    const prompt = bob.page.getByRole('group', { name: 'Alice Archer is calling' })
    await prompt.waitFor()
    await prompt.getByRole('button', { name: 'Answer audio only' }).click()
    const aliceCall = callCard(alice, 'Bob Baker')
    await waitForText(aliceCall.getByRole('status'), 'Connected')
    const media = aliceCall.locator('.call-media')
    await waitForText(media, 'Media: connected')
    expect(await media.getAttribute('data-media-state')).to.be.oneOf(['connected', 'completed'])
    // One second later the first sample gives the call a quality figure.
    await waitForText(media, /quality \d\.\d \/ 4\.5/)

    await bob.page.evaluate(async () => {
      const peers = (window as unknown as { __peers: RTCPeerConnection[] }).__peers
      const sender = peers.at(-1)!.getSenders().find((candidate) => candidate.track?.kind === 'audio')!
      ;(window as unknown as { __kept: MediaStreamTrack }).__kept = sender.track!
      await sender.replaceTrack(null)
    })
    const warnings = aliceCall.getByRole('list', { name: 'Call quality warnings' })
    await waitForText(warnings, 'Nothing arriving from the other side', 15000)
    expect(await warnings.getByRole('listitem').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.warning))).to.include('no-inbound-media')

    await bob.page.evaluate(async () => {
      const peers = (window as unknown as { __peers: RTCPeerConnection[] }).__peers
      const sender = peers.at(-1)!.getSenders().find((candidate) => candidate.track === null)!
      await sender.replaceTrack((window as unknown as { __kept: MediaStreamTrack }).__kept)
    })
    await aliceCall.locator('[data-warning="no-inbound-media"]').waitFor({ state: 'detached', timeout: 15000 })
    expect(alice.errors).to.deep.equal([])
  })
})
