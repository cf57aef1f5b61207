import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import {
  BehaviorSubject,
  EMPTY,
  Subject,
  Subscription,
  catchError,
  concatMap,
  defer,
  distinctUntilChanged,
  expand,
  filter,
  finalize,
  forkJoin,
  from,
  groupBy,
  map,
  merge,
  mergeMap,
  of,
  reduce,
  scan,
  switchMap,
  tap,
  type Observable,
  type SchedulerLike,
} from 'rxjs'
import type { ConfigFeature } from '../config/feature.js'
import type { AuthUser, PlatformLink } from '../connection/link.js'
import type { Environment } from '../environment.js'
import { BasicError, errorCodes, isBasicError } from '../errors.js'
import type { Feature } from '../feature.js'
import type { Logs } from '../logs/logger.js'
import { messagingNotificationKinds, type ChatMessageBody, type FileUploadResponse, type SmsSendBody } from './codecs.js'
import { conversationOfSession, conversationOfThread, messageOfHistory, messageOfSmsHistory, notificationEvents } from './inbound.js'
import { fileNameOf, isUploaded, messageError } from './parts.js'
import {
  deleteConversation,
  deleteMessage,
  downloadAttachment,
  fetchChatHistory,
  fetchChatSessions,
  fetchSmsHistory,
  fetchSmsThreads,
  sendChatMessage,
  sendIsComposing,
  sendSms,
  uploadFile,
  uploadRootFields,
} from './requests.js'
import {
  conversationKey,
  findConversation,
  findMessage,
  initialMessagingState,
  messageIdOf,
  messagingReducer,
  smsDeliveryStatus,
  sortTime,
  type ChatType,
  type Conversation,
  type FilePart,
  type Message,
  type MessagingEvent,
  type MessagingOperation,
  type MessagingState,
  type Part,
  type TextPart,
} from './state.js'

export interface MessagingDeps {
  readonly link: PlatformLink
  readonly config: ConfigFeature
  readonly environment: Environment
  readonly logs: Logs
  /**
   * Emits, each time the notification socket is open again after it was lost, the time it was
   * lost (milliseconds, the environment's clock; see `socketReopened`). Messaging then re-fetches
   * the history of conversations that changed since, so that nothing the channel may have
   * missed stays missing.
   */
  readonly reconnected$?: Observable<number>
}

export interface MessagingCommands {
  /** The conversation with this identity; created (`conversationCreated`) when missing. */
  create(destination: readonly string[], type: ChatType): Conversation
  /** Lists the user's conversations of one type on the platform; they replace the local ones with the same identity. */
  fetchConversations(type: ChatType): void
  /**
   * Sends a message: it is stored at once as pending, then sent (files uploaded first) and
   * marked sent or failed with the error. Sends of one conversation go out in order. Returns
   * the message's local id, or undefined when the parts are refused (reported as `messagingFailed`).
   */
  send(destination: readonly string[], type: ChatType, parts: readonly Part[]): string | undefined
  /** Fetches a page of `amount` messages: the newest first, then older pages on each further call. */
  fetchMessages(destination: readonly string[], type: ChatType, amount: number): void
  clearMessages(destination: readonly string[], type: ChatType): void
  deleteMessages(destination: readonly string[], type: ChatType, messageIds: readonly string[]): void
  deleteConversation(destination: readonly string[], type: ChatType): void
  /** Tells the other participants whether the user is typing (chat conversations only). */
  setIsTyping(destination: readonly string[], type: ChatType, isTyping: boolean): void
  /** Downloads the files of a message (by local id or message id) and stores an object URL per file part as `url`. */
  createImageLinks(destination: readonly string[], type: ChatType, ref: string): void
  markRead(destination: readonly string[], type: ChatType, messageId: string): void
  /** Reports a misuse found outside a command (an invalid part given to `addPart`). */
  reportError(operation: MessagingOperation, error: BasicError): void
}

