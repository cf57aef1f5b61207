/**
 * The functions directly on the client: `client.setTokens(...)` logs in with the tokens of the
 * platform's token endpoint, `client.getUserInfo()` says who is logged in. Events: `auth:change`,
 * `auth:error`. The rest of the client (`create`, `on` / `off`, `getConfig`, `dispose`, …) is in
 * the `kandy-rx` module; its namespaces are the `client.*` modules.
 *
 * @module client
 */
export type { AuthApi, UserInfo } from '../../lib/api/auth.js'
