/**
 * `client.user`: the domain's directory. Events: `directory:change`, `directory:error`.
 *
 * @module client.user
 */
export type { UserApi, UserInfo, SearchFilters, SearchOptions } from '../../lib/api/user.js'
