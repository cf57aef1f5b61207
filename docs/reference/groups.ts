/**
 * `client.groups`: group chats you administer or are invited to. Events: `group:*`.
 *
 * @module client.groups
 */
export type { GroupsApi, GroupInfo, GroupInvitation, GroupParams } from '../../lib/api/groups.js'
