// The local platform: a CPaaS-compatible REST + WebSocket server (see platform/README.md).
export { startPlatform } from './server.js'
export { selfSignedCertificate } from './certificate.js'
export type { PlatformOptions, RunningPlatform, UserTokens } from './server.js'
export type { PlatformAdmin, PlatformState, DropOptions, FailOptions } from './admin.js'
export type { RestartOptions } from './core.js'
export { jsonBodyLimit, rawBodyLimit } from './core.js'
export { seededAccounts } from './accounts.js'
export type { Account, PlatformContext, PlatformFeature, ServiceName } from './context.js'
