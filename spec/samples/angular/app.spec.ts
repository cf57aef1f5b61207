// The Angular sample (samples/angular/, built by build.mjs into samples/angular/dist/) in real
// Chromium against the local platform, driven through its UI only: two users log in, see each
// other's presence, chat both ways and hold a video call.
import { expect } from 'chai'
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createTestClient, startPlatform, type TestPlatform } from '../../../testing/index.js'
import { launchBrowser } from '../../browser/harness.js'

const artifacts = resolve('spec/artifacts')

/** One user's page of the sample, with the errors it printed. */
interface SamplePage {
  readonly page: Page
  readonly errors: string[]
}

describe('samples/angular: the Observable-native app in Chromium', function () {
  this.timeout(60000)
  let platform: TestPlatform
  let browser: Browser
  const contexts: BrowserContext[] = []

  before(async () => {
    platform = await startPlatform({ staticRoot: resolve('.') })
    browser = await launchBrowser()
  })
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()))
  })
  after(async () => {
    await browser?.close()
    await platform?.stop()
  })

  /** Opens the sample in a fresh browser context (its own user). */
  const open = async (): Promise<SamplePage> => {
    const context = await browser.newContext()
    contexts.push(context)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    await page.goto(`${platform.url}/samples/angular/`)
    return { page, errors }
  }

  /** Logs in through the form, as a person would. */
  const logIn = async (userId: string): Promise<SamplePage> => {
    const opened = await open()
    const { page } = opened
    await page.getByLabel('User').fill(userId)
    await page.getByLabel('Password').fill('password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.locator('header .user', { hasText: userId }).waitFor()
    await page.locator('header .connection[data-connected="true"]').waitFor()
    return opened
  }

  const presenceOf = (page: Page, userId: string) => page.locator(`kx-contacts [data-user="${userId}"] .presence`)

  /** Media plays in a `<video>`: it has frames and its clock moves. */
  const videoPlaying = async (page: Page, selector: string): Promise<{ width: number; advanced: number }> => {
    await page.waitForFunction(
      (target) => {
        const video = document.querySelector<HTMLVideoElement>(target)
        return video !== null && !video.paused && video.readyState >= 2 && video.videoWidth > 0
      },
      selector,
      { timeout: 20000 },
    )
    const before = await page.locator(selector).evaluate((video: HTMLVideoElement) => video.currentTime)
    await page.waitForFunction(({ target, from }) => (document.querySelector<HTMLVideoElement>(target)?.currentTime ?? 0) > from + 0.2, { target: selector, from: before }, { timeout: 10000 })
    return page.locator(selector).evaluate((video: HTMLVideoElement, from: number) => ({ width: video.videoWidth, advanced: video.currentTime - from }), before)
  }

  it('refuses a wrong password with a message and stays on the login form', async () => {
    const { page, errors } = await open()
    await page.getByLabel('User').fill('alice@example.com')
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await expect(await page.getByRole('alert').textContent()).to.be.a('string').and.not.equal('')
    expect(await page.locator('header').count()).to.equal(0)
    expect(await page.getByRole('button', { name: 'Log in' }).isEnabled()).to.equal(true)
    expect(errors.filter((error) => !error.includes('401'))).to.deep.equal([])
  })

  it('two users see each other available, change presence, chat both ways and hold a video call', async () => {
    const alice = await logIn('alice@example.com')
    const bob = await logIn('bob@example.com')

    // Presence: each sees the other available (published at login), then bob turns busy.
    await presenceOf(alice.page, 'bob@example.com').filter({ hasText: 'Available' }).waitFor()
    await presenceOf(bob.page, 'alice@example.com').filter({ hasText: 'Available' }).waitFor()
    expect(await presenceOf(alice.page, 'carol@example.com').textContent()).to.equal('Offline')
    await bob.page.getByLabel('My status').selectOption('Busy')
    await presenceOf(alice.page, 'bob@example.com').filter({ hasText: 'Busy' }).waitFor()

    // Chat: alice writes to bob, bob opens the conversation and answers.
    await alice.page.locator('kx-contacts [data-user="bob@example.com"]').click()
    await alice.page.getByRole('textbox', { name: 'Message' }).fill('Hello Bob <b>not bold</b>')
    await alice.page.getByRole('textbox', { name: 'Message' }).press('Enter')
    await alice.page.locator('.messages li.mine:not(.pending)', { hasText: 'Hello Bob' }).waitFor()
    const unread = bob.page.locator('kx-contacts [data-user="alice@example.com"] .unread')
    await unread.filter({ hasText: '1' }).waitFor()
    await bob.page.locator('kx-contacts [data-user="alice@example.com"]').click()
    await unread.waitFor({ state: 'detached' })
    const received = bob.page.locator('.messages li:not(.mine)', { hasText: 'Hello Bob' })
    await received.waitFor()
    expect(await received.locator('.text').textContent()).to.equal('Hello Bob <b>not bold</b>')
    expect(await bob.page.locator('.messages b').count()).to.equal(0)
    await bob.page.getByRole('textbox', { name: 'Message' }).fill('Hi Alice')
    await bob.page.getByRole('button', { name: 'Send' }).click()
    await alice.page.locator('.messages li:not(.mine)', { hasText: 'Hi Alice' }).waitFor()

    // Call: alice calls bob with video, bob answers, both see and hear the other.
    await alice.page.getByRole('button', { name: 'Video call' }).click()
    await bob.page.locator('.call[data-state="Ringing"]', { hasText: 'Call from' }).waitFor()
    await bob.page.getByRole('button', { name: 'Answer', exact: true }).click()
    await alice.page.locator('.call[data-state="Connected"]').waitFor({ timeout: 20000 })
    await bob.page.locator('.call[data-state="Connected"]').waitFor({ timeout: 20000 })
    const atAlice = await videoPlaying(alice.page, 'video.remote')
    const atBob = await videoPlaying(bob.page, 'video.remote')
    expect(atAlice.width).to.be.greaterThan(0)
    expect(atBob.width).to.be.greaterThan(0)
    expect(await alice.page.locator('video.remote').evaluate((video: HTMLVideoElement) => (video.srcObject as MediaStream).getTracks().map((track) => track.kind).sort())).to.deep.equal([
      'audio',
      'video',
    ])
    await videoPlaying(alice.page, 'video.local')

    mkdirSync(artifacts, { recursive: true })
    await alice.page.screenshot({ path: resolve(artifacts, 'angular-alice-call.png') })
    await bob.page.screenshot({ path: resolve(artifacts, 'angular-bob-call.png') })

    // Bob hangs up: the call leaves both pages.
    await bob.page.getByRole('button', { name: 'End call' }).click()
    await alice.page.locator('.call').waitFor({ state: 'detached', timeout: 15000 })
    await bob.page.locator('.call').waitFor({ state: 'detached', timeout: 15000 })

    expect(alice.errors).to.deep.equal([])
    expect(bob.errors).to.deep.equal([])
  })

  it('names presences in words: "On the phone", a note, "Other activity"', async () => {
    const alice = await logIn('alice@example.com')
    const bob = await logIn('bob@example.com')
    await presenceOf(alice.page, 'bob@example.com').filter({ hasText: 'Available' }).waitFor()
    expect(await bob.page.getByLabel('My status').locator('option').allTextContents()).to.deep.equal(['Available', 'Busy', 'On the phone', 'At lunch', 'On vacation'])
    await bob.page.getByLabel('My status').selectOption('On the phone')
    await presenceOf(alice.page, 'bob@example.com').filter({ hasText: /^On the phone$/ }).waitFor()

    // Carol, on another client, publishes an "other" activity with a note, then without one.
    const carol = await createTestClient(platform, 'carol@example.com', { services: ['presence'] })
    try {
      carol.presence.update('Open', 'ActivitiesOther', 'Out for coffee')
      await presenceOf(alice.page, 'carol@example.com').filter({ hasText: /^Out for coffee$/ }).waitFor()
      carol.presence.update('Open', 'ActivitiesOther')
      await presenceOf(alice.page, 'carol@example.com').filter({ hasText: /^Other activity$/ }).waitFor()
      carol.presence.update('Closed', 'Available')
      await presenceOf(alice.page, 'carol@example.com').filter({ hasText: /^Offline$/ }).waitFor()
    } finally {
      carol.dispose()
    }
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('shows a reply below the message it answers, also one sent within the same second', async () => {
    const alice = await logIn('alice@example.com')
    const bob = await logIn('bob@example.com')
    await alice.page.locator('kx-contacts [data-user="bob@example.com"]').click()
    await alice.page.getByRole('textbox', { name: 'Message' }).fill('Lunch at noon?')
    await alice.page.getByRole('textbox', { name: 'Message' }).press('Enter')
    await bob.page.locator('kx-contacts [data-user="alice@example.com"]').click()
    const received = bob.page.locator('.messages li:not(.mine)', { hasText: 'Lunch at noon?' })
    await received.waitFor()

    // Bob's clock stands at the millisecond Alice's message reached the platform: his reply
    // carries the same second (the SDK stamps a send in whole seconds), as a quick reply does.
    const receivedAt = Date.parse((await received.locator('time').getAttribute('datetime')) ?? '')
    expect(receivedAt).to.be.a('number').and.not.NaN
    await bob.page.clock.setFixedTime(receivedAt)
    await bob.page.getByRole('textbox', { name: 'Message' }).fill('Yes, see you there')
    await bob.page.getByRole('textbox', { name: 'Message' }).press('Enter')
    await bob.page.locator('.messages li.mine:not(.pending)', { hasText: 'Yes, see you there' }).waitFor()
    // (The platform is shared by this file's tests: earlier messages come first.)
    const lastTwo = async (page: Page) => (await page.locator('.messages li .text').allTextContents()).slice(-2)
    expect(await lastTwo(bob.page)).to.deep.equal(['Lunch at noon?', 'Yes, see you there'])
    await alice.page.locator('.messages li:not(.mine)', { hasText: 'Yes, see you there' }).waitFor()
    expect(await lastTwo(alice.page)).to.deep.equal(['Lunch at noon?', 'Yes, see you there'])
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })
})
