import { defer, filter, finalize, map, type Observable } from 'rxjs'
import { conversationKey, type MessagingEvent } from './model.js'

/** Which conversations were deleted while requests about them were in flight. */
export interface Deletions {
  /** Notes that the conversation under `key` was deleted (locally or by a notification). */
  readonly deleted: (key: string) => void
  /**
   * `request$` without the history pages of a conversation deleted after it was subscribed (the request made), and without such
   * conversations in its conversation lists: a page or list read before the deletion would bring the deleted messages back, or the
   * conversation itself.
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
        const deletedSince = (key: string): boolean => (deletedAt.get(key) ?? 0) > since
        const withoutDeleted = (event: MessagingEvent): MessagingEvent =>
          event.type === 'conversationsFetched'
            ? { ...event, conversations: event.conversations.filter((found) => !deletedSince(conversationKey(found.destination, found.type))) }
            : event
        return request$.pipe(
          filter((event) => event.type !== 'historyFetched' || !deletedSince(conversationKey(event.destination, event.chatType))),
          map(withoutDeleted),
          finalize(() => {
            running -= 1
            if (running === 0) deletedAt.clear()
          }),
        )
      }),
  }
}
