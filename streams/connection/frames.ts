import * as E from 'fp-ts/Either'
import { BasicError } from '../errors.js'

/** A received frame, classified (`channel-and-subscriptions.md` §3). */
export type FrameKind =
  /** A platform ping; `interval` in seconds when it carries a valid one. */
  | { readonly kind: 'connCheck'; readonly interval: number | undefined }
  | { readonly kind: 'connAck' }
  | { readonly kind: 'notification' }

const notification: FrameKind = { kind: 'notification' }
const connAck: FrameKind = { kind: 'connAck' }

/** `connCheck` / `connAck` when the property is truthy (only truthiness is tested), else a notification. */
export function classifyFrame(value: unknown): FrameKind {
  if (typeof value !== 'object' || value === null) return notification
  const { connCheck, connAck: ack } = value as { connCheck?: unknown; connAck?: unknown }
  if (connCheck) {
    const interval = (connCheck as { interval?: unknown }).interval
    return { kind: 'connCheck', interval: typeof interval === 'number' && Number.isFinite(interval) && interval > 0 ? interval : undefined }
  }
  return ack ? connAck : notification
}

const decoder = new TextDecoder('utf-8', { fatal: true })

/** The JSON value of one WebSocket message (text, or binary UTF-8); one that is not JSON is a BasicError coded with the parser's error name. */
export function parseFrame(data: unknown): E.Either<BasicError, unknown> {
  let text: string
  try {
    if (typeof data === 'string') text = data
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) text = decoder.decode(data)
    else return E.left(new BasicError('TypeError', 'WebSocket frame is not text'))
  } catch (error) {
    return E.left(new BasicError((error as Error).name, 'WebSocket frame is not UTF-8 text'))
  }
  try {
    return E.right(JSON.parse(text) as unknown)
  } catch (error) {
    return E.left(new BasicError((error as Error).name, `WebSocket frame is not JSON (${text.length} characters)`))
  }
}
