// The bot framework: an agent is an SDK client in Node, logged in through the token endpoint as
// a (bot) account and subscribed, with the events a bot reacts to as Observables.
//
//   const agent = await startAgent({ server: 'http://127.0.0.1:8080', user: 'echo@example.com', password: 'password' })
//   agent.own(agent.incomingCalls$.subscribe((call) => agent.client.call.answer(call.id, { audio: true })))
//   agent.own(agent.messages$.subscribe((message) => agent.reply(message, `You said: ${message.text}`)))
//   agent.stop()
import { Observable, Subscription, asyncScheduler, concat, defer, distinctUntilChanged, filter, finalize, from, fromEvent, map, mergeMap, of, switchMap, take, takeUntil, takeWhile, timer, type SchedulerLike, type TeardownLogic } from 'rxjs'
import { create, type Client, type EventName, type UserConfig } from '../../lib/index.js'
import type { CallObject } from '../../lib/api/call.js'
import type { ChatType } from '../../streams/messaging/state.js'
import { nodeEnvironment, type NodeEnvironmentOptions, type NodeMedia } from './environment.js'
import { login, refresh, type Grant } from './login.js'

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

const ended = new Set(['Ended', 'Cancelled'])
/** How many handled message ids an agent remembers (so a long-running bot does not grow). */
const rememberedMessages = 1000

/** The documented events of a client as an Observable. */
export function eventsOf<T = unknown>(client: Pick<Client, 'on' | 'off'>, name: EventName): Observable<T> {
  return new Observable<T>((subscriber) => {
    const listener = (payload: unknown): void => subscriber.next(payload as T)
    client.on(name, listener)
    return () => client.off(name, listener)
  })
}

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

