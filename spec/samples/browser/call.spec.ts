import { expect } from 'chai'
import type { Locator, Page } from 'playwright-core'
import { desktopAndPhone, dial, screenshot, show, useSample, waitForText, type SamplePage } from './sample.js'

/** The card of the call with `name` in the calls panel. */
const callCard = (sample: SamplePage, name: string): Locator => sample.page.getByRole('article', { name })

/** Waits until the video in `container` of the page's call card plays frames (readyState ≥ 2, a size). */
async function videoPlays(page: Page, container: 'remote' | 'local'): Promise<{ width: number; height: number; readyState: number }> {
  const selector = `.call-card .${container}-media video`
  await page.waitForFunction(
    (wanted) => {
      const video = document.querySelector<HTMLVideoElement>(wanted)
      return video !== null && video.readyState >= 2 && video.videoWidth > 0 && !video.paused
    },
    selector,
    { timeout: 20000 },
  )
  return page.evaluate((wanted) => {
    const video = document.querySelector<HTMLVideoElement>(wanted)!
    return { width: video.videoWidth, height: video.videoHeight, readyState: video.readyState }
  }, selector)
}

/** The current time of the remote video moves on: frames keep arriving. */
async function videoAdvances(page: Page): Promise<void> {
  const before = await page.evaluate(() => document.querySelector<HTMLVideoElement>('.call-card .remote-media video')?.currentTime ?? 0)
  await page.waitForFunction((start) => (document.querySelector<HTMLVideoElement>('.call-card .remote-media video')?.currentTime ?? 0) > start + 0.2, before, { timeout: 10000 })
}

