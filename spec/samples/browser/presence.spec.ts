import { expect } from 'chai'
import { addContact, contactRow, desktopAndPhone, screenshot, show, signIn, useSample, waitForText } from './sample.js'

describe('browser sample: signing in, contacts and presence (Chromium, through the UI)', function () {
  this.timeout(90000)
  const sample = useSample()

  it('two users sign in, add each other from the directory and see each other’s presence change', async () => {
    const { alice, bob } = await desktopAndPhone(sample())

    // The header shows who is signed in and their status, published as Available at sign-in.
    expect(await alice.page.locator('#me').textContent()).to.equal('Alice Archer')
    expect(await alice.page.getByLabel('My status').inputValue()).to.equal('available')

    await addContact(alice, 'Bob', 'Bob Baker')
    await addContact(bob, 'alice@example.com', 'Alice Archer')
    await waitForText(contactRow(alice, 'Bob Baker'), 'Available')
    await waitForText(contactRow(bob, 'Alice Archer'), 'Available')

    // Bob becomes busy; Alice appears offline: each sees the other's change live.
    await bob.page.getByLabel('My status').selectOption({ label: 'Busy' })
    await waitForText(contactRow(alice, 'Bob Baker'), 'Busy')
    await alice.page.getByLabel('My status').selectOption({ label: 'Appear offline' })
    await waitForText(contactRow(bob, 'Alice Archer'), 'Offline')
    await alice.page.getByLabel('My status').selectOption({ label: 'On the phone' })
    await waitForText(contactRow(bob, 'Alice Archer'), 'On the phone')
    expect(await contactRow(bob, 'Alice Archer').getAttribute('data-presence')).to.equal('busy')

    // Contacts persist on the platform: Bob signs out (Alice sees him go offline) and back in.
    await bob.page.getByRole('button', { name: 'Log out' }).click()
    await waitForText(contactRow(alice, 'Bob Baker'), 'Offline')
    await bob.page.getByLabel('User', { exact: true }).waitFor()
    await signIn(bob)
    await show(bob, 'People')
    await waitForText(contactRow(bob, 'Alice Archer'), 'On the phone')
    await waitForText(contactRow(alice, 'Bob Baker'), 'Available')

    await screenshot(alice, 'presence-alice-desktop')
    await screenshot(bob, 'presence-bob-375')
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('logs the connection dropping and coming back in the event log, and keeps working after it', async () => {
    const alice = await sample().open('alice@example.com')
    const bob = await sample().open('bob@example.com')
    await addContact(alice, 'Bob', 'Bob Baker')
    const { page } = alice
    await page.getByText('Event log').click()
    await page.getByLabel('Filter events by name').fill('ws:change')
    const socketEvents = page.getByRole('list', { name: 'SDK events, oldest first' }).getByRole('listitem')
    const before = await socketEvents.count()
    expect(before).to.be.greaterThan(0)
    expect(await page.getByRole('list', { name: 'SDK events, oldest first' }).getByText('presence:selfChange').isVisible()).to.equal(false)

    // The platform cuts Alice's socket: the SDK reconnects (ws:change: lost, connecting, open).
    await sample().platform.admin.dropSockets({ userId: 'alice@example.com', code: 4000 })
    await page.waitForFunction((count) => document.querySelectorAll('#event-list li:not([hidden])').length >= count + 2, before)
    await waitForText(page.locator('#connection-status'), 'Online')
    // Notifications reach Alice again over the new socket.
    await bob.page.getByLabel('My status').selectOption({ label: 'Busy' })
    await waitForText(contactRow(alice, 'Bob Baker'), 'Busy')
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('refuses a wrong password with a message, and signs in with the keyboard alone', async () => {
    const carol = await sample().open('carol@example.com', { signIn: false })
    const { page } = carol
    // Tab order: skip link, user, password, sign-in button.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Skip to content')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('login-user')
    await page.keyboard.type('carol@example.com')
    await page.keyboard.press('Tab')
    await page.keyboard.type('not her password')
    await page.keyboard.press('Enter')
    await waitForText(page.getByRole('alert'), 'Wrong user or password.')
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('login-password')
    await screenshot(carol, 'login-error')

    await page.keyboard.press('ControlOrMeta+a')
    await page.keyboard.type('password')
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: 'Log out' }).waitFor()
    await waitForText(page.locator('#connection-status'), 'Online')
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).to.equal(0)
    // The only error is the browser's note of the refused token request.
    expect(carol.errors.filter((error) => !/status of 401/.test(error))).to.deep.equal([])
  })

  it('says which services could not be subscribed, and names those that were in the connection status', async () => {
    const dave = await sample().open('dave@example.com', { signIn: false })
    // The presence service needs the user's presence lists; the platform refuses to list them.
    await sample().platform.admin.fail({ prefix: '/cpaas/presence/v1/dave@example.com/presenceLists', count: 10, status: 503 })
    await signIn(dave)
    await waitForText(dave.page.getByRole('alert').filter({ hasText: 'Could not subscribe' }), 'Could not subscribe to presence: those updates will not arrive.')
    expect(await dave.page.locator('#connection-status').getAttribute('title')).to.equal('Subscribed: call, chat, smsinbound')
  })
})

describe('browser sample over https (the platform with --tls)', function () {
  this.timeout(60000)
  const sample = useSample({ tls: true })

  it('takes the platform address from the page: signs in, subscribes over wss and chats', async () => {
    const alice = await sample().open('alice@example.com')
    const bob = await sample().open('bob@example.com')
    expect(sample().platform.url).to.match(/^https:/)
    expect(await alice.page.evaluate(() => location.protocol)).to.equal('https:')
    await addContact(alice, 'Bob', 'Bob Baker')
    await waitForText(contactRow(alice, 'Bob Baker'), 'Available')
    await contactRow(alice, 'Bob Baker').getByRole('button', { name: 'Message Bob Baker' }).click()
    await alice.page.getByRole('textbox', { name: 'Message', exact: true }).fill('Over TLS')
    await alice.page.getByRole('textbox', { name: 'Message', exact: true }).press('Enter')
    await waitForText(bob.page.locator('#announce-polite'), 'New message from Alice Archer: Over TLS')
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })
})
