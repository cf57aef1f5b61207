import { expect } from 'chai'
import type { Page } from 'playwright-core'
import { addContact, contactRow, dial, screenshot, show, signIn, useSample, waitForText, type SamplePage } from './sample.js'

/** Controls (and images) exposed to assistive technology without a name, from Chromium's accessibility tree as Playwright reads it. */
async function unnamed(page: Page): Promise<string[]> {
  const tree = await page.locator('body').ariaSnapshot()
  return tree.split('\n').filter((line) => /^\s*- (button|textbox|searchbox|combobox|checkbox|radio|link|img|slider|spinbutton|switch|tab)(\s*\[[^\]]*\])*:?\s*$/.test(line))
}

/**
 * Visible text whose contrast with its background is below WCAG AA (4.5:1, or 3:1 for large
 * text), computed from the styles of each element that holds text. Disabled controls are exempt;
 * text over images or gradients (no solid background behind it) is skipped.
 */
async function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Rgba = [number, number, number, number]
    const parse = (color: string): Rgba => {
      const parts = color.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0]
      return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1]
    }
    const over = (top: Rgba, bottom: Rgba): Rgba => {
      const alpha = top[3] + bottom[3] * (1 - top[3])
      if (alpha === 0) return [0, 0, 0, 0]
      const mix = (i: number) => (top[i]! * top[3] + bottom[i]! * bottom[3] * (1 - top[3])) / alpha
      return [mix(0), mix(1), mix(2), alpha]
    }
    const luminance = ([r, g, b]: Rgba): number => {
      const channel = (value: number) => {
        const c = value / 255
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
      }
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }
    /** The solid colour behind an element, or undefined when an image or gradient is in the way. */
    const background = (element: Element): Rgba | undefined => {
      const layers: Rgba[] = []
      for (let node: Element | null = element; node !== null; node = node.parentElement) {
        const style = getComputedStyle(node)
        if (style.backgroundImage !== 'none') return undefined
        const color = parse(style.backgroundColor)
        if (color[3] > 0) layers.push(color)
        if (color[3] === 1) break
      }
      return layers.reduceRight<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1])
    }
    const failures: string[] = []
    for (const element of document.querySelectorAll('body *')) {
      const ownText = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== '')
      if (!ownText || !element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue
      const box = element.getBoundingClientRect()
      if (box.width <= 1 || box.height <= 1) continue
      if (element.closest('button:disabled, option, .visually-hidden, video, audio') !== null) continue
      const style = getComputedStyle(element)
      const behind = background(element)
      if (behind === undefined) continue
      const text = over(parse(style.color), behind)
      const [light, dark] = [luminance(text), luminance(behind)].sort((a, b) => b - a) as [number, number]
      const ratio = (light + 0.05) / (dark + 0.05)
      const size = parseFloat(style.fontSize)
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700)
      if (ratio < (large ? 3 : 4.5)) failures.push(`${element.tagName.toLowerCase()}.${element.className} "${element.textContent?.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`)
    }
    return failures
  })
}

/** Buttons, links and fields smaller than 24×24 CSS pixels (WCAG 2.2 target size, minimum). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('button, a[href], input:not([type=checkbox]):not([type=file]), select, summary')]
      .filter((element) => element.checkVisibility() && !element.closest('.visually-hidden, .skip-link'))
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 1 && (box.width < 24 || box.height < 24))
      .map(({ element, box }) => `${element.tagName.toLowerCase()} "${element.getAttribute('aria-label') ?? element.textContent?.trim()}" ${box.width}×${box.height}`),
  )
}

/** Every accessibility fact this spec checks, for the page as it is now. */
async function audit(sample: SamplePage): Promise<{ unnamed: string[]; contrast: string[]; small: string[]; images: number; landmarks: string }> {
  const { page } = sample
  return {
    unnamed: await unnamed(page),
    contrast: await lowContrast(page),
    small: await smallTargets(page),
    images: await page.locator('img:not([alt])').count(),
    landmarks: await page.evaluate(() => `${document.documentElement.lang} main:${document.querySelectorAll('main').length} h1:${[...document.querySelectorAll('h1')].filter((heading) => heading.closest('[hidden]') === null).length}`),
  }
}

const clean = { unnamed: [], contrast: [], small: [], images: 0, landmarks: 'en main:1 h1:1' }

