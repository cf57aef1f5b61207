// The event log: every SDK event (`client.subscribe`) with its payload, newest at the bottom.
// Handy for seeing which events an action causes. Payloads are shown as JSON text.
import { $, h } from './dom.js'

const maxEntries = 300
const maxPayloadChars = 8000

/** JSON of a payload that survives what events carry: errors, stats reports, files, cycles. */
export function payloadText(value, indent) {
  const seen = new WeakSet()
  const text = JSON.stringify(value, function replace(_key, item) {
    if (item === undefined) return '(undefined)'
    if (typeof item === 'function') return undefined
    if (item === null || typeof item !== 'object') return item
    if (seen.has(item)) return '(circular)'
    seen.add(item)
    if (item.name === 'BasicError' || item instanceof Error) return { error: item.name, code: item.code, message: item.message }
    if (typeof RTCStatsReport !== 'undefined' && item instanceof RTCStatsReport) return `(RTCStatsReport with ${item.size} entries)`
    if (typeof File !== 'undefined' && item instanceof File) return `(File ${item.name}, ${item.size} bytes)`
    if (typeof Blob !== 'undefined' && item instanceof Blob) return `(Blob, ${item.size} bytes)`
    return item
  }, indent)
  if (text === undefined) return ''
  return text.length > maxPayloadChars ? `${text.slice(0, maxPayloadChars)}…` : text
}

/** Wires the event log panel; `attach(client)` starts recording a client's events and returns the detach function. */
export function createEventLog() {
  const list = $('#event-list')
  const count = $('#event-count')
  const filter = $('#event-filter')
  let total = 0

  const matches = (item) => filter.value.trim() === '' || item.dataset.type.includes(filter.value.trim())
  const applyFilter = () => {
    for (const item of list.children) item.hidden = !matches(item)
  }
  filter.addEventListener('input', applyFilter)
  $('#event-clear').addEventListener('click', () => {
    list.replaceChildren()
    total = 0
    count.textContent = '0'
  })

  const add = (type, payload) => {
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 24
    const now = new Date()
    const time = `${now.toLocaleTimeString([], { hour12: false })}.${String(now.getMilliseconds()).padStart(3, '0')}`
    const namespace = type.split(':')[0]
    // One line per event; open it for the whole payload.
    const item = h(
      'li',
      { class: 'event', dataset: { type, namespace } },
      h(
        'details',
        {},
        h('summary', {}, h('time', { dateTime: now.toISOString(), text: time }), h('span', { class: 'event-type', text: type }), h('code', { class: 'event-payload', text: payloadText(payload) })),
        h('pre', { class: 'event-full', text: payloadText(payload, 2) }),
      ),
    )
    item.hidden = !matches(item)
    list.append(item)
    while (list.children.length > maxEntries) list.firstElementChild.remove()
    total += 1
    count.textContent = String(total)
    if (atBottom) list.scrollTop = list.scrollHeight
  }

  return {
    attach(client) {
      const listener = (type, [payload]) => add(type, payload)
      client.subscribe(listener)
      return () => client.unsubscribe(listener)
    },
    /** A line of the page's own (not an SDK event), e.g. "signed in". */
    note: (text) => add('page', { note: text }),
  }
}
