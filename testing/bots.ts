import type { Account } from '../platform/index.js'
import type { TestTokens } from './platform.js'

/** The kinds of bot users the platform seeds (`"bot": "<kind>"` in `platform/users.json`). */
export type BotKind = 'echo' | 'auto-answer' | 'busy' | 'ivr' | 'sms-loopback' | 'typing' | 'presence'

/** The bots a test platform started. */
export interface RunningBots {
  /** The bot accounts that are running, each with its kind. */
  readonly accounts: readonly Account[]
  stop(): Promise<void>
}

/** What bots need of the platform. */
export interface BotHost {
  readonly url: string
  readonly users: readonly Account[]
  readonly tokens: (userId: string) => Promise<TestTokens>
}

const none: RunningBots = { accounts: [], stop: async () => undefined }

/** Starts the bots asked for (none for `false`). */
export async function startBots(wanted: boolean | readonly BotKind[], _host: BotHost): Promise<RunningBots> {
  if (wanted === false || (Array.isArray(wanted) && wanted.length === 0)) return none
  throw new Error('startPlatform: bots are not available in this build')
}
