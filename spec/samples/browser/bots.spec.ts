import { expect } from 'chai'
import { busyBot, echoBot, ivrBot, smsLoopbackBot, startBots, typingBot, type BotDefinition, type RunningBots } from '../../../samples/node/bots/index.js'
import { ivrAcknowledgement } from '../../../samples/node/bots/ivr.js'
import { addContact, contactRow, dial, screenshot, useSample, waitForText, type SamplePage } from './sample.js'

describe('browser sample with the bots: one person tries every feature (Chromium, through the UI)', function () {
  this.timeout(90000)
  const sample = useSample()
  let bots: RunningBots | undefined
  afterEach(() => {
    bots?.stop()
    bots = undefined
  })

  /** Starts these bots on the test's platform, then opens the sample signed in as Alice. */
  async function aliceWithBots(...definitions: BotDefinition[]): Promise<SamplePage> {
    const { platform } = sample()
    bots = await startBots({ url: platform.url, accounts: platform.users, bots: definitions })
    return sample().open('alice@example.com')
  }

  it('calls the echo bot and sees their own video come back; chats with the typing bot; texts the SMS loopback number', async () => {
    const alice = await aliceWithBots(echoBot(), typingBot({ typingMs: 600 }), smsLoopbackBot())
    const { page } = alice

    // The echo bot answers and sends Alice's own camera back.
    await dial(alice, 'echo@example.com', 'Video call')
    const card = page.getByRole('article', { name: 'Echo Bot' })
    await waitForText(card.getByRole('status'), 'Connected')
    await page.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>('.call-card .remote-media video')
      return video !== null && video.readyState >= 2 && video.videoWidth > 0
    }, undefined, { timeout: 20000 })
    await screenshot(alice, 'bots-echo-call')
    await card.getByRole('button', { name: 'End call' }).click()
    await waitForText(card.getByRole('status'), 'Call ended')

    // The typing bot shows itself typing, then answers.
    await addContact(alice, 'Typing', 'Typing Bot')
    await contactRow(alice, 'Typing Bot').getByRole('button', { name: 'Message Typing Bot' }).click()
    const input = page.getByRole('textbox', { name: 'Message', exact: true })
    await input.fill('Are you a bot?')
    await input.press('Enter')
    await waitForText(page.locator('#typing'), 'Typing Bot is typing…')
    await waitForText(page.getByRole('log').getByRole('listitem').last(), 'You wrote: Are you a bot?')
    await page.waitForFunction(() => document.querySelector('#typing')?.textContent === '')

    // The SMS loopback number answers every SMS.
    await page.getByText('Text a phone number').click()
    await page.getByLabel('Phone number', { exact: true }).fill('+15551230105')
    await page.getByRole('button', { name: 'Start SMS' }).click()
    await input.fill('ping')
    await input.press('Enter')
    await waitForText(page.getByRole('log').getByRole('listitem').last(), 'Echo: ping')
    await waitForText(page.getByRole('heading', { level: 2 }), 'SMS Loopback')
    expect(await page.getByRole('log').getByRole('listitem').count()).to.equal(2)
    expect(alice.errors).to.deep.equal([])
  })

  it('shows the bots available while they run, and says a call to the busy bot was declined', async () => {
    const alice = await aliceWithBots(busyBot(), echoBot())
    const { page } = alice
    for (const [query, name] of [['Busy', 'Busy Signal'], ['Echo', 'Echo Bot']] as const) {
      await addContact(alice, query, name)
      await waitForText(contactRow(alice, name).locator('.contact-presence'), 'Available')
      expect(await contactRow(alice, name).getAttribute('data-presence')).to.equal('available')
    }

    await dial(alice, 'busy@example.com', 'Audio call')
    const card = page.getByRole('article', { name: 'Busy Signal' })
    await waitForText(card.getByRole('status'), 'Declined')
    await waitForText(page.locator('#announce-polite'), 'Call with Busy Signal ended: Declined')
    expect(alice.errors).to.deep.equal([])
  })

  it('keys digits into the IVR from the call keypad: the bot hears them in-band and confirms them by chat', async function () {
    const alice = await aliceWithBots(ivrBot())
    const { page } = alice
    await dial(alice, 'ivr@example.com', 'Audio call')
    const card = page.getByRole('article', { name: 'IVR Menu' })
    await waitForText(card.getByRole('status'), 'Connected')
    await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /IVR Menu/ }).waitFor()

    // The keypad opens with the focus on its first key; digits typed there go out as one sequence.
    await card.getByRole('button', { name: 'Keypad' }).click()
    await page.keyboard.type('407#')
    await waitForText(card.locator('output'), '407#')
    await waitForText(page.locator('#announce-polite'), `New message from IVR Menu: ${ivrAcknowledgement('407#')}`, 20000)
    await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /IVR Menu/ }).click()
    await waitForText(page.getByRole('log').getByRole('listitem').last(), ivrAcknowledgement('407#'))
    await screenshot(alice, 'bots-ivr-keypad')
    await card.getByRole('button', { name: 'End call' }).click()
    await waitForText(card.getByRole('status'), 'Call ended')
    expect(alice.errors).to.deep.equal([])
  })
})
