import { expect } from 'chai'
import type { Locator } from 'playwright-core'
import { addContact, contactRow, desktopAndPhone, png, screenshot, show, useSample, waitForText, type SamplePage } from './sample.js'

/** The messages of the open conversation. */
const messages = (sample: SamplePage): Locator => sample.page.getByRole('log').getByRole('listitem')

/** Opens the conversation called `title` from the conversation list. */
async function openConversation(sample: SamplePage, title: string): Promise<void> {
  await show(sample, 'People')
  await sample.page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(title) }).click()
  await waitForText(sample.page.getByRole('heading', { level: 2, name: title }), title)
}

describe('browser sample: chat (Chromium, through the UI)', function () {
  this.timeout(90000)
  const sample = useSample()

  it('chats both ways with a typing indicator, sends an image that both sides render, and shows markup as text', async () => {
    const { alice, bob } = await desktopAndPhone(sample())
    await addContact(alice, 'Bob', 'Bob Baker')

    // Alice opens the chat from her contact list; Enter sends.
    await contactRow(alice, 'Bob Baker').getByRole('button', { name: 'Message Bob Baker' }).click()
    const aliceInput = alice.page.getByRole('textbox', { name: 'Message', exact: true })
    expect(await aliceInput.evaluate((input) => input === document.activeElement)).to.equal(true)
    await aliceInput.pressSequentially('Hello Bob')
    await aliceInput.press('Enter')
    await waitForText(messages(alice).last(), 'Hello Bob')
    await waitForText(messages(alice).last(), 'Sent')

    // Bob is told, then opens the conversation (named from the directory) and sees the message.
    await waitForText(bob.page.locator('#announce-polite'), 'New message from Alice Archer: Hello Bob')
    await openConversation(bob, 'Alice Archer')
    await waitForText(messages(bob).last(), 'Hello Bob')

    // Bob types: Alice sees the typing indicator; Bob sends: it goes away.
    const bobInput = bob.page.getByRole('textbox', { name: 'Message', exact: true })
    await bobInput.pressSequentially('Hi Alice, how are you?')
    await waitForText(alice.page.locator('#typing'), 'Bob Baker is typing…')
    await bobInput.press('Enter')
    await waitForText(messages(alice).last(), 'Hi Alice, how are you?')
    await alice.page.waitForFunction(() => document.querySelector('#typing')?.textContent === '')
    expect(await messages(alice).count()).to.equal(2)
    expect(await messages(alice).last().getAttribute('class')).to.contain('theirs')

    // Alice attaches an image (a 48×32 PNG) with a caption; both pages render it.
    await alice.page.getByLabel('Attach an image').setInputFiles({ name: 'orange.png', mimeType: 'image/png', buffer: png(48, 32, [240, 120, 20]) })
    await waitForText(alice.page.locator('#attachment-name'), 'orange.png')
    await aliceInput.fill('An orange rectangle')
    await aliceInput.press('Enter')
    const bobImage = messages(bob).last().getByRole('img', { name: 'Image: orange.png' })
    await bobImage.waitFor()
    await bob.page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.message-image')].some((image) => image.complete && image.naturalWidth > 0))
    expect(await bobImage.evaluate((image: HTMLImageElement) => [image.naturalWidth, image.naturalHeight])).to.deep.equal([48, 32])
    await waitForText(messages(bob).last(), 'An orange rectangle')
    const aliceImage = messages(alice).last().getByRole('img', { name: 'Image: orange.png' })
    await aliceImage.waitFor()
    await alice.page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.message-image')].some((image) => image.complete && image.naturalWidth === 48))

    // Markup in a message is text: shown as typed, never parsed.
    const markup = '<img src=x onerror="window.__pwned = 1"><b>bold?</b>'
    await aliceInput.fill(markup)
    await aliceInput.press('Enter')
    await waitForText(messages(bob).last(), 'bold?')
    expect(await messages(bob).last().locator('.text').textContent()).to.equal(markup)
    expect(await bob.page.locator('.message-list img[src="x"], .message-list b').count()).to.equal(0)
    expect(await bob.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).to.equal(undefined)
    expect(await alice.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).to.equal(undefined)

    await screenshot(alice, 'chat-alice-desktop')
    await screenshot(bob, 'chat-bob-375')
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('creates a group, whose invitee accepts it, chats and leaves; declines another invitation', async () => {
    const carol = await sample().open('carol@example.com')
    const dave = await sample().open('dave@example.com', { phone: true })
    await addContact(carol, 'Dave', 'Dave Dalton')

    const createGroup = async (name: string): Promise<void> => {
      await carol.page.getByText('New group').click()
      await carol.page.getByLabel('Group name').fill(name)
      await carol.page.getByRole('group', { name: 'Invite' }).getByLabel('Dave Dalton').check()
      await carol.page.getByRole('button', { name: 'Create group' }).click()
    }
    await createGroup('Weekend plans')
    await waitForText(carol.page.getByRole('heading', { level: 2, name: 'Weekend plans' }), 'Weekend plans')
    await waitForText(carol.page.locator('#chat-subtitle'), 'Dave Dalton (invited)')

    // Dave gets the invitation, accepts it, and lands in the group conversation.
    await waitForText(dave.page.locator('#announce-polite'), 'You are invited to the group Weekend plans')
    await show(dave, 'People')
    await dave.page.getByRole('button', { name: 'Accept the invitation to Weekend plans' }).click()
    await waitForText(dave.page.getByRole('heading', { level: 2, name: 'Weekend plans' }), 'Weekend plans')

    const daveInput = dave.page.getByRole('textbox', { name: 'Message', exact: true })
    await daveInput.fill('Count me in')
    await daveInput.press('Enter')
    await waitForText(messages(carol).last(), 'Count me in')
    await waitForText(messages(carol).last().locator('.sender'), 'Dave Dalton')
    await waitForText(carol.page.locator('#chat-subtitle'), 'Dave Dalton')
    const carolInput = carol.page.getByRole('textbox', { name: 'Message', exact: true })
    await carolInput.fill('Great, see you Saturday')
    await carolInput.press('Enter')
    await waitForText(messages(dave).last(), 'Great, see you Saturday')

    // Dave leaves: the group leaves his list, and Carol's member list shows it.
    await dave.page.getByRole('button', { name: 'Leave group' }).click()
    await dave.page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /Weekend plans/ }).waitFor({ state: 'detached' })
    await carol.page.waitForFunction(() => !/Dave Dalton/.test(document.querySelector('#chat-subtitle')?.textContent ?? ''))

    // A second invitation, declined: it leaves the list and no conversation appears.
    await createGroup('Budget review')
    await show(dave, 'People')
    await dave.page.getByRole('button', { name: 'Decline the invitation to Budget review' }).click()
    await dave.page.getByRole('button', { name: 'Decline the invitation to Budget review' }).waitFor({ state: 'detached' })
    expect(await dave.page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /Budget review/ }).count()).to.equal(0)

    await screenshot(carol, 'group-carol-desktop')
    expect(carol.errors.concat(dave.errors)).to.deep.equal([])
  })

  it('texts a phone number over SMS and gets the reply in the same conversation', async () => {
    const alice = await sample().open('alice@example.com')
    const bob = await sample().open('bob@example.com')
    await alice.page.getByText('Text a phone number').click()
    await alice.page.getByLabel('Phone number', { exact: true }).fill('+1 555 123 0002')
    await alice.page.getByRole('button', { name: 'Start SMS' }).click()
    await waitForText(alice.page.locator('#chat-subtitle'), 'SMS with +15551230002')
    expect(await alice.page.getByLabel('Attach an image').isVisible()).to.equal(false)
    const aliceInput = alice.page.getByRole('textbox', { name: 'Message', exact: true })
    await aliceInput.fill('Are you free for lunch?')
    await aliceInput.press('Enter')

    // Bob's number receives it from Alice's number; he replies in the SMS conversation.
    await openConversation(bob, 'Alice Archer')
    await waitForText(bob.page.locator('#chat-subtitle'), 'SMS with +15551230001')
    await waitForText(messages(bob).last(), 'Are you free for lunch?')
    const bobInput = bob.page.getByRole('textbox', { name: 'Message', exact: true })
    await bobInput.fill('Yes, noon works')
    await bobInput.press('Enter')
    await waitForText(messages(alice).last(), 'Yes, noon works')
    expect(await messages(alice).count()).to.equal(2)
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })
})
