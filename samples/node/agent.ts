// The bot framework: an agent is an SDK client in Node, logged in through the token endpoint as
// a (bot) account and subscribed, with the events a bot reacts to as Observables.
//
//   const agent = await startAgent({ server: 'http://127.0.0.1:8080', user: 'echo@example.com', password: 'password' })
//   agent.own(agent.incomingCalls$.subscribe((call) => agent.client.call.answer(call.id, { audio: true })))
//   agent.own(agent.messages$.subscribe((message) => agent.reply(message, `You said: ${message.text}`)))
//   agent.stop()
import { Observable, Subscription, asyncScheduler, concat, from, mergeMap, of, timer, type SchedulerLike, type TeardownLogic } from 'rxjs'
import { create, type Client, type Conversation, type EventName, type UserConfig } from '../../lib/index.js'
import type { CallObject } from '../../lib/api/call.js'
import type { ChatType } from '../../streams/messaging/state.js'
import { callStates, eventsOf, hangUpOnFailedMedia, incomingCalls, mediaFailed, remoteTracks } from './agent-calls.js'
import { nodeEnvironment, type NodeEnvironment, type NodeEnvironmentOptions, type NodeMedia } from './environment.js'
import { login, refresh, type Grant } from './login.js'

export { eventsOf } from './agent-calls.js'

/** Every service a bot can subscribe to. */
export const allServices = ['call', 'chat', 'smsinbound', 'presence'] as const

export interface AgentOptions {
  /** The platform's base URL, e.g. `http://127.0.0.1:8080`. */
  readonly server: string
  /** User id, email or phone number of the account. */
  readonly user: string
  readonly password: string
  /** Services to subscribe (default all four). */
  readonly services?: readonly string[]
  /** SDK configuration merged over the agent's (server, silent-but-errors logs, no ICE servers). */
  readonly config?: UserConfig
  /** What its synthetic devices play, and a certificate to trust (see `nodeEnvironment`). */
  readonly media?: NodeEnvironmentOptions
  /** The clock of the bot's own timers (token refresh, typing pauses, schedules); default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike
  /** Where the agent's log lines go (default: nowhere). */
  readonly log?: (line: string) => void
  /** Milliseconds to wait for the subscription (default 10000). */
  readonly timeout?: number
}

/** A message someone else sent to the agent (chat, group chat or SMS). */
export interface InboundMessage {
  /** The conversation's remote party: the sender (1:1), the group id, or the phone number (SMS). */
  readonly destination: string
  readonly type: ChatType
  readonly sender: string | undefined
  /** The text parts, joined by new lines. */
  readonly text: string
  readonly messageId: string
}

/** A bot's SDK client and what it reacts to. */
export interface Agent {
  /** The documented client (`create(config, nodeEnvironment())`), logged in and subscribed. */
  readonly client: Client
  /** Its synthetic local tracks and the wrtc tracks it receives. */
  readonly media: NodeMedia
  /** The account's user id (`preferred_username`). */
  readonly userId: string
  readonly scheduler: SchedulerLike
  /** Calls arriving (`call:receive`), as their CallObject in state `Ringing`. */
  readonly incomingCalls$: Observable<CallObject>
  /** Every message someone else sends to the agent, once each. */
  readonly messages$: Observable<InboundMessage>
  /** Payloads of one documented event while subscribed. */
  events<T = unknown>(name: EventName): Observable<T>
  /** The call's wrtc remote tracks: those it has, then each new one, until the call ends. */
  remoteTracks(callId: string): Observable<MediaStreamTrack>
  /** Emits the call's state on every change (starting with the current one); completes when it ends. */
  callStates(callId: string): Observable<string>
  /** Emits once if the call's media connection fails (the other side is gone without hanging up). */
  mediaFailed(callId: string): Observable<void>
  /** Sends a text message in a conversation (created when missing). */
  send(destination: string, type: ChatType, text: string): void
  /** Replies to a message in its conversation. */
  reply(message: InboundMessage, text: string): void
  /** Shows (or stops showing) the agent typing in a conversation. */
  setTyping(destination: string, type: ChatType, isTyping: boolean): void
  log(line: string): void
  /** Keeps a subscription or teardown until `stop()`. */
  own(teardown: TeardownLogic): void
  /** Stops everything owned, disposes the client and its media. Safe to call twice. */
  stop(): void
}

