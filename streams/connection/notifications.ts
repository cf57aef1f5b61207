import * as E from 'fp-ts/Either'
import { BasicError } from '../errors.js'
import { isRecord } from '../guards.js'
import type { InboundNotification } from './link.js'

/** Code of a frame that is JSON but not a notification (not an object, or no kind with an id): an SDK string. */
const invalidNotificationCode = 'INVALID_NOTIFICATION'

/**
 * The last `capacity` notification ids, oldest forgotten first (FIFO, as the reference); 0 remembers nothing. Memory follows the ids seen,
 * never the capacity, so any configured length is safe (a ring preallocated at the capacity threw a RangeError past 2^32 − 1).
 */
export class IdCache {
  private readonly ids = new Set<string>()
  /** The ids in arrival order from `oldest` on (the ones before it are forgotten). */
  private order: string[] = []
  private oldest = 0

  constructor(private capacity: number) {
    this.capacity = Math.max(0, Math.floor(capacity))
  }

  /** True when `id` is remembered; otherwise remembers it, forgetting the oldest when full. */
  seen(id: string): boolean {
    if (this.ids.has(id)) return true
    if (this.capacity === 0) return false
    this.ids.add(id)
    this.order.push(id)
    this.trim()
    return false
  }

  /** Changes the capacity, keeping the newest ids that still fit. */
  resize(capacity: number): void {
    this.capacity = Math.max(0, Math.floor(capacity))
    this.trim()
  }

  /** Forgets the oldest ids until no more than `capacity` are left; drops the forgotten part of `order` once it is half of it. */
  private trim(): void {
    while (this.ids.size > this.capacity) {
      this.ids.delete(this.order[this.oldest] ?? '')
      this.oldest += 1
    }
    if (this.oldest > 64 && this.oldest * 2 > this.order.length) {
      this.order = this.order.slice(this.oldest)
      this.oldest = 0
    }
  }
}

const idOf = (body: Record<string, unknown>): string | undefined => {
  const { id } = body
  return (typeof id === 'string' && id !== '') || (typeof id === 'number' && id !== 0 && Number.isFinite(id)) ? String(id) : undefined
}

/**
 * A parsed frame as a notification (`notifications.md` §1–2): the kind is the first top-level key whose value has a truthy `id`
 * (a `notificationMessage` wrapper is unwrapped, in tolerance). Anything else is a BasicError, never a throw.
 *
 * toInboundNotification({ chatMessageNotification: { id: 'n1', chatMessage: {} } }) // E.right({ kind: 'chatMessageNotification', id: 'n1', … })
 */
export function toInboundNotification(value: unknown): E.Either<BasicError, InboundNotification> {
  if (!isRecord(value)) return E.left(new BasicError(invalidNotificationCode, 'Notification frame is not a JSON object'))
  const envelope = isRecord(value.notificationMessage) ? value.notificationMessage : value
  for (const kind in envelope) {
    const body = envelope[kind]
    if (!isRecord(body)) continue
    const id = idOf(body)
    if (id !== undefined) return E.right({ kind, id, body, frame: value })
  }
  return E.left(new BasicError(invalidNotificationCode, 'Notification frame has no kind with an id'))
}

/** What becomes of one notification frame. */
type NotificationOutcome =
  | { readonly type: 'accepted'; readonly notification: InboundNotification }
  /** Its id is among the last `idCacheLength`: dropped silently. */
  | { readonly type: 'duplicate'; readonly id: string }
  | { readonly type: 'rejected'; readonly error: BasicError }

/** Accepts notification frames once each: decode, then de-duplicate over the last `idCacheLength` ids. */
export interface NotificationIntake {
  readonly accept: (value: unknown) => NotificationOutcome
  readonly resize: (idCacheLength: number) => void
}

/**
 * The notification pipeline's decision for each parsed frame, in arrival order.
 *
 * const intake = notificationIntake(100)
 * intake.accept(frame) // { type: 'accepted', notification } | { type: 'duplicate', id } | { type: 'rejected', error }
 */
export function notificationIntake(idCacheLength: number): NotificationIntake {
  const cache = new IdCache(idCacheLength)
  return {
    accept: (value) => {
      const decoded = toInboundNotification(value)
      if (E.isLeft(decoded)) return { type: 'rejected', error: decoded.left }
      const notification = decoded.right
      return cache.seen(notification.id) ? { type: 'duplicate', id: notification.id } : { type: 'accepted', notification }
    },
    resize: (length) => cache.resize(length),
  }
}
