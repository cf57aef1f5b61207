import { expect } from 'chai'
import { addContact, contactRow, dial, signIn, useSample, waitForText } from './sample.js'

describe('browser sample: signing out, in and reloading (Chromium, through the UI)', function () {
  this.timeout(90000)
  const sample = useSample()

  it('signs out and in as someone else in the same tab: nothing of the first user is left, not even what they typed', async () => {
    const alice = await sample().open('alice@example.com')
    const bob = await sample().open('bob@example.com')
    const { page } = alice
    await addContact(alice, 'Bob', 'Bob Baker')

    // Alice chats with Bob, is invited to a group and is called; she types a message she does not send and a wrong number.
    await contactRow(alice, 'Bob Baker').getByRole('button', { name: 'Message Bob Baker' }).click()
    const input = page.getByRole('textbox', { name: 'Message', exact: true })
    await input.fill('Hello Bob')
    await input.press('Enter')
    await input.fill('Bob, my PIN is 4711')
    await addContact(bob, 'Alice', 'Alice Archer')
    await bob.page.getByText('New group').click()
    await bob.page.getByLabel('Group name').fill('Secret plans')
    await bob.page.getByRole('group', { name: 'Invite' }).getByLabel('Alice Archer').check()
    await bob.page.getByRole('button', { name: 'Create group' }).click()
    await page.getByRole('button', { name: 'Accept the invitation to Secret plans' }).waitFor()
    await dial(alice, 'call me maybe', 'Audio call')
    await waitForText(page.locator('#dial-error'), 'is neither a user ID')
    await dial(bob, 'alice@example.com', 'Audio call')
    await page.getByRole('group', { name: 'Bob Baker is calling' }).waitFor()

    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByLabel('User', { exact: true }).waitFor()
    await signIn({ ...alice, userId: 'carol@example.com' })
    await waitForText(page.locator('#me'), 'Carol Carter')

    // Carol's page: her (empty) lists, no call, and none of Alice's text in the fields.
    await waitForText(page.locator('#contacts-empty'), 'No contacts yet.')
    expect(await page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').count()).to.equal(0)
    expect(await page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').count()).to.equal(0)
    expect(await page.locator('#invitations').isVisible()).to.equal(false)
    expect(await page.locator('.call-card, .incoming-call').count()).to.equal(0)
    // The message field is hidden until a conversation opens, and would then show it.
    expect(await page.locator('#message-input').inputValue()).to.equal('')
    expect(await page.getByLabel('Call a user or a phone number').inputValue()).to.equal('')
    expect(await page.locator('#dial-error').isVisible()).to.equal(false)
    expect(await page.getByLabel('Call a user or a phone number').getAttribute('aria-invalid')).to.equal(null)
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('ends a call for the other side at once when the page is reloaded during it', async () => {
    const alice = await sample().open('alice@example.com')
    const bob = await sample().open('bob@example.com')
    await dial(bob, 'alice@example.com', 'Audio call')
    await alice.page.getByRole('group', { name: 'Bob Baker is calling' }).getByRole('button', { name: 'Answer audio only' }).click()
    const aliceCall = alice.page.getByRole('article', { name: 'Bob Baker' })
    await waitForText(aliceCall.getByRole('status'), 'Connected')
    await waitForText(bob.page.getByRole('article', { name: 'Alice Archer' }).getByRole('status'), 'Connected')

    // Without a hang-up the platform would keep Alice's call up until Bob's page missed its audits (2 minutes).
    await bob.page.reload()
    await waitForText(aliceCall.getByRole('status'), 'Call ended by Bob Baker', 10000)
    expect(alice.errors).to.deep.equal([])
  })

  it('leaves a call that rings in two tabs of the same user ringing in the other when one tab closes', async () => {
    const alice = await sample().open('alice@example.com')
    const aliceAgain = await sample().open('alice@example.com')
    const bob = await sample().open('bob@example.com')
    await dial(bob, 'alice@example.com', 'Audio call')
    await alice.page.getByRole('group', { name: 'Bob Baker is calling' }).waitFor()
    const prompt = aliceAgain.page.getByRole('group', { name: 'Bob Baker is calling' })
    await prompt.waitFor()

    await alice.page.close()
    await prompt.getByRole('button', { name: 'Answer audio only' }).click()
    await waitForText(aliceAgain.page.getByRole('article', { name: 'Bob Baker' }).getByRole('status'), 'Connected')
    await waitForText(bob.page.getByRole('article', { name: 'Alice Archer' }).getByRole('status'), 'Connected')
    expect(aliceAgain.errors.concat(bob.errors)).to.deep.equal([])
  })
})
