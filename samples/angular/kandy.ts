import { DestroyRef, Injectable, inject } from '@angular/core'
import { createStreams, type AuthUser, type CallObject, type Conversation, type Message, type Streams, type UserConfig } from 'kandy-rx/streams'
import { Observable, combineLatest, defer, distinctUntilChanged, filter, from, map, merge, switchMap, take, tap, throwError } from 'rxjs'

// The SDK's view types, as the views of this sample use them.
export type { CallObject, Conversation, Message }
export type User = AuthUser | undefined

/** A person of the directory with their live presence. */
export interface Contact {
  readonly userId: string
  readonly name: string
  /** `Open` / `Closed`, undefined until the platform told. */
  readonly status: string | undefined
  /** `Available`, `Busy`, `OnThePhone`, …, undefined until the platform told. */
  readonly activity: string | undefined
  /** What they are doing, in their words (with the `ActivitiesOther` activity). */
  readonly note: string | undefined
  /** Messages from them not shown yet. */
  readonly unread: number
}

/** Call states after which a call never changes. */
const finished: readonly string[] = ['Ended', 'Cancelled']
const services = ['call', 'chat', 'presence'] as const
const oneToOne = 'chat-oneToOne'

/** The messages of a conversation the other side sent that were not read yet. */
const unreadFrom = (conversation: Conversation | undefined): readonly Message[] =>
  conversation?.messages.filter((message) => message.read === false && message.sender === conversation.destination[0]) ?? []

/** The local platform this page came from: same host, same port, no ICE servers needed on one machine. */
const config = (): UserConfig => {
  const secure = location.protocol === 'https:'
  return {
    authentication: {
      server: { base: location.hostname, protocol: secure ? 'https' : 'http', port: Number(location.port) || (secure ? 443 : 80) },
      clientCorrelator: `angular-sample-${Math.random().toString(36).slice(2, 10)}`,
    },
    call: { iceServers: [] },
    logs: { logLevel: 'warn' },
  }
}

/**
 * The SDK for the whole app: one `createStreams()` core, its Observables (bound in templates
 * with the `async` pipe) and its commands (called from components). Disposed with the app.
 */
@Injectable({ providedIn: 'root' })
export class Kandy {
  readonly streams: Streams = createStreams(config())