/** How many handled message ids an agent remembers (so a long-running bot does not grow). */
const rememberedMessages = 1000

const textOf = (parts: readonly { readonly type: string; readonly text?: string }[]): string =>
  parts
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text)
    .join('\n')

/** Waits for the subscription of `services` to finish; rejects unless each was subscribed. */
function subscribed(client: Client, services: readonly string[], timeout: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const finish = (error?: Error): void => {
      clearTimeout(timer)
      client.off('subscription:change', changed)
      client.off('subscription:error', failed)
      if (error !== undefined) return reject(error)
      const missing = services.filter((service) => !client.services.getSubscriptions().subscribed.includes(service.toLowerCase()))
      if (missing.length > 0) reject(new Error(`services not subscribed: ${missing.join(', ')}`))
      else resolve()
    }
    const changed = (): void => {
      if (!client.services.getSubscriptions().isPending) finish()
    }
    const failed = (payload: unknown): void => {
      const error = (payload as { error?: { message?: string } }).error
      finish(new Error(`subscription failed: ${error?.message ?? 'unknown error'}`))
    }
    const timer = setTimeout(() => finish(new Error(`not subscribed within ${timeout} ms`)), timeout)
    client.on('subscription:change', changed)
    client.on('subscription:error', failed)
    client.services.subscribe([...services])
  })
}


/** Where and as whom an agent logs in. */
interface Credentials {
  readonly server: string
  readonly user: string
  readonly password: string
  readonly fetcher: typeof fetch
}

/** A Node SDK client of the platform at `server`, silent but for errors, with no ICE servers. */
function agentClient(server: URL, user: string, environment: NodeEnvironment): Client {
  const secure = server.protocol === 'https:'
  return create(
    {
      authentication: {
        server: { base: server.hostname, protocol: secure ? 'https' : 'http', port: server.port || (secure ? '443' : '80') },
        clientCorrelator: `kandy-rx-bot-${user}`,
      },
      logs: { logLevel: 'error' },
      call: { iceServers: [] },
    },
    environment,
  )
}

/** Hands the grant's tokens to the client (configured first); returns the account's user id. */
function applyGrant(client: Client, grant: Grant, config: UserConfig | undefined): string {
  if (config !== undefined) client.updateConfig(config)
  client.setTokens({ accessToken: grant.accessToken, idToken: grant.idToken })
  const userId = client.getUserInfo().username
  if (userId === undefined) throw new Error('the platform issued tokens the SDK cannot use')
  return userId
}

/** The next grant: a refresh grant when the platform gave a refresh token, the password grant again otherwise. */
function renewed(current: Grant, credentials: Credentials): Promise<Grant> {
  return current.refreshToken === undefined
    ? login(credentials.server, credentials.user, credentials.password, credentials.fetcher)
    : refresh(credentials.server, current.refreshToken, credentials.fetcher)
}

/** Refreshes the tokens at 80 % of their lifetime, again and again. */
function refreshedGrants(client: Pick<Client, 'setTokens'>, current: Grant, credentials: Credentials, scheduler: SchedulerLike): Observable<Grant> {
  return timer(current.expiresIn * 800, scheduler).pipe(
    mergeMap(() => from(renewed(current, credentials))),
    mergeMap((next) => {
      client.setTokens({ accessToken: next.accessToken, idToken: next.idToken })
      return concat(of(next), refreshedGrants(client, next, credentials, scheduler))
    }),
  )
}

/** What `messages:change` and `conversations:change` report. */
interface ChangedConversation {
  readonly destination?: readonly string[]
  readonly type?: ChatType
  readonly messageId?: string
}

/** The changes of the client's conversations and of their messages. */
function conversationChanges(client: Pick<Client, 'on' | 'off'>): Observable<ChangedConversation> {
  return new Observable<ChangedConversation>((subscriber) => {
    const listener = (payload: unknown): void => {
      if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) subscriber.next(payload)
    }
    client.on('messages:change', listener)
    client.on('conversations:change', listener)
    return () => {
      client.off('messages:change', listener)
      client.off('conversations:change', listener)
    }
  })
}