export interface MessagingFeature extends Feature<MessagingState, MessagingEvent, MessagingCommands> {
  /** Hot; replays the latest conversations (in creation order). */
  readonly conversations$: Observable<readonly Conversation[]>
  /** The state, synchronously. */
  readonly current: () => MessagingState
  readonly dispose: () => void
}

/** Events that say nothing when they changed nothing (a duplicate notification, a second deletion). */
const silentWhenUnchanged: ReadonlySet<MessagingEvent['type']> = new Set([
  'conversationCreated',
  'messageReceived',
  'messageDeleted',
  'conversationDeleted',
  'deliveryStatusChanged',
  'messageRead',
  'historyRequested',
  'linksRequested',
  'linksSettled',
])

/** Typing indicators of the same state are sent again only after this long (the platform's refresh is 60 s). */
const typingRefreshMs = 30_000
/** How far before the loss of the socket recovery looks (clocks of client and platform differ). */
const recoverySlackMs = 30_000
const recoveryPage = 50
const recoveryPages = 20

const noUser = (): BasicError => new BasicError(errorCodes.general.BAD_INPUT, 'No user: set the tokens (setTokens) before using messaging')

const asBasicError = (error: unknown, operation: string): BasicError =>
  isBasicError(error) ? error : new BasicError(errorCodes.general.NO_CODE, `${operation} failed: ${error instanceof Error ? error.message : String(error)}`)

const isText = (part: Part): part is TextPart => part.type === 'text'
const isFile = (part: Part): part is FilePart => part.type === 'file'

/** The attribute list of an upload as a map; OMA-style array values give their first element (`messaging.md` §3.3). */
function uploadedPart(response: FileUploadResponse): FilePart {
  const attributes: Record<string, string | number> = {}
  for (const { name, value } of response.object.attributes.attribute) {
    const first = Array.isArray(value) ? value[0] : value
    if (first !== undefined) attributes[name] = first
  }
  const { name, link } = attributes
  if (typeof name !== 'string' || typeof attributes['x-id'] !== 'string' || typeof link !== 'string') {
    throw new BasicError(errorCodes.messaging.FILE_UPLOAD_FAIL, 'Upload file request failed: the response lacks name, x-id or link')
  }
  return { ...attributes, type: 'file', name, rawURL: link }
}

/** The send response's SMS status: mapped, undefined when unknown (`messaging.md` §4). */
const smsSendStatus = (status: string | undefined): string | undefined => {
  const mapped = smsDeliveryStatus(status)
  return mapped === 'Unknown' ? undefined : mapped
}

/**
 * Emits, when the notification socket opens again after it was lost (or after reconnection gave
 * up and a new connection was made), the time it was lost: what messaging's `reconnected$`
 * wants from the connection feature's events.
 *
 * createMessaging({ ...core, link, reconnected$: socketReopened(connection.events$, environment.scheduler) })
 */
export const socketReopened = (connectionEvents$: Observable<{ readonly type: string }>, scheduler: SchedulerLike): Observable<number> =>
  connectionEvents$.pipe(
    scan(
      (seen: { readonly lostAt: number | undefined; readonly reopened: number | undefined }, event) => {
        if (event.type === 'opened') return { lostAt: undefined, reopened: seen.lostAt }
        const lost = event.type === 'lost' || event.type === 'gaveUp'
        return { lostAt: seen.lostAt ?? (lost ? scheduler.now() : undefined), reopened: undefined }
      },
      { lostAt: undefined, reopened: undefined },
    ),
    mergeMap((seen) => (seen.reopened === undefined ? EMPTY : of(seen.reopened))),
  )

/**
 * Messaging as streams: conversations and their messages as hot state, commands for chat,
 * group chat and SMS, and the notifications that change them.
 *
 * const messaging = createMessaging({ link, config, environment, logs, reconnected$ })
 * messaging.conversations$.subscribe(render)
 * messaging.commands.send(['bob@example.com'], 'chat-oneToOne', [{ type: 'text', text: 'Hi' }])
 */
