import { coreOf } from '../core.js'
import type { PlatformContext } from '../context.js'
import { TurnCredentialsRequest } from '../../streams/subscription/codecs.js'

/**
 * TURN credentials (`protocol/calls.md` §2): time-limited TURN REST API credentials that the
 * platform's coturn accepts, and the URLs to use them with (empty when no TURN server runs).
 */
export function turnFeature(ctx: PlatformContext): void {
  const turn = coreOf(ctx).options.turn
  ctx.route('POST', '/cpaas/webrtcsignaling/:version/:userId/turn', { body: TurnCredentialsRequest }, ({ user }) => ({
    status: 200,
    body: { wrtcsTurnCredentials: { ...turn.credentials(user.userId, ctx.now()), urls: turn.urls() } },
  }))
}