/**
 * Logs in as an account through the platform's token endpoint, creates a Node SDK client,
 * subscribes it and keeps its tokens fresh (refresh grant at 80 % of their lifetime).
 *
 * const agent = await startAgent({ server: platform.url, user: 'typing@example.com', password: 'password', services: ['chat'] })
 */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  const server = new URL(options.server)
  const environment = nodeEnvironment(options.media)
  const fetcher = environment.fetch ?? fetch
  const scheduler = options.scheduler ?? asyncScheduler
  const services = options.services ?? allServices
  const writeLog = options.log ?? (() => undefined)

  const grant = await login(server.toString(), options.user, options.password, fetcher).catch((error: unknown) => {
    throw new Error(`${options.user}: ${(error as Error).message}`)
  })
  const client = create(
    {
      authentication: {
        server: { base: server.hostname, protocol: server.protocol === 'https:' ? 'https' : 'http', port: server.port || (server.protocol === 'https:' ? '443' : '80') },
        clientCorrelator: `kandy-rx-bot-${options.user}`,
      },
      logs: { logLevel: 'error' },
      call: { iceServers: [] },
    },
    environment,
  )
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
    if (options.config !== undefined) client.updateConfig(options.config)
    client.setTokens({ accessToken: grant.accessToken, idToken: grant.idToken })
    const userId = client.getUserInfo().username
    if (userId === undefined) throw new Error('the platform issued tokens the SDK cannot use')
    if (services.length > 0) await subscribed(client, services, options.timeout ?? 10000)

    const addresses = new Set([userId, client.getUserInfo().identity].filter((value): value is string => value !== undefined).map((value) => value.toLowerCase()))
    const log = (line: string): void => writeLog(`[${userId}] ${line}`)

    /** Refreshes the tokens at 80 % of their lifetime, again and again. */
    const keepFresh = (current: Grant): Observable<Grant> =>
      timer(current.expiresIn * 800, scheduler).pipe(
        mergeMap(() => (current.refreshToken === undefined ? from(login(server.toString(), options.user, options.password, fetcher)) : from(refresh(server.toString(), current.refreshToken, fetcher)))),
        mergeMap((next) => {
          client.setTokens({ accessToken: next.accessToken, idToken: next.idToken })
          return concat(of(next), keepFresh(next))
        }),
      )
    running.add(keepFresh(grant).subscribe({ error: (error: unknown) => log(`could not refresh its tokens: ${(error as Error).message}`) }))

    const events = <T>(name: EventName): Observable<T> => eventsOf<T>(client, name)

    const callOf = (callId: string): CallObject | undefined => client.call.getById(callId)
    const callStates = (callId: string): Observable<string> =>
      concat(
        defer(() => of(callOf(callId)?.state)),
        events<{ callId: string }>('call:stateChange').pipe(
          filter((change) => change.callId === callId),
          map(() => callOf(callId)?.state),
        ),
      ).pipe(
        map((state) => state ?? 'Ended'),
        distinctUntilChanged(),
        takeWhile((state) => !ended.has(state), true),
      )

    const callEnded = (callId: string): Observable<string> =>
      callStates(callId).pipe(
        filter((state) => ended.has(state)),
        take(1),
      )

    const remoteTracks = (callId: string): Observable<MediaStreamTrack> =>
      concat(
        defer(() => from(callOf(callId)?.remoteTracks ?? [])),
        events<{ callId: string; local: boolean; trackId: string }>('call:newTrack').pipe(
          filter((added) => added.callId === callId && !added.local),
          map((added) => added.trackId),
        ),
      ).pipe(
        map((trackId) => environment.media.remote(trackId)),
        filter((track): track is MediaStreamTrack => track !== undefined),
        distinctUntilChanged(),
        takeUntil(callEnded(callId)),
      )

    const mediaFailed = (callId: string): Observable<void> =>
      remoteTracks(callId).pipe(
        take(1),
        map((track) => environment.media.connectionOf(track.id)),
        filter((connection): connection is RTCPeerConnection => connection !== undefined),
        switchMap((connection) =>
          concat(of(undefined), fromEvent(connection, 'connectionstatechange')).pipe(
            filter(() => connection.connectionState === 'failed'),
            take(1),
            map(() => undefined),
          ),
        ),
        takeUntil(callEnded(callId)),
      )

    // A call whose media connection failed has lost its other side (a closed tab, a crashed
    // client): hang up rather than hold it until someone notices.
    const watched = new Set<string>()
    running.add(
      events<{ callId: string }>('call:stateChange')
        .pipe(
          filter(({ callId }) => callOf(callId)?.state === 'Connected' && !watched.has(callId)),
          mergeMap(({ callId }) => {
            watched.add(callId)
            return mediaFailed(callId).pipe(
              map(() => callId),
              finalize(() => watched.delete(callId)),
            )
          }),
        )
        .subscribe((callId) => {
          log(`the media of call ${callId} failed: hanging up`)
          client.call.end(callId)
        }),
    )

    const incomingCalls$ = events<{ callId: string; error?: unknown }>('call:receive').pipe(
      filter((received) => received.error === undefined),
      map((received) => callOf(received.callId)),
      filter((call): call is CallObject => call !== undefined && call.state === 'Ringing'),
    )

    const handled = new Set<string>()
    const messages$ = new Observable<{ destination?: readonly string[]; type?: ChatType; messageId?: string }>((subscriber) => {
      const listener = (payload: unknown): void => {
        if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) subscriber.next(payload)
      }
      client.on('messages:change', listener)
      client.on('conversations:change', listener)
      return () => {
        client.off('messages:change', listener)
        client.off('conversations:change', listener)
      }
    }).pipe(
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

    const send = (destination: string, type: ChatType, text: string): void =>
      (client.conversation.get(destination, { type }) ?? client.conversation.create(destination, { type })).createMessage(text).send()

    return {
      client,
      media: environment.media,
      userId,
      scheduler,
      incomingCalls$,
      messages$,
      events,
      remoteTracks,
      callStates,
      mediaFailed,
      send,
      reply: (message, text) => send(message.destination, message.type, text),
      setTyping: (destination, type, isTyping) =>
        (client.conversation.get(destination, { type }) ?? client.conversation.create(destination, { type })).setIsTyping(isTyping),
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
