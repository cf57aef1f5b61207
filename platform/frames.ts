import type { NotificationFrame } from './context.js'

/**
 * One notification as text for each channel it goes to: written once per origin (a frame with links is a function of the
 * origin the channel's socket came by), with the same `id` on every channel for a kind object that has none.
 *
 * const text = frameText(frame, newId); for (const channel of channels) deliver(channel, text(channel.origin))
 */
export function frameText(frame: NotificationFrame | ((origin: string) => NotificationFrame), id: () => string): (origin: string) => string {
  const ids = new Map<string, string>()
  const written = new Map<string, string>()
  const idOf = (kind: string): string => {
    const known = ids.get(kind) ?? id()
    ids.set(kind, known)
    return known
  }
  const write = (origin: string): string => {
    const out: Record<string, unknown> = {}
    for (const [kind, body] of Object.entries(typeof frame === 'function' ? frame(origin) : frame)) {
      out[kind] = typeof body === 'object' && body !== null && !('id' in body && body.id) ? { ...body, id: idOf(kind) } : body
    }
    return JSON.stringify(out)
  }
  return (origin) => {
    const text = written.get(origin) ?? write(origin)
    written.set(origin, text)
    return text
  }
}
