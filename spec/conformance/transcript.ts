// Transcripts of the conformance suite: normalising what differs between any two runs (ids,
// tokens, times, the platform's port) and listing the differences between two transcripts.

/** One place where two transcripts differ: a dotted path, and each side's value (`undefined` = absent). */
export interface Difference {
  readonly path: string
  readonly oracle: unknown
  readonly ours: unknown
}

/** What to hide besides ids and times: the run's port and its tokens. */
export interface RunFacts {
  readonly port: number
  readonly secrets: readonly string[]
}

const uuid = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i
const uuidInside = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi
const jwt = /^[\w-]+\.[\w-]+\.[\w-]+$/
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/
const idKey = /^(id|.*Id|.*Ids|.*ID|msid|sessionId|correlator|clientCorrelator|channelId|callbackReference|resourceURL|url|channelURL)$/
const timeKey = /^(timestamp|.*Time|.*time|.*At|duration|expires|expiresIn|lastUpdated|lastModified|date)$/
const epochMs = (value: number): boolean => value > 1e12 && value < 1e13

/**
 * The transcript with run-specific values replaced: ids (by key or UUID shape) by `<id>`, tokens by
 * `<token>`, SDPs by `<sdp>`, times by `<time>`, the port by `<port>`. Ids are not numbered: the two
 * SDKs create them in different orders. Keys are sorted so that diffs read the same on both sides.
 */
export function normalise(value: unknown, facts: RunFacts): unknown {
  const idOf = (_raw: string): string => '<id>'
  const port = String(facts.port)
  const text = (raw: string, key: string): string => {
    if (facts.secrets.includes(raw)) return '<token>'
    if (raw.startsWith('v=0')) return '<sdp>'
    raw = raw.replace(uuidInside, (found) => idOf(found))
    if (raw.includes(`:${port}`)) raw = raw.split(`:${port}`).join(':<port>')
    if (key === 'port' && raw === port) return '<port>'
    if (isoTime.test(raw) || (timeKey.test(key) && /^\d{10,13}$/.test(raw))) return '<time>'
    if (uuid.test(raw) || (jwt.test(raw) && raw.length > 40)) return idOf(raw)
    if (idKey.test(key) && raw !== '' && !raw.includes('@') && !raw.startsWith('+') && !raw.startsWith('[')) return idOf(raw)
    return raw
  }
  const walk = (item: unknown, key: string): unknown => {
    if (typeof item === 'string') return text(item, key)
    if (typeof item === 'number') {
      if (key === 'port' && item === facts.port) return '<port>'
      if (epochMs(item) || (timeKey.test(key) && item > 1e9)) return '<time>'
      return item
    }
    if (Array.isArray(item)) return item.map((entry) => walk(entry, key))
    if (item !== null && typeof item === 'object') {
      const out: Record<string, unknown> = {}
      // An error's message is prose, not API: errors compare by name and code.
      const isError = (item as { name?: unknown }).name === 'BasicError' && 'code' in item
      for (const name of Object.keys(item).sort()) if (!(isError && name === 'message')) out[name] = walk((item as Record<string, unknown>)[name], name)
      return out
    }
    return item
  }
  return walk(value, '')
}

/** Every place where the two transcripts differ, deepest first reached (steps are matched by label). */
export function differences(oracle: unknown, ours: unknown, path = ''): Difference[] {
  if (Object.is(oracle, ours)) return []
  const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)
  if (Array.isArray(oracle) && Array.isArray(ours)) {
    if (labelled(oracle) && labelled(ours)) {
      const labels = [...new Set([...oracle.map((entry) => entry.label), ...ours.map((entry) => entry.label)])]
      return labels.flatMap((label) =>
        differences(oracle.find((entry) => entry.label === label)?.value, ours.find((entry) => entry.label === label)?.value, `${path}.${label}`),
      )
    }
    const length = Math.max(oracle.length, ours.length)
    return Array.from({ length }, (_, index) => differences(oracle[index], ours[index], `${path}[${index}]`)).flat()
  }
  if (isObject(oracle) && isObject(ours)) {
    const keys = [...new Set([...Object.keys(oracle), ...Object.keys(ours)])].sort()
    return keys.flatMap((key) => differences(oracle[key], ours[key], path === '' ? key : `${path}.${key}`))
  }
  return [{ path: path === '' ? '(root)' : path, oracle, ours }]
}

const labelled = (entries: unknown[]): entries is Array<{ label: string; value: unknown }> =>
  entries.every((entry) => entry !== null && typeof entry === 'object' && typeof (entry as { label?: unknown }).label === 'string')

/**
 * A transcript shaped for comparison: per page, steps by label, and events per family (the name
 * before `:`) as `order` (their names in order) plus each name's payloads in order. Events of
 * different families come from independent causes, so only the order within a family counts.
 *
 * alice.events.call.order, alice.events.call["call:stateChange"][1]
 */
export function comparable(transcript: Record<string, { steps: unknown[]; events: Array<{ type: string; args: unknown }> }>): unknown {
  return Object.fromEntries(
    Object.entries(transcript).map(([page, { steps, events }]) => {
      const families: Record<string, Record<string, unknown[]>> = {}
      for (const { type, args } of events) {
        const family = (families[type.split(':')[0]!] ??= { order: [] })
        family.order!.push(type)
        ;(family[type] ??= []).push(args)
      }
      return [page, { steps, events: families }]
    }),
  )
}
