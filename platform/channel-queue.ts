// Notifications waiting for a socket of their channel (`protocol/channel-and-subscriptions.md` §5:
// queued, bounded, flushed in order on the next socket).

/** One serialised notification and when it was queued (ms). */
export interface QueuedFrame {
  readonly data: string
  readonly at: number
}

/** Most notifications kept per channel; older ones are dropped first. */
export const queueLimit = 100
/** How long a queued notification stays worth delivering, in ms. */
export const queueMaxAge = 5 * 60 * 1000

/** Adds a frame queued at `at`, dropping the oldest beyond `queueLimit`. */
export function enqueue(queue: QueuedFrame[], data: string, at: number): void {
  queue.push({ data, at })
  if (queue.length > queueLimit) queue.splice(0, queue.length - queueLimit)
}

/** The frames still younger than `queueMaxAge` at `now`, oldest first. */
export function freshFrames(queue: readonly QueuedFrame[], now: number): QueuedFrame[] {
  const cutoff = now - queueMaxAge
  return queue.filter((entry) => entry.at >= cutoff)
}
