/**
 * `client.presence`: your own presence and other users'. Events: `presence:change`,
 * `presence:selfChange`, `presence:error`.
 *
 * @module client.presence
 */
export type { NoSelfPresence, PresenceApi, PresenceInfo, SelfPresenceInfo } from '../../lib/api/presence.js'
