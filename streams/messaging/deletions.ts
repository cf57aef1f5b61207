import { defer, filter, finalize, type Observable } from 'rxjs'
import { conversationKey, type MessagingEvent } from './model.js'

/** Which conversations were deleted while requests about them were in flight. */
export interface Deletions {
  /** Notes that the conversation under `key` was deleted (locally or by a notification). */
  readonly deleted: (key: string) => void
  /**
   * `request$` without the history pages of a conversation deleted after it was subscribed (the request made): a page read before the
   * deletion would bring the deleted messages back, or the conversation itself.
   *
   * effects.enqueue(key, deletions.guarded(page$))
   */
  readonly guarded: (request$: Observable<MessagingEvent>) => Observable<MessagingEvent>
}

/** The deletions of one messaging feature: each is numbered, and remembered only while a guarded request runs. */
export function createDeletions(): Deletions {
  let numbered = 0
  let running = 0
  const deletedAt = new Map<string, number>()
  return {
    deleted: (key) => {
      if (running > 0) deletedAt.set(key, ++numbered)
    },
    guarded: (request$) =>
      defer(() => {
        const since = numbered
        running += 1
        const deletedSince = (event: MessagingEvent): boolean =>
          event.type === 'historyFetched' && (deletedAt.get(conversationKey(event.destination, event.chatType)) ?? 0) > since
        return request$.pipe(
          filter((event) => !deletedSince(event)),
          finalize(() => {
            running -= 1
            if (running === 0) deletedAt.clear()
          }),
        )
      }),
  }
}