describe('browser sample: calls (Chromium, through the UI)', function () {
  this.timeout(120000)
  const sample = useSample()

  it('places a video call that the callee answers with video: both see remote video, mute, camera, hold, keypad, hang up', async () => {
    const { alice, bob } = await desktopAndPhone(sample())

    // Alice dials Bob by user id from the dial form.
    await dial(alice, 'bob@example.com', 'Video call')
    const aliceCall = callCard(alice, 'Bob Baker')
    await waitForText(aliceCall.getByRole('status'), /Calling…|Ringing…/)

    // Bob is prompted (and told through the assertive live region), and answers with video.
    const prompt = bob.page.getByRole('group', { name: 'Alice Archer is calling' })
    await prompt.waitFor()
    await waitForText(bob.page.locator('#announce-assertive'), 'Incoming video call from Alice Archer')
    await waitForText(prompt, 'Video call')
    await waitForText(aliceCall.getByRole('status'), 'Ringing…')
    await screenshot(bob, 'call-incoming-bob-375')
    await prompt.getByRole('button', { name: 'Answer with video' }).click()
    await prompt.waitFor({ state: 'detached' })

    const bobCall = callCard(bob, 'Alice Archer')
    await waitForText(bobCall.getByRole('status'), 'Connected')
    await waitForText(aliceCall.getByRole('status'), 'Connected')

    // Remote video plays on both pages; the local preview too.
    const bobSees = await videoPlays(bob.page, 'remote')
    const aliceSees = await videoPlays(alice.page, 'remote')
    expect(bobSees.width).to.be.greaterThan(0)
    expect(aliceSees.width).to.be.greaterThan(0)
    await videoPlays(alice.page, 'local')
    await videoAdvances(bob.page)
    expect(await alice.page.locator('.call-card .remote-media audio').count()).to.equal(1)

    // Mute and unmute: the button follows the SDK's media:muted / media:unmuted.
    const mute = aliceCall.getByRole('button', { name: 'Mute microphone' })
    await mute.click()
    await alice.page.waitForFunction(() => document.querySelector('[data-control="mute"]')?.getAttribute('aria-pressed') === 'true')
    await mute.click()
    await alice.page.waitForFunction(() => document.querySelector('[data-control="mute"]')?.getAttribute('aria-pressed') === 'false')

    // Camera off and on.
    const camera = bobCall.getByRole('button', { name: 'Stop video' })
    await camera.click()
    await bob.page.waitForFunction(() => document.querySelector('[data-control="camera"]')?.getAttribute('aria-pressed') === 'true')
    await camera.click()
    await bob.page.waitForFunction(() => document.querySelector('[data-control="camera"]')?.getAttribute('aria-pressed') === 'false')

    // Hold and resume: both sides show it, and video flows again afterwards.
    const hold = aliceCall.getByRole('button', { name: 'Hold call' })
    await hold.click()
    await waitForText(aliceCall.getByRole('status'), 'On hold')
    await waitForText(bobCall.getByRole('status'), 'Held by the other side')
    expect(await hold.getAttribute('aria-pressed')).to.equal('true')
    await hold.click()
    await waitForText(aliceCall.getByRole('status'), 'Connected')
    await waitForText(bobCall.getByRole('status'), 'Connected')
    expect(await hold.getAttribute('aria-pressed')).to.equal('false')
    await videoPlays(bob.page, 'remote')
    await videoAdvances(bob.page)
    await videoAdvances(alice.page)

    // The keypad sends tones (out-of-band here: both pages negotiate telephone-event).
    await aliceCall.getByRole('button', { name: 'Keypad' }).click()
    for (const tone of ['1', '2', '3', '#']) await aliceCall.getByRole('button', { name: `Send tone ${tone}` }).click()
    await waitForText(aliceCall.locator('output'), '123#')

    // The duration runs.
    await alice.page.waitForFunction(() => /^\d+:\d\d$/.test(document.querySelector('.call-timer')?.textContent ?? ''))

    await screenshot(alice, 'call-alice-desktop')
    await screenshot(bob, 'call-bob-375')

    // Bob hangs up; both cards say so, then go; the media elements go with them.
    await bobCall.getByRole('button', { name: 'End call' }).click()
    await waitForText(aliceCall.getByRole('status'), 'Call ended')
    await waitForText(bobCall.getByRole('status'), 'Call ended')
    await aliceCall.waitFor({ state: 'detached' })
    await bobCall.waitFor({ state: 'detached' })
    expect(await alice.page.locator('video, audio').count()).to.equal(0)
    expect(await bob.page.locator('video, audio').count()).to.equal(0)
    await waitForText(alice.page.locator('#calls-empty'), 'No calls in progress.')
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('calls a contact with audio only; the callee declines, and a second call is ignored', async () => {
    const carol = await sample().open('carol@example.com')
    const dave = await sample().open('dave@example.com')

    await dial(carol, 'dave@example.com', 'Audio call')
    const prompt = dave.page.getByRole('group', { name: 'Carol Carter is calling' })
    await waitForText(prompt, 'Audio call')
    await prompt.getByRole('button', { name: 'Decline' }).click()
    await waitForText(callCard(carol, 'Dave Dalton').getByRole('status'), 'Declined')
    await callCard(carol, 'Dave Dalton').waitFor({ state: 'detached' })

    // Ignored: Dave's prompt goes, Carol keeps ringing until she cancels.
    await carol.page.getByRole('button', { name: 'Audio call', exact: true }).click()
    await prompt.getByRole('button', { name: 'Ignore' }).click()
    await prompt.waitFor({ state: 'detached' })
    const ringing = callCard(carol, 'Dave Dalton')
    await waitForText(ringing.getByRole('status'), 'Ringing…')
    await ringing.getByRole('button', { name: 'Cancel call' }).click()
    await waitForText(ringing.getByRole('status'), /Call ended|Cancelled/)
    expect(carol.errors.concat(dave.errors)).to.deep.equal([])
  })

  it("rings with Answer / Reject / Ignore on the callee's card and Cancel on the caller's; letterboxes remote video; takes the video off at once when the call ends", async () => {
    const alice = await sample().open('alice@example.com')
    const bob = await sample().open('bob@example.com')
    await dial(alice, 'bob@example.com', 'Video call')
    const aliceCall = callCard(alice, 'Bob Baker')
    const bobCall = callCard(bob, 'Alice Archer')
    await waitForText(bobCall.getByRole('status'), 'Incoming call')
    await waitForText(aliceCall.getByRole('status'), 'Ringing…')

    // The callee answers, rejects or ignores; only the caller can cancel.
    const visibleButtons = (card: Locator) => card.locator('.call-controls button:visible').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label')))
    expect(await visibleButtons(bobCall)).to.deep.equal(['Answer call', 'Reject call', 'Ignore call'])
    expect(await visibleButtons(aliceCall)).to.include('Cancel call').and.not.include.members(['Answer call', 'Reject call', 'Ignore call'])
    await screenshot(bob, 'call-ringing-card-bob')
    await bobCall.getByRole('button', { name: 'Answer call' }).click()
    await waitForText(bobCall.getByRole('status'), 'Connected')
    expect(await visibleButtons(bobCall)).to.include('End call').and.not.include.members(['Answer call', 'Reject call', 'Ignore call', 'Cancel call'])

    // The card answered with video (a video call): both see the whole remote frame, letterboxed.
    await videoPlays(alice.page, 'remote')
    await videoPlays(bob.page, 'remote')
    await videoPlays(alice.page, 'local')
    for (const { page } of [alice, bob]) expect(await page.locator('.call-card .remote-media video').evaluate((video) => getComputedStyle(video).objectFit)).to.equal('contain')

    // Hang-up: while the card still says so, no video is left on it, and the camera is released.
    await alice.page.evaluate(() => {
      const preview = document.querySelector<HTMLVideoElement>('.call-card .local-media video')
      Object.assign(window, { previewTrack: (preview?.srcObject as MediaStream | null)?.getVideoTracks()[0] })
    })
    await aliceCall.getByRole('button', { name: 'End call' }).click()
    for (const [page, card, text] of [[alice.page, aliceCall, 'Call ended'], [bob.page, bobCall, 'Call ended by Alice Archer']] as const) {
      await waitForText(card.getByRole('status'), text)
      expect(await card.isVisible()).to.equal(true)
      expect(await page.locator('.call-card video, .call-card audio').count()).to.equal(0)
      expect(await page.locator('.stage.has-local-video, .stage.has-remote-video').count()).to.equal(0)
    }
    expect(await alice.page.evaluate(() => (window as unknown as { previewTrack?: MediaStreamTrack }).previewTrack?.readyState)).to.equal('ended')
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('checks what is dialled, and says why a call failed in words: no such user or number, not available; numbers without a domain', async () => {
    const alice = await sample().open('alice@example.com')
    const { page } = alice
    const dial = async (destination: string) => {
      await page.getByLabel('Call a user or a phone number').fill(destination)
      await page.getByRole('button', { name: 'Audio call', exact: true }).click()
    }

    // Neither a user id nor a number: nothing is called, the field says why.
    await dial('call me maybe')
    const problem = page.locator('#dial-error')
    await waitForText(problem, 'is neither a user ID (name@example.com) nor a phone number')
    expect(await problem.getAttribute('role')).to.equal('alert')
    expect(await page.getByLabel('Call a user or a phone number').getAttribute('aria-invalid')).to.equal('true')
    expect(await page.locator('.call-card').count()).to.equal(0)
    // Typing again clears the message.
    await page.getByLabel('Call a user or a phone number').fill('nobody@example.com')
    expect(await problem.isVisible()).to.equal(false)

    // A user the platform does not know.
    await dial('nobody@example.com')
    const nobody = callCard(alice, 'nobody@example.com')
    await waitForText(nobody.getByRole('alert'), 'No user named nobody@example.com.')
    await waitForText(nobody.getByRole('status'), 'Call failed')

    // A number nobody has: shown as dialled, without the platform's domain.
    await dial('+1 (555) 999-0000')
    const unknownNumber = callCard(alice, '+15559990000')
    await waitForText(unknownNumber.getByRole('alert'), 'No one has the number +15559990000.')
    expect(await unknownNumber.getByRole('heading').textContent()).to.equal('+15559990000')

    // Carol's number while she is signed out: her name, and the platform's reason.
    await dial('+15551230003')
    const carol = callCard(alice, 'Carol Carter')
    await waitForText(carol.getByRole('status'), 'Not available')
    await screenshot(alice, 'call-failures-alice')
    expect(await page.locator('.call-card').allTextContents()).to.satisfy((texts: string[]) => texts.every((text) => !text.includes('SVC') && !text.includes('@example.com@') && !/\+\d+@/.test(text)))

    // The SMS form checks its number the same way.
    await page.getByText('Text a phone number').click()
    await page.getByLabel('Phone number', { exact: true }).fill('bob@example.com')
    await page.getByRole('button', { name: 'Start SMS' }).click()
    await waitForText(page.locator('#sms-error'), 'is not a phone number')
    expect(await page.getByLabel('Phone number', { exact: true }).getAttribute('aria-invalid')).to.equal('true')
    await screenshot(alice, 'sms-number-problem-alice')
    // The 404s of the unknown user and number are the platform's answers, logged by Chromium.
    expect(alice.errors.filter((error) => !error.startsWith('Failed to load resource'))).to.deep.equal([])
  })

  it('answers a video call with audio only; lists the devices once media was granted and switches the camera during the call', async () => {
    const alice = await sample().open('alice@example.com')
    const bob = await sample().open('bob@example.com')
    await alice.page.getByText('Devices', { exact: true }).click()
    const camera = alice.page.getByLabel('Camera', { exact: true })
    const microphone = alice.page.getByLabel('Microphone', { exact: true })
    await show(alice, 'Calls')

    await dial(alice, 'bob@example.com', 'Video call')
    await bob.page.getByRole('group', { name: 'Alice Archer is calling' }).getByRole('button', { name: 'Answer audio only' }).click()
    await waitForText(callCard(alice, 'Bob Baker').getByRole('status'), 'Connected')
    // Bob answered with audio only: he sees Alice's video but sends none (no camera button);
    // Alice sees his avatar instead of video.
    await videoPlays(bob.page, 'remote')
    expect(await callCard(bob, 'Alice Archer').getByRole('button', { name: 'Stop video' }).count()).to.equal(0)
    expect(await callCard(alice, 'Bob Baker').getByRole('button', { name: 'Stop video' }).isVisible()).to.equal(true)
    expect(await callCard(alice, 'Bob Baker').locator('.stage-placeholder .avatar').isVisible()).to.equal(true)

    // After getUserMedia the labels of Chromium's fake devices are known (devices:change).
    await alice.page.waitForFunction(() => document.querySelectorAll('#device-camera option').length > 1)
    const cameras = await camera.locator('option').allTextContents()
    expect(cameras[0]).to.equal('System default')
    expect(cameras.slice(1).every((label) => label.length > 0)).to.equal(true)
    expect(await microphone.locator('option').count()).to.be.greaterThan(1)

    // Choosing a camera during the call replaces the video track (call.replaceTrack): the preview
    // shows the new track and Bob keeps receiving video.
    const previewTrack = () => alice.page.evaluate(() => (document.querySelector<HTMLVideoElement>('.call-card .local-media video')?.srcObject as MediaStream | null)?.getVideoTracks()[0]?.id)
    const before = await previewTrack()
    expect(before).to.be.a('string')
    await camera.selectOption({ index: 1 })
    await alice.page.waitForFunction((old) => {
      const video = document.querySelector<HTMLVideoElement>('.call-card .local-media video')
      const track = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0]
      return track !== undefined && track.id !== old && track.readyState === 'live' && video!.readyState >= 2
    }, before)
    await videoAdvances(bob.page)
    await callCard(alice, 'Bob Baker').getByRole('button', { name: 'End call' }).click()
    await callCard(alice, 'Bob Baker').waitFor({ state: 'detached' })
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })
})
