import type { FeatureHandle, PlatformContext } from '../../context.js'
import { timeouts } from '../../timers.js'
import { conversations } from './conversations.js'
import { deletionRoutes } from './deletion.js'
import { messagingFiles } from './files.js'
import { chatHistoryRoutes, smsHistoryRoutes } from './history.js'
import { chatSendRoutes } from './send.js'
import { smsRoutes } from './sms.js'
import { typingRelay } from './typing.js'
import { messagingWire } from './wire.js'

/**
 * Chat, group chat and SMS (`protocol/messaging.md`, `notifications.md` §5, §6, §9):
 *
 * - 1:1 and group messages are stored in the history of every party (each view with its own
 *   message ids) and notified to the recipients (`chat`), with an `x-type: outbound` copy to the
 *   sender's channels for their other devices (`send.ts`);
 * - typing indicators are relayed, and turned `idle` by the platform after `refresh` seconds
 *   without a refresh (`typing.ts`);
 * - conversation lists, paged history (`max`, `next`, `lastMessageTime`) (`history.ts`), deletions
 *   of a message or a conversation (the user's own view only, `deletion.ts`);
 * - SMS, sent and received, and SMS injected through the admin API (`sms.ts`);
 * - attachments are uploaded and served by `files.ts`.
 */
export function messagingFeature(ctx: PlatformContext): FeatureHandle {
  const stored = conversations(ctx)
  const files = messagingFiles(ctx)
  const wire = messagingWire(ctx, files)
  const timers = timeouts(ctx.clock)
  chatSendRoutes(ctx, { conversations: stored, files, wire, relayTyping: typingRelay(ctx, timers) })
  chatHistoryRoutes(ctx, stored, wire)
  deletionRoutes(ctx, stored, wire)
  smsRoutes(ctx, stored, timers)
  smsHistoryRoutes(ctx, stored)
  return { stop: () => timers.clear() }
}