  /** The signed-in user, undefined before login. */
  readonly user$: Observable<User> = this.streams.auth.user$
  /** The notification socket is open. */
  readonly connected$: Observable<boolean> = this.streams.connection.state$.pipe(
    map((state) => state.connected),
    distinctUntilChanged(),
  )
  /** Everyone else in the directory, with their live presence, by name. */
  readonly contacts$: Observable<readonly Contact[]> = combineLatest([
    this.streams.users.users$,
    this.streams.presence.presence$,
    this.streams.messaging.conversations$,
    this.user$,
  ]).pipe(
    map(([users, presence, conversations, user]) =>
      Object.values(users)
        .filter((found) => found.userId !== user?.username)
        .map((found) => ({
          userId: found.userId,
          name: [found['firstName'], found['lastName']].filter((part) => typeof part === 'string' && part !== '').join(' ') || found.userId,
          status: presence[found.userId]?.status,
          activity: presence[found.userId]?.activity,
          note: presence[found.userId]?.note,
          unread: unreadFrom(conversations.find((conversation) => conversation.type === oneToOne && conversation.destination[0] === found.userId)).length,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ),
  )
  /** The call in progress (or ringing), if any: the newest one that has not ended. */
  readonly activeCall$: Observable<CallObject | undefined> = this.streams.call.calls$.pipe(map((calls) => [...calls].reverse().find((call) => !finished.includes(call.state))))

  constructor() {
    inject(DestroyRef).onDestroy(() => this.streams.dispose())
  }

  /**
   * Logs in with the platform's token endpoint (password grant), subscribes to calls, chat and
   * presence, publishes "available", and watches everyone in the directory. Emits once, then
   * completes; errors with the reason.
   */
  login(username: string, password: string): Observable<void> {
    const { streams } = this
    const body = new URLSearchParams({ grant_type: 'password', client_id: 'kandy-rx-angular', username, password, scope: 'openid' })
    const subscribed$ = merge(
      streams.subscription.subscriptions$.pipe(filter((current) => !current.isPending && services.every((service) => current.subscribed.includes(service)))),
      streams.subscription.events$.pipe(
        filter((event) => event.type === 'operationFailed' || event.type === 'requestRejected'),
        switchMap((event) => throwError(() => ('error' in event ? event.error : new Error('Could not subscribe')))),
      ),
    ).pipe(take(1))
    return defer(() => from(fetch('/cpaas/auth/v1/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body }))).pipe(
      switchMap((response) => from(response.json() as Promise<Record<string, unknown>>).pipe(map((json) => ({ ok: response.ok, json })))),
      map(({ ok, json }) => {
        if (!ok || typeof json.access_token !== 'string' || typeof json.id_token !== 'string') throw new Error(String(json.error_description ?? 'Wrong user or password'))
        return { accessToken: json.access_token, idToken: json.id_token }
      }),
      tap((tokens) => streams.auth.commands.setTokens(tokens)),
      tap(() => streams.subscription.commands.subscribe([...services])),
      switchMap(() => subscribed$),
      tap(() => {
        streams.presence.commands.update('Open', 'Available')
        streams.users.commands.search({})
      }),
      switchMap(() => streams.users.users$.pipe(filter((users) => Object.keys(users).length > 0), take(1))),
      tap((users) => {
        const others = Object.keys(users).filter((userId) => userId !== streams.auth.user()?.username)
        if (others.length > 0) streams.presence.commands.subscribe(others)
      }),
      map(() => undefined),
    )
  }

  /** Publishes the user's own activity (`Available`, `Busy`, …). */
  setActivity(activity: string): void {
    this.streams.presence.commands.update('Open', activity)
  }

  /** The one-to-one conversation with a contact (undefined until it exists), kept up to date. */
  conversation$(contact: string): Observable<Conversation | undefined> {
    return this.streams.messaging.conversations$.pipe(
      map((conversations) => conversations.find((conversation) => conversation.type === oneToOne && conversation.destination[0] === contact)),
      distinctUntilChanged(),
    )
  }

  /** Opens the conversation with a contact and fetches its latest messages. */
  openConversation(contact: string): void {
    this.streams.messaging.commands.create([contact], oneToOne)
    this.streams.messaging.commands.fetchMessages([contact], oneToOne, 50)
  }

  /** Marks what a conversation shows as read (the contacts list then shows no unread count). */
  markRead(conversation: Conversation): void {
    for (const message of unreadFrom(conversation)) {
      if (typeof message.messageId === 'string') this.streams.messaging.commands.markRead(conversation.destination, conversation.type, message.messageId)
    }
  }

  send(contact: string, text: string): void {
    this.streams.messaging.commands.send([contact], oneToOne, [{ type: 'text', text }])
  }

  setTyping(contact: string, typing: boolean): void {
    this.streams.messaging.commands.setIsTyping([contact], oneToOne, typing)
  }

  /** Calls a contact with audio and video; the call appears in `activeCall$`. */
  call(contact: string): string {
    return this.streams.call.commands.make(contact, { audio: true, video: true })
  }

  answer(callId: string): void {
    this.streams.call.commands.answer(callId, { audio: true, video: true })
  }

  reject(callId: string): void {
    this.streams.call.commands.reject(callId)
  }

  end(callId: string): void {
    this.streams.call.commands.end(callId)
  }

  /** The browser's tracks of a call, by track id, for a `<video>` element. */
  tracks(trackIds: readonly string[]): MediaStreamTrack[] {
    return trackIds.flatMap((trackId) => this.streams.media.track(trackId) ?? [])
  }
}
