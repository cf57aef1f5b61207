// Small DOM helpers. Text always goes in as text (textContent / text nodes), never as HTML.
import { displayAddress, isPhoneNumber } from './address.js'

/** The element matching `selector`; throws when the page lacks it (a broken page should fail loudly). */
export function $(selector, root = document) {
  const found = root.querySelector(selector)
  if (found === null) throw new Error(`Missing element ${selector}`)
  return found
}

/**
 * Creates an element. `props`: `text` (textContent), `class`, `on<event>` listeners, `dataset`,
 * other keys as attributes (`true` → empty attribute; `false`, `null`, `undefined` → absent).
 * Children are nodes or strings (strings become text nodes).
 *
 * h('button', { type: 'button', class: 'secondary', onclick: go }, icon('phone'), 'Call')
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue
    if (key === 'text') node.textContent = String(value)
    else if (key === 'class') node.className = value
    else if (key === 'dataset') Object.assign(node.dataset, value)
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value)
    else node.setAttribute(key, value === true ? '' : String(value))
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false))
  return node
}

const svgNs = 'http://www.w3.org/2000/svg'

/** An icon from the page's sprite (`#i-<name>`), hidden from assistive technology. */
export function icon(name, className = 'icon') {
  const svg = document.createElementNS(svgNs, 'svg')
  svg.setAttribute('class', className)
  svg.setAttribute('aria-hidden', 'true')
  svg.setAttribute('focusable', 'false')
  const use = document.createElementNS(svgNs, 'use')
  use.setAttribute('href', `#i-${name}`)
  svg.append(use)
  return svg
}

/** Changes the sprite icon of a button made with `icon`. */
export function setIcon(svg, name) {
  svg.querySelector('use')?.setAttribute('href', `#i-${name}`)
}

/**
 * Makes `list`'s children match `items`, reusing the element of each key: `create(item)` makes a
 * new one, `update(element, item)` refreshes it. Elements of keys no longer present are removed.
 * Reusing elements keeps focus, scroll position and loaded images where they are.
 */
export function reconcile(list, items, keyOf, create, update) {
  const existing = new Map()
  for (const child of list.children) existing.set(child.dataset.key, child)
  let previous = null
  for (const item of items) {
    const key = String(keyOf(item))
    let node = existing.get(key)
    if (node === undefined) {
      node = create(item)
      node.dataset.key = key
    } else existing.delete(key)
    update(node, item)
    const expected = previous === null ? list.firstElementChild : previous.nextElementSibling
    if (node !== expected) list.insertBefore(node, expected)
    previous = node
  }
  for (const stale of existing.values()) stale.remove()
}

/** Two letters for an avatar: "Bob Baker" → "BB", "bob@example.com" → "BO". */
export function initials(name) {
  const words = String(name).replace(/@.*/, '').split(/[\s._-]+/).filter(Boolean)
  const letters = words.length > 1 ? words[0][0] + words[1][0] : (words[0] ?? '?').slice(0, 2)
  return letters.toUpperCase()
}

/** A stable hue (0–359) for a name, so an avatar keeps its colour. */
export function hueOf(text) {
  let hash = 0
  for (const char of String(text)) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return hash % 360
}

/** A round avatar with initials. */
export function avatar(name, size = '') {
  const node = h('span', { class: `avatar ${size}`.trim(), 'aria-hidden': 'true', text: initials(name) })
  node.style.setProperty('--hue', String(hueOf(name)))
  return node
}

let announceTimer
/**
 * Says `text` through a live region (`polite` for news, `assertive` for an incoming call). The
 * region is emptied first so that the same text twice is announced twice.
 */
export function announce(text, politeness = 'polite') {
  const region = $(politeness === 'assertive' ? '#announce-assertive' : '#announce-polite')
  region.textContent = ''
  clearTimeout(announceTimer)
  announceTimer = setTimeout(() => {
    region.textContent = text
  }, 50)
}

/** Shows an error in the alerts area for a while (with a button to dismiss it). */
export function showError(text) {
  const alerts = $('#alerts')
  const close = h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Dismiss this message' }, icon('x'))
  const item = h('div', { class: 'alert', role: 'alert' }, h('span', { text }), close)
  const remove = () => item.remove()
  close.addEventListener('click', remove)
  alerts.append(item)
  while (alerts.children.length > 3) alerts.firstElementChild?.remove()
  setTimeout(remove, 10000)
}

/** Shows what is wrong with `field`'s value in `message` next to it (marking the field invalid), or clears both when `problem` is undefined. */
export function showFieldProblem(field, message, problem) {
  message.textContent = problem ?? ''
  message.hidden = problem === undefined
  if (problem === undefined) field.removeAttribute('aria-invalid')
  else field.setAttribute('aria-invalid', 'true')
}

/**
 * What went wrong, in words for the person using the page: the platform's codes (`SVC0004`, …)
 * become a sentence about what they tried (`destination`: whom they called or wrote to); other
 * SDK errors keep their message and code.
 *
 * errorText({ code: 'SVC0004', message: '…' }, { destination: 'nobody@example.com' }) → 'No user named nobody@example.com.'
 */
export function errorText(error, { destination } = {}) {
  if (error === undefined || error === null) return 'Unknown error'
  if (typeof error !== 'object') return String(error)
  const human = platformErrorText(error.code, destination)
  if (human !== undefined) return human
  const message = error.message ?? 'An error occurred'
  return error.code === undefined ? message : `${message} (${error.code})`
}

/** The platform's error codes (`SVCnnnn` / `POLnnnn`, HTTP statuses, network failures) as sentences. */
function platformErrorText(code, destination) {
  const whom = destination === undefined ? undefined : displayAddress(destination)
  switch (code) {
    case 'SVC0004':
    case 404:
      if (whom === undefined) return 'The platform does not know that address.'
      return isPhoneNumber(whom) ? `No one has the number ${whom}.` : `No user named ${whom}.`
    case 'SVC0002':
    case 400:
      return whom === undefined ? 'The platform did not accept the request.' : `The platform did not accept ${whom} as an address.`
    case 'POL0401':
    case 401:
      return 'Your sign-in has expired: log out and sign in again.'
    case 'POL0001':
    case 403:
      return 'The platform does not allow this.'
    case 'SVC1000':
    case 500:
      return 'The platform had a problem: try again.'
    case 'TypeError':
      return 'Cannot reach the platform: check the connection.'
    default:
      return undefined
  }
}

/** "14:03" for a time in milliseconds (or seconds) since the epoch. */
export function clock(timestamp) {
  const ms = timestamp < 1e12 ? timestamp * 1000 : timestamp
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

/** "1:05" for a number of seconds. */
export function duration(seconds) {
  const whole = Math.max(0, Math.floor(seconds))
  const hours = Math.floor(whole / 3600)
  const minutes = Math.floor((whole % 3600) / 60)
  const rest = String(whole % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`
}