export function createMessaging(deps: MessagingDeps): MessagingFeature {
  const { link, config, environment } = deps
  const logger = deps.logs.logger('messaging')
  const state = new BehaviorSubject<MessagingState>(initialMessagingState)
  const events = new Subject<MessagingEvent>()
  const effects = new Subscription()
  const objectUrls = new Set<string>()
  const typingSent = new Map<string, { readonly state: 'active' | 'idle'; readonly at: number }>()
  let disposed = false

  const dispatch = (event: MessagingEvent): void => {
    if (disposed) return
    const previous = state.getValue()
    const next = messagingReducer(previous, event)
    logger.action(event, previous, next)
    if (next !== previous) state.next(next)
    else if (silentWhenUnchanged.has(event.type)) return
    events.next(event)
  }

  /** Runs an effect owned by the feature (ended by `dispose`); it must report its own failures as events. */
  const run = (work$: Observable<unknown>): void => {
    if (disposed) return
    const owner = new Subscription()
    effects.add(owner)
    owner.add(
      work$.subscribe({
        error: (error: unknown) => logger.error('A messaging effect failed', error instanceof Error ? error.message : error),
        complete: () => effects.remove(owner),
      }),
    )
  }

  // Effects that must not overlap for one key (sends of a conversation; its history pages) run one after another.
  const queue = new Subject<{ readonly key: string; readonly work$: Observable<unknown> }>()
  effects.add(
    queue
      .pipe(
        groupBy((job) => job.key),
        mergeMap((jobs) => jobs.pipe(concatMap((job) => job.work$.pipe(catchError(() => EMPTY))))),
      )
      .subscribe(),
  )
  const enqueue = (key: string, work$: Observable<unknown>): void => {
    if (!disposed) queue.next({ key, work$ })
  }

  const withUser = <A>(work: (user: AuthUser) => Observable<A>): Observable<A> =>
    defer(() => {
      const user = link.user()
      if (!user) throw noUser()
      return work(user)
    })

  const smsSender = (): string => config.current().messaging.smsFrom ?? 'default'
  const version = (): string => config.current().authentication.server.version

  // ── Sending ──────────────────────────────────────────────────────────────────────────────

  const upload$ = (user: AuthUser, part: FilePart): Observable<FilePart> =>
    defer(() => {
      const FormDataClass = environment.FormData
      if (!FormDataClass) throw new BasicError(errorCodes.messaging.FILE_UPLOAD_FAIL, 'Upload file request failed: no FormData in this environment')
      const form = new FormDataClass()
      form.append('root-fields', uploadRootFields)
      form.append('raw', part.file as Blob, fileNameOf(part))
      return uploadFile(link, user.username, form).pipe(map(uploadedPart))
    })

  interface Sent {
    readonly messageId: string
    readonly sender: string | undefined
    readonly deliveryStatus: string | undefined
    readonly parts: readonly Part[]
  }

  const sendChat$ = (user: AuthUser, destination: string, type: ChatType, parts: readonly Part[]): Observable<Sent> => {
    const files = parts.filter(isFile)
    const texts = parts.filter(isText)
    const uploads$ = files.length === 0 ? of([] as FilePart[]) : forkJoin(files.map((file) => (isUploaded(file) ? of(file) : upload$(user, file))))
    return uploads$.pipe(
      concatMap((uploaded) => {
        const body: ChatMessageBody = {
          chatMessage: {
            text: texts[0]?.text ?? '',
            ...(uploaded.length > 0 ? { attachment: uploaded.map((file) => ({ name: file.name ?? '', 'x-id': String(file['x-id']) })) } : {}),
          },
        }
        return sendChatMessage(link, user.username, version(), type, destination, body).pipe(
          map(({ chatMessage }) => {
            const messageId = messageIdOf(chatMessage.resourceURL)
            if (!messageId) throw new BasicError(errorCodes.general.NO_CODE, 'Send chat message request failed: the response has no message id')
            return { messageId, sender: chatMessage.senderAddress, deliveryStatus: chatMessage.status, parts: [...texts, ...uploaded] }
          }),
        )
      }),
    )
  }

  const sendSms$ = (user: AuthUser, destination: string, parts: readonly Part[]): Observable<Sent> => {
    const text = parts.find(isText)?.text ?? ''
    const clientCorrelator = config.current().authentication.clientCorrelator
    const body: SmsSendBody = {
      outboundSMSMessageRequest: {
        address: [destination],
        ...(clientCorrelator === undefined ? {} : { clientCorrelator }),
        outboundSMSTextMessage: { message: text },
      },
    }
    return sendSms(link, user.username, smsSender(), body).pipe(
      map(({ outboundSMSMessageRequest: response }) => {
        const messageId = messageIdOf(response.resourceURL)
        const info = response.deliveryInfoList.deliveryInfo[0]
        if (!messageId || !info) throw new BasicError(errorCodes.messaging.SEND_MESSAGE_FAIL, 'Send SMS request failed: the response has no message id or delivery status')
        return { messageId, sender: user.username, deliveryStatus: smsSendStatus(info.deliveryStatus), parts: parts.filter(isText) }
      }),
    )
  }

  const send = (destination: readonly string[], type: ChatType, parts: readonly Part[]): string | undefined => {
    const refused = messageError(parts, type)
    if (refused) {
      dispatch({ type: 'messagingFailed', operation: 'send', error: refused })
      return undefined
    }
    const localId = environment.randomId()
    const user = link.user()
    const target = { destination, chatType: type }
    dispatch({
      type: 'messageSending',
      ...target,
      message: {
        messageId: undefined,
        localId,
        sender: type === 'sms' ? user?.username : (user?.identity ?? user?.username),
        timestamp: Math.floor(environment.scheduler.now() / 1000),
        parts,
        isPending: true,
        read: false,
        type,
      },
    })
    const to = destination[0] as string
    enqueue(
      `send:${conversationKey(destination, type)}`,
      withUser((current) => (type === 'sms' ? sendSms$(current, to, parts) : sendChat$(current, to, type, parts))).pipe(
        map((sent): MessagingEvent => ({ type: 'messageSent', ...target, localId, ...sent })),
        catchError((error: unknown) => {
          // The platform's copy of this send already arrived: it was delivered, only the answer got lost.
          const copied = findConversation(state.getValue(), destination, type)?.messages.find((message) => message.localId === localId && message.messageId)
          if (copied?.messageId) {
            logger.warn('A send failed after the platform had delivered it; keeping it as sent', asBasicError(error, 'Send message').message)
            const sender = link.user()
            return of<MessagingEvent>({ type: 'messageSent', ...target, localId, messageId: copied.messageId, sender: sender?.identity ?? sender?.username, deliveryStatus: 'Sent', parts: copied.parts })
          }
          return of<MessagingEvent>({
            type: 'messageSendFailed',
            ...target,
            localId,
            error: asBasicError(error, 'Send message'),
            ...(type === 'sms' ? { deliveryStatus: 'Failed' } : {}),
          })
        }),
        tap(dispatch),
      ),
    )
    return localId
  }

  // ── History ──────────────────────────────────────────────────────────────────────────────

  interface Page {
    readonly messages: readonly Message[]
    readonly next: string | undefined
  }

  const defined = <T>(value: T | undefined): value is T => value !== undefined

  const historyPage$ = (user: AuthUser, destination: readonly string[], type: ChatType, max: number, next: string | undefined): Observable<Page> => {
    const remote = destination[0] as string
    return type === 'sms'
      ? fetchSmsHistory(link, user.username, remote, smsSender(), max, next).pipe(
          map(({ smsMessageList }) => ({
            messages: smsMessageList.smsMessage.map((item) => messageOfSmsHistory(item, user.username, remote)).filter(defined),
            next: smsMessageList.next,
          })),
        )
      : fetchChatHistory(link, user.username, type, remote, max, next).pipe(
          map(({ chatMessageList }) => ({ messages: chatMessageList.chatMessage.map(messageOfHistory).filter(defined), next: chatMessageList.next })),
        )
  }

  const newIds = (destination: readonly string[], type: ChatType, messages: readonly Message[]): readonly string[] => {
    const held = new Set(findConversation(state.getValue(), destination, type)?.messages.map((message) => message.messageId) ?? [])
    return messages.flatMap((message) => (message.messageId && !held.has(message.messageId) ? [message.messageId] : []))
  }

  const fetchMessages = (destination: readonly string[], type: ChatType, amount: number): void => {
    const target = { destination, chatType: type }
    enqueue(
      `history:${conversationKey(destination, type)}`,
      defer(() => {
        const conversation = findConversation(state.getValue(), destination, type)
        if (!conversation) {
          return of<MessagingEvent>({
            type: 'messagingFailed',
            operation: 'fetchMessages',
            error: new BasicError(errorCodes.general.BAD_INPUT, `No ${type} conversation with ${destination.join(', ')}`),
          })
        }
        const next = conversation.history.fetched ? conversation.history.next : undefined
        dispatch({ type: 'historyRequested', ...target })
        return withUser((user) => historyPage$(user, destination, type, amount, next)).pipe(
          map(
            (page): MessagingEvent => ({
              type: 'historyFetched',
              ...target,
              messages: page.messages,
              next: page.next,
              page: next === undefined ? 'latest' : 'older',
              recovered: false,
              newMessageIds: newIds(destination, type, page.messages),
              newConversation: false,
            }),
          ),
          catchError((error: unknown) => of<MessagingEvent>({ type: 'historyFailed', ...target, error: asBasicError(error, 'Fetch messages') })),
        )
      }).pipe(tap(dispatch)),
    )
  }

  const conversationList$ = (user: AuthUser, type: ChatType): Observable<readonly Conversation[]> =>
    type === 'sms'
      ? fetchSmsThreads(link, user.username).pipe(map(({ smsThreadList }) => smsThreadList.smsThread.map(conversationOfThread)))
      : fetchChatSessions(link, user.username, type).pipe(map(({ chatSessionList }) => chatSessionList.chatSession.map(conversationOfSession).filter(defined)))

  /**
   * The messages a conversation may have missed since `since`: pages back from the newest until
   * a page reaches a message at or before `since` (at most `recoveryPages` pages).
   */
  const missedMessages$ = (user: AuthUser, found: Conversation, since: number): Observable<readonly Message[]> => {
    const reachesSince = (page: Page): boolean => page.messages.some((message) => sortTime(message.timestamp) <= since)
    const fetchPage = (next: string | undefined) => historyPage$(user, found.destination, found.type, recoveryPage, next)
    return fetchPage(undefined).pipe(
      expand((page, index) => (page.next !== undefined && !reachesSince(page) && index + 1 < recoveryPages ? fetchPage(page.next) : EMPTY)),
      reduce((messages: readonly Message[], page) => [...page.messages, ...messages], []),
    )
  }

  /**
   * After a reconnect: re-fetches the history of every conversation with activity since the
   * socket was lost (`lostAt`, less a margin for clock differences), back to that time. What the
   * platform queued for the socket arrives too; message ids keep each message once.
   */
  const recover$ = (lostAt: number): Observable<MessagingEvent> =>
    withUser((user) => {
      const since = lostAt - recoverySlackMs
      const list = (type: ChatType) =>
        conversationList$(user, type).pipe(
          catchError((error: unknown) => {
            logger.warn(`Could not list ${type} conversations after a reconnect`, asBasicError(error, 'Fetch conversations').message)
            return of([] as readonly Conversation[])
          }),
        )
      const missed = (found: Conversation): boolean => found.lastReceived !== undefined && found.lastReceived >= since
      return forkJoin([list('chat-oneToOne'), list('chat-group'), list('sms')]).pipe(
        mergeMap((lists) => from(lists.flat().filter(missed))),
        mergeMap(
          (found) =>
            missedMessages$(user, found, since).pipe(
              map(
                (messages): MessagingEvent => ({
                  type: 'historyFetched',
                  destination: found.destination,
                  chatType: found.type,
                  messages,
                  next: undefined,
                  page: 'latest',
                  recovered: true,
                  newMessageIds: newIds(found.destination, found.type, messages),
                  newConversation: findConversation(state.getValue(), found.destination, found.type) === undefined,
                }),
              ),
              catchError((error: unknown) => {
                logger.warn('Could not re-fetch a conversation after a reconnect', asBasicError(error, 'Fetch messages').message)
                return EMPTY
              }),
            ),
          4,
        ),
        filter((event) => event.type !== 'historyFetched' || event.newMessageIds.length > 0),
      )
    }).pipe(
      catchError((error: unknown) => {
        logger.warn('Could not recover messages after a reconnect', asBasicError(error, 'Recover').message)
        return EMPTY
      }),
    )

  // ── Inbound notifications and reconnects ─────────────────────────────────────────────────

  const kinds: ReadonlySet<string> = new Set(messagingNotificationKinds)
  effects.add(
    link.notifications$.pipe(filter((notification) => kinds.has(notification.kind))).subscribe((notification) => {
      pipe(
        notificationEvents(notification, state.getValue(), environment.scheduler.now()),
        E.fold(
          (error) => {
            logger.warn(`Ignored a ${notification.kind}: ${error.message}`)
            dispatch({ type: 'messagingFailed', operation: 'notification', error })
          },
          (caused) => caused.forEach(dispatch),
        ),
      )
    }),
  )

  if (deps.reconnected$) effects.add(deps.reconnected$.pipe(switchMap(recover$)).subscribe(dispatch))

  // ── Commands ─────────────────────────────────────────────────────────────────────────────

  const objectUrlOf = (blob: Blob): string => {
    const create = (globalThis.URL as { createObjectURL?: (blob: Blob) => string } | undefined)?.createObjectURL
    if (typeof create !== 'function') throw new BasicError(errorCodes.general.NO_CODE, 'Cannot create an image link: no URL.createObjectURL in this environment')
    const url = create.call(globalThis.URL, blob)
    objectUrls.add(url)
    return url
  }

  const imageLinkFailed = (error: unknown): MessagingEvent => ({
    type: 'messagingFailed',
    operation: 'createImageLinks',
    error: asBasicError(error, 'Download attachment'),
  })

  const commands: MessagingCommands = {
    create: (destination, type) => {
      const held = findConversation(state.getValue(), destination, type)
      if (held) return held
      const user = link.user()
      const address = type === 'sms' ? config.current().messaging.smsFrom : (user?.identity ?? user?.username)
      dispatch({ type: 'conversationCreated', destination, chatType: type, ...(address === undefined ? {} : { address }) })
      return findConversation(state.getValue(), destination, type) as Conversation
    },

    fetchConversations: (type) =>
      run(
        withUser((user) => conversationList$(user, type)).pipe(
          map((conversations): MessagingEvent => ({ type: 'conversationsFetched', conversations })),
          catchError((error: unknown) =>
            of<MessagingEvent>({ type: 'messagingFailed', operation: 'fetchConversations', error: asBasicError(error, 'Fetch conversations') }),
          ),
          tap(dispatch),
        ),
      ),

    send,

    fetchMessages,

    clearMessages: (destination, type) => dispatch({ type: 'messagesCleared', destination, chatType: type }),

    deleteMessages: (destination, type, messageIds) => {
      for (const messageId of messageIds) {
        run(
          withUser((user) => deleteMessage(link, user.username, type, destination[0] as string, smsSender(), messageId)).pipe(
            map((): MessagingEvent => ({ type: 'messageDeleted', destination, chatType: type, messageId, remote: false })),
            catchError((error: unknown) => of<MessagingEvent>({ type: 'messagingFailed', operation: 'deleteMessage', error: asBasicError(error, 'Delete message') })),
            tap(dispatch),
          ),
        )
      }
    },

    deleteConversation: (destination, type) =>
      run(
        withUser((user) => deleteConversation(link, user.username, type, destination[0] as string, smsSender())).pipe(
          map((): MessagingEvent => ({ type: 'conversationDeleted', destination, chatType: type, remote: false })),
          catchError((error: unknown) =>
            of<MessagingEvent>({ type: 'messagingFailed', operation: 'deleteConversation', error: asBasicError(error, 'Delete conversation') }),
          ),
          tap(dispatch),
        ),
      ),

    setIsTyping: (destination, type, isTyping) => {
      if (type === 'sms') {
        dispatch({
          type: 'messagingFailed',
          operation: 'setIsTyping',
          error: new BasicError(errorCodes.messaging.SET_IS_TYPING_FAIL, 'Typing indicators exist only in chat conversations, not in SMS'),
        })
        return
      }
      const key = conversationKey(destination, type)
      const wanted = isTyping ? 'active' : 'idle'
      const now = environment.scheduler.now()
      const last = typingSent.get(key)
      if (last && last.state === wanted && (wanted === 'idle' || now - last.at < typingRefreshMs)) return
      typingSent.set(key, { state: wanted, at: now })
      run(
        withUser((user) => sendIsComposing(link, user.username, type, destination[0] as string, wanted, now)).pipe(
          catchError((error: unknown) => {
            typingSent.delete(key)
            dispatch({ type: 'messagingFailed', operation: 'setIsTyping', error: asBasicError(error, 'Set is typing') })
            return EMPTY
          }),
        ),
      )
    },

    createImageLinks: (destination, type, ref) => {
      const conversation = findConversation(state.getValue(), destination, type)
      const message = conversation ? findMessage(conversation, ref) : undefined
      if (!message) {
        dispatch({ type: 'messagingFailed', operation: 'createImageLinks', error: new BasicError(errorCodes.general.BAD_INPUT, `No message ${ref} in this conversation`) })
        return
      }
      const files = message.parts.flatMap((part, partIndex) =>
        part.type === 'file' && typeof part.rawURL === 'string' && part.url === undefined ? [{ rawURL: part.rawURL, partIndex }] : [],
      )
      if (files.length === 0) return
      const target = { destination, chatType: type, ref }
      dispatch({ type: 'linksRequested', ...target })
      run(
        withUser((user) =>
          merge(
            ...files.map(({ rawURL, partIndex }) =>
              downloadAttachment(environment, rawURL, user.accessToken).pipe(
                map((blob): MessagingEvent => ({ type: 'linkCreated', ...target, partIndex, url: objectUrlOf(blob) })),
                catchError((error: unknown) => of<MessagingEvent>(imageLinkFailed(error))),
              ),
            ),
          ),
        ).pipe(
          catchError((error: unknown) => of<MessagingEvent>(imageLinkFailed(error))),
          tap(dispatch),
          finalize(() => dispatch({ type: 'linksSettled', ...target })),
        ),
      )
    },

    markRead: (destination, type, messageId) => dispatch({ type: 'messageRead', destination, chatType: type, messageId }),

    reportError: (operation, error) => dispatch({ type: 'messagingFailed', operation, error }),
  }

  const state$ = state.asObservable()
  return {
    state$,
    events$: events.asObservable(),
    conversations$: state$.pipe(
      map((current) => current.conversations),
      distinctUntilChanged(),
      map((conversations) => conversations.values()),
    ),
    current: () => state.getValue(),
    commands,
    dispose: () => {
      if (disposed) return
      disposed = true
      effects.unsubscribe()
      queue.complete()
      const revoke = (globalThis.URL as { revokeObjectURL?: (url: string) => void } | undefined)?.revokeObjectURL
      if (typeof revoke === 'function') for (const url of objectUrls) revoke.call(globalThis.URL, url)
      objectUrls.clear()
      state.complete()
      events.complete()
    },
  }
}
