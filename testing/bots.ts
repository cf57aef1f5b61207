import { seededAccounts, type Account } from '../platform/index.js'
import { defaultBots, startBots as startNodeBots } from '../samples/node/bots/index.js'

/** The kinds of bot users the platform seeds (`"bot": "<kind>"` in `platform/users.json`). */
export type BotKind = 'echo' | 'auto-answer' | 'busy' | 'ivr' | 'sms-loopback' | 'typing' | 'presence'

/** A running bot: the account it is logged in as, its kind and what it does. */
export interface RunningBot {
  readonly userId: string
  readonly kind: string
  readonly description: string
}

/** The bots a test platform started. */
export interface RunningBots {
  /** Each running bot (empty when none were asked for). */
  readonly running: readonly RunningBot[]
  /** Logs the bots out: their clients are disposed, their calls and sockets closed. */
  stop(): void
}

const none: RunningBots = { running: [], stop: () => undefined }

/** The bot definitions asked for (`true`: every kind); throws on a kind that does not exist. */
export function botsOf(wanted: boolean | readonly BotKind[]) {
  const all = defaultBots()
  if (wanted === true) return all
  if (wanted === false) return []
  const unknown = wanted.filter((kind) => !all.some((definition) => definition.kind === kind))
  if (unknown.length > 0) throw new Error(`startPlatform: unknown bot kind ${unknown.join(', ')} (known: ${all.map((definition) => definition.kind).join(', ')})`)
  return all.filter((definition) => wanted.includes(definition.kind as BotKind))
}

/** The seeded bot accounts of the kinds asked for that `accounts` lacks (so bots run on a platform with its own users). */
export function missingBotAccounts(accounts: readonly Account[], kinds: readonly string[]): Account[] {
  return seededAccounts.filter((account) => account.bot !== undefined && kinds.includes(account.bot) && !accounts.some((known) => known.bot === account.bot))
}

/** Starts the bots of these kinds on the platform at `url`, on the accounts whose `bot` names them. */
export async function startBots(kinds: ReturnType<typeof botsOf>, url: string, accounts: readonly Account[], log?: (line: string) => void): Promise<RunningBots> {
  if (kinds.length === 0) return none
  const started = await startNodeBots({ url, accounts, bots: kinds, ...(log === undefined ? {} : { log }) })
  return {
    running: started.running.map(({ userId, kind, description }) => ({ userId, kind, description })),
    stop: () => started.stop(),
  }
}
