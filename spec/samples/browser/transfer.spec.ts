import { expect } from 'chai'
import type { Locator, Page } from 'playwright-core'
import { openEach, screenshot, useSample, waitForText, type SamplePage } from './sample.js'

const callCard = (sample: SamplePage, name: string): Locator => sample.page.getByRole('article', { name, exact: true })

/** Dials `to` from the dial form and has `callee` answer from the incoming-call prompt; resolves once both are connected. */
async function connect(caller: SamplePage, callerName: string, callee: SamplePage, to: string, calleeName: string, video: boolean): Promise<void> {
  await caller.page.getByLabel('Call a user or a phone number').fill(to)
  await caller.page.getByRole('button', { name: video ? 'Video call' : 'Audio call', exact: true }).click()
  await callee.page
    .getByRole('group', { name: `${callerName} is calling` })
    .getByRole('button', { name: video ? 'Answer with video' : 'Answer audio only' })
    .click()
  await waitForText(callCard(caller, calleeName).getByRole('status'), 'Connected')
  await waitForText(callCard(callee, callerName).getByRole('status'), 'Connected')
}

/** Holds the call with `name` from its card; resolves once the card says so. */
async function hold(sample: SamplePage, name: string): Promise<void> {
  await callCard(sample, name).getByRole('button', { name: 'Hold call' }).click()
  await waitForText(callCard(sample, name).getByRole('status'), 'On hold')
}

/** The remote video of the page's (only) call card moves on. */
async function remoteVideoAdvances(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const video = document.querySelector<HTMLVideoElement>('.call-card .remote-media video')
    return video !== null && video.readyState >= 2 && video.videoWidth > 0
  }, undefined, { timeout: 20000 })
  const start = await page.evaluate(() => document.querySelector<HTMLVideoElement>('.call-card .remote-media video')!.currentTime)
  await page.waitForFunction((from) => document.querySelector<HTMLVideoElement>('.call-card .remote-media video')!.currentTime > from + 0.2, start, { timeout: 10000 })
}

describe('browser sample: transfer and join with three people (Chromium, through the UI)', function () {
  this.timeout(120000)
  const sample = useSample()

  it('transfers: Alice holds Bob, calls and holds Carol, transfers; Bob and Carol are connected and see each other', async () => {
    const [alice, bob, carol] = await openEach(sample(), 'alice@example.com', 'bob@example.com', 'carol@example.com')

    await connect(alice, 'Alice Archer', bob, 'bob@example.com', 'Bob Baker', true)
    const twoCalls = alice.page.getByRole('heading', { name: 'Two calls' })
    expect(await twoCalls.isVisible()).to.equal(false)
    await hold(alice, 'Bob Baker')
    await waitForText(callCard(bob, 'Alice Archer').getByRole('status'), 'Held by the other side')
    await connect(alice, 'Alice Archer', carol, 'carol@example.com', 'Carol Carter', true)

    // Two calls: transfer and join wait until both are held.
    await twoCalls.waitFor()
    const transfer = alice.page.getByRole('button', { name: 'Transfer', exact: true })
    expect(await transfer.isDisabled()).to.equal(true)
    await hold(alice, 'Carol Carter')
    await waitForText(alice.page.locator('#two-calls-help'), 'Transfer connects Bob Baker with Carol Carter')
    await screenshot(alice, 'transfer-alice-two-held')
    await transfer.click()

    await waitForText(callCard(alice, 'Bob Baker').getByRole('status'), 'Transferred')
    await waitForText(callCard(alice, 'Carol Carter').getByRole('status'), 'Transferred')
    await callCard(alice, 'Bob Baker').waitFor({ state: 'detached' })
    await callCard(alice, 'Carol Carter').waitFor({ state: 'detached' })

    // Bob's and Carol's calls go on, off hold, now with each other: video flows both ways.
    await waitForText(bob.page.locator('.call-card').getByRole('status'), 'Connected')
    await waitForText(carol.page.locator('.call-card').getByRole('status'), 'Connected')
    await remoteVideoAdvances(bob.page)
    await remoteVideoAdvances(carol.page)
    await screenshot(bob, 'transfer-bob-with-carol')
    await bob.page.getByRole('button', { name: 'End call' }).click()
    await waitForText(carol.page.locator('.call-card').getByRole('status'), 'Call ended')
    expect(alice.errors.concat(bob.errors, carol.errors)).to.deep.equal([])
  })

  it('joins: Alice holds Bob and Carol, joins them into one audio call that all three share, then hangs up for everyone', async () => {
    const [alice, bob, carol] = await openEach(sample(), 'alice@example.com', 'bob@example.com', 'carol@example.com')

    await connect(alice, 'Alice Archer', bob, 'bob@example.com', 'Bob Baker', false)
    await hold(alice, 'Bob Baker')
    await connect(alice, 'Alice Archer', carol, 'carol@example.com', 'Carol Carter', false)
    await hold(alice, 'Carol Carter')
    await alice.page.getByRole('button', { name: 'Join', exact: true }).click()

    const joined = callCard(alice, 'Bob Baker and Carol Carter')
    await waitForText(joined.getByRole('status'), 'Connected')
    await waitForText(alice.page.locator('#announce-polite'), 'Calls joined: Bob Baker and Carol Carter')
    await waitForText(callCard(alice, 'Bob Baker').getByRole('status'), 'Joined into one call')
    await callCard(alice, 'Bob Baker').waitFor({ state: 'detached' })
    await callCard(alice, 'Carol Carter').waitFor({ state: 'detached' })
    // Bob and Carol are off hold; Alice's joined call plays both of them.
    await waitForText(bob.page.locator('.call-card').getByRole('status'), 'Connected')
    await waitForText(carol.page.locator('.call-card').getByRole('status'), 'Connected')
    expect(await joined.locator('.remote-media audio').count()).to.equal(2)
    expect(await joined.getByRole('button', { name: 'Mute microphone' }).isEnabled()).to.equal(true)
    await screenshot(alice, 'join-alice')

    await joined.getByRole('button', { name: 'End call' }).click()
    await waitForText(bob.page.locator('.call-card').getByRole('status'), 'Call ended')
    await waitForText(carol.page.locator('.call-card').getByRole('status'), 'Call ended')
    expect(alice.errors.concat(bob.errors, carol.errors)).to.deep.equal([])
  })
})