/** Every message someone other than the agent sends, once each across all subscribers. */
function inboundMessages(client: Pick<Client, 'on' | 'off' | 'conversation' | 'getUserInfo'>, userId: string): Observable<InboundMessage> {
  const addresses = new Set([userId, client.getUserInfo().identity].filter((value): value is string => value !== undefined).map((value) => value.toLowerCase()))
  const handled = new Set<string>()
  return conversationChanges(client).pipe(
    mergeMap((change) => {
      const destination = change.destination?.[0]
      const { type, messageId } = change
      if (destination === undefined || type === undefined || typeof messageId !== 'string' || handled.has(messageId)) return []
      const message = client.conversation.get(destination, { type })?.getMessage(messageId)
      // The agent's own sends carry a local id (and its address as the sender).
      if (message === undefined || message.localId !== undefined) return []
      if (message.sender !== undefined && addresses.has(message.sender.toLowerCase())) return []
      handled.add(messageId)
      if (handled.size > rememberedMessages) handled.delete(handled.values().next().value as string)
      return [{ destination, type, sender: message.sender, text: textOf(message.parts), messageId }]
    }),
  )
}

/** The conversation with `destination`, created when missing. */
function conversationWith(client: Pick<Client, 'conversation'>, destination: string, type: ChatType): Conversation {
  return client.conversation.get(destination, { type }) ?? client.conversation.create(destination, { type })
}

/**
 * Logs in as an account through the platform's token endpoint, creates a Node SDK client,
 * subscribes it and keeps its tokens fresh (refresh grant at 80 % of their lifetime).
 *
 * const agent = await startAgent({ server: platform.url, user: 'typing@example.com', password: 'password', services: ['chat'] })
 */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  const server = new URL(options.server)
  const environment = nodeEnvironment(options.media)
  const credentials: Credentials = { server: server.toString(), user: options.user, password: options.password, fetcher: environment.fetch ?? fetch }
  const scheduler = options.scheduler ?? asyncScheduler
  const services = options.services ?? allServices
  const writeLog = options.log ?? (() => undefined)

  const grant = await login(credentials.server, credentials.user, credentials.password, credentials.fetcher).catch((error: unknown) => {
    throw new Error(`${options.user}: ${(error as Error).message}`)
  })
  const client = agentClient(server, options.user, environment)
  const running = new Subscription()
  let stopped = false
  const stop = (): void => {
    if (stopped) return
    stopped = true
    running.unsubscribe()
    client.dispose()
    environment.media.dispose()
  }

  try {
    const userId = applyGrant(client, grant, options.config)
    if (services.length > 0) await subscribed(client, services, options.timeout ?? 10000)
    const log = (line: string): void => writeLog(`[${userId}] ${line}`)
    running.add(refreshedGrants(client, grant, credentials, scheduler).subscribe({ error: (error: unknown) => log(`could not refresh its tokens: ${(error as Error).message}`) }))
    running.add(hangUpOnFailedMedia(client, environment.media, log))
    const messages$ = inboundMessages(client, userId)
    const send = (destination: string, type: ChatType, text: string): void => conversationWith(client, destination, type).createMessage(text).send()

    return {
      client,
      media: environment.media,
      userId,
      scheduler,
      incomingCalls$: incomingCalls(client),
      messages$,
      events: <T>(name: EventName) => eventsOf<T>(client, name),
      remoteTracks: (callId) => remoteTracks(client, environment.media, callId),
      callStates: (callId) => callStates(client, callId),
      mediaFailed: (callId) => mediaFailed(client, environment.media, callId),
      send,
      reply: (message, text) => send(message.destination, message.type, text),
      setTyping: (destination, type, isTyping) => conversationWith(client, destination, type).setIsTyping(isTyping),
      log,
      // Once stopped, `add` runs the teardown at once.
      own: (teardown) => running.add(teardown),
      stop,
    }
  } catch (error) {
    stop()
    throw new Error(`${options.user}: ${(error as Error).message}`)
  }
}
