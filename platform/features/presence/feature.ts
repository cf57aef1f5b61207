import type { PlatformContext } from '../../context.js'
import { presenceBook } from './book.js'
import { listContactRoutes, listRoutes } from './lists.js'
import { sourceRoutes } from './sources.js'
import { listSubscriptionRoutes } from './subscriptions.js'
import { watching } from './watching.js'

/**
 * Presence (`protocol/presence-groups-users.md` §1): publish, one-shot fetch, presence lists,
 * list subscriptions for the `presence` service, and fan-out of every change to the watchers
 * (`notifications.md` §7, §9).
 */
export function presenceFeature(ctx: PlatformContext): void {
  const book = presenceBook(ctx)
  const watchers = watching(ctx, book)
  sourceRoutes(ctx, book, watchers)
  listRoutes(ctx, book, watchers)
  listContactRoutes(ctx, book, watchers)
  listSubscriptionRoutes(ctx, book, watchers)
}