describe('browser sample: accessibility facts (Chromium)', function () {
  this.timeout(120000)
  const sample = useSample()

  it('names every control, keeps text contrast and target sizes, on the sign-in page and in use, at desktop and 375 px', async () => {
    const alice = await sample().open('alice@example.com', { signIn: false })
    const bob = await sample().open('bob@example.com', { phone: true, signIn: false })
    await alice.page.getByText('Users of the local platform').click()
    expect(await audit(alice)).to.deep.equal(clean)
    expect(await audit(bob)).to.deep.equal(clean)
    await signIn(alice)
    await signIn(bob)
    expect(await audit(alice)).to.deep.equal(clean)
    expect(await audit(bob)).to.deep.equal(clean)

    // In use: contacts, search results, a conversation with messages, a call, the event log open.
    await addContact(alice, 'Bob', 'Bob Baker')
    await addContact(bob, 'Alice', 'Alice Archer')
    await contactRow(alice, 'Bob Baker').getByRole('button', { name: 'Message Bob Baker' }).click()
    const input = alice.page.getByRole('textbox', { name: 'Message', exact: true })
    await input.fill('Hello')
    await input.press('Enter')
    await show(bob, 'People')
    await bob.page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /Alice Archer/ }).click()
    await waitForText(bob.page.getByRole('log'), 'Hello')
    await alice.page.getByRole('button', { name: 'Video call Bob Baker' }).first().click()
    await bob.page.getByRole('group', { name: 'Alice Archer is calling' }).waitFor()
    expect(await audit(bob)).to.deep.equal(clean)
    await bob.page.getByRole('button', { name: 'Answer with video' }).click()
    await waitForText(alice.page.getByRole('article', { name: 'Bob Baker' }).getByRole('status'), 'Connected')
    await alice.page.getByRole('button', { name: 'Keypad' }).click()
    await alice.page.getByText('Event log').click()
    await alice.page.getByText('Devices', { exact: true }).click()
    await show(bob, 'Calls')
    expect(await audit(alice)).to.deep.equal(clean)
    expect(await audit(bob)).to.deep.equal(clean)
    await screenshot(alice, 'accessibility-alice-desktop-event-log')
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })

  it('is usable with the keyboard: skip link, Enter sends, focus lands where the work is', async () => {
    const alice = await sample().open('alice@example.com', { signIn: false })
    const bob = await sample().open('bob@example.com')
    const { page } = alice

    // The skip link comes first and jumps to the main content.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Skip to content')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('main')
    await signIn(alice)
    await addContact(alice, 'Bob', 'Bob Baker')

    // Tab to the contact's message button, Enter opens the chat with the focus in the message field.
    const target = contactRow(alice, 'Bob Baker').getByRole('button', { name: 'Message Bob Baker' })
    for (let presses = 0; presses < 40 && !(await target.evaluate((button) => button === document.activeElement)); presses += 1) await page.keyboard.press('Tab')
    expect(await target.evaluate((button) => button === document.activeElement)).to.equal(true)
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('message-input')
    await page.keyboard.type('Typed, then Enter')
    await page.keyboard.press('Enter')
    await waitForText(page.getByRole('log').getByRole('listitem').last(), 'Typed, then Enter')
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).to.equal('')

    // An incoming call can be answered from the keyboard: Tab reaches its buttons.
    await dial(bob, 'alice@example.com', 'Audio call')
    const answer = page.getByRole('button', { name: 'Answer audio only' })
    await answer.waitFor()
    for (let presses = 0; presses < 20 && !(await answer.evaluate((button) => button === document.activeElement)); presses += 1) await page.keyboard.press('Shift+Tab')
    expect(await answer.evaluate((button) => button === document.activeElement)).to.equal(true)
    await page.keyboard.press('Enter')
    await waitForText(page.getByRole('article', { name: 'Bob Baker' }).getByRole('status'), 'Connected')
    // The keypad opens with the focus on its first key; digits typed there are sent.
    await page.getByRole('article', { name: 'Bob Baker' }).getByRole('button', { name: 'Keypad' }).focus()
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).to.equal('Send tone 1')
    await page.keyboard.type('42#')
    await waitForText(page.getByRole('article', { name: 'Bob Baker' }).locator('output'), '42#')
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })
})
