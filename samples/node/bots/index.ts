// The platform's bots: each a Node SDK client logged in as a seeded account whose `bot` field
// names its kind (`platform/users.json`). `samples/local.ts` (npm start) and the testing kit start them.
//
//   const platform = await startPlatform({ port: 0 })
//   const bots = await startBots({ url: platform.url, accounts: platform.users })
//   bots.running.map(({ userId, description }) => `${userId}: ${description}`)
//   bots.stop()
import type { SchedulerLike } from 'rxjs'
import { startAgent, type Agent } from '../agent.js'
import { autoAnswerBot } from './auto-answer.js'
import { busyBot } from './busy.js'
import type { BotDefinition } from './definition.js'
import { echoBot } from './echo.js'
import { ivrBot } from './ivr.js'
import { presenceBot } from './presence.js'
import { smsLoopbackBot } from './sms-loopback.js'
import { typingBot } from './typing.js'

export type { BotDefinition } from './definition.js'
export { autoAnswerBot, busyBot, echoBot, ivrBot, presenceBot, smsLoopbackBot, typingBot }

/** Every kind of bot, with its default options. */
export function defaultBots(): BotDefinition[] {
  return [echoBot(), autoAnswerBot(), busyBot(), ivrBot(), smsLoopbackBot(), typingBot(), presenceBot()]
}

/** What `startBots` needs of an account (a platform `Account` has it). */
export interface BotAccount {
  readonly userId: string
  readonly password: string
  /** The bot kind; accounts without one are people and are left alone. */
  readonly bot?: string
}

export interface StartBotsOptions {
  /** The platform's base URL. */
  readonly url: string
  /** The accounts; those whose `bot` names a known kind get that bot. */
  readonly accounts: readonly BotAccount[]
  /** The kinds to run (default `defaultBots()`); a kind missing here is not started. */
  readonly bots?: readonly BotDefinition[]
  /** A certificate (PEM) to trust, for a platform serving a self-signed one. */
  readonly ca?: string
  /** The clock of the bots' own timers (default `asyncScheduler`). */
  readonly scheduler?: SchedulerLike
  /** Where the bots' log lines go (default: nowhere). */
  readonly log?: (line: string) => void
}

/** A started bot. */
export interface RunningBot {
  readonly userId: string
  readonly kind: string
  readonly description: string
  readonly agent: Agent
}

export interface RunningBots {
  readonly running: readonly RunningBot[]
  /** Stops every bot: their clients are disposed, calls and sockets closed. */
  stop(): void
}

/**
 * Starts one bot on an account: logs it in, subscribes its services, shows it available (a bot
 * is there to be called and written to; the presence protocol carries a note only with an
 * "other" activity, so the description stays in `npm start`'s list), starts its reactions.
 */
export async function startBot(definition: BotDefinition, account: BotAccount, options: Omit<StartBotsOptions, 'accounts' | 'bots'>): Promise<RunningBot> {
  const agent = await startAgent({
    server: options.url,
    user: account.userId,
    password: account.password,
    services: definition.services,
    config: definition.config,
    media: { ...definition.media, ...(options.ca === undefined ? {} : { ca: options.ca }) },
    scheduler: options.scheduler,
    log: options.log,
  })
  if (definition.publishesPresence !== true) agent.client.presence.update(agent.client.presence.statuses.OPEN, agent.client.presence.activities.AVAILABLE)
  definition.start(agent)
  return { userId: agent.userId, kind: definition.kind, description: definition.description, agent }
}

/**
 * Starts a bot for every account whose `bot` field names one of `bots`, in parallel. Rejects
 * (after stopping the ones that started) when any cannot log in or subscribe.
 */
export async function startBots(options: StartBotsOptions): Promise<RunningBots> {
  const kinds = new Map((options.bots ?? defaultBots()).map((definition) => [definition.kind, definition]))
  const chosen = options.accounts.flatMap((account) => {
    const definition = account.bot === undefined ? undefined : kinds.get(account.bot)
    return definition === undefined ? [] : [{ account, definition }]
  })
  const outcomes = await Promise.allSettled(chosen.map(({ account, definition }) => startBot(definition, account, options)))
  const running = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []))
  const stop = (): void => running.forEach((bot) => bot.agent.stop())
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')
  if (failure !== undefined) {
    stop()
    throw failure.reason instanceof Error ? failure.reason : new Error(String(failure.reason))
  }
  return { running, stop }
}
