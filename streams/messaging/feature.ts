import { Subscription, map, type Observable } from 'rxjs'
import { badInput, shown, type BasicError } from '../errors.js'
import { select, storeFeature, type FeatureDeps, type StoreFeature } from '../feature.js'
import { isStrings } from '../guards.js'
import { definedFields } from '../record.js'
import { createStore } from '../store.js'
import { createImageLinks } from './attachments.js'
import { createDeletions } from './deletions.js'
import { createEarlyStatuses } from './early-statuses.js'
import { createEffects, failedTo, userRunner, type MessagingContext } from './effects.js'
import { createHistory } from './history.js'
import { receive } from './inbound.js'
import { recover } from './recovery.js'
import { createSend } from './send.js'
import { toChatType } from './model.js'
import { conversationKey, findConversation, initialMessagingState, messagingStep, type ChatType, type Conversation, type MessagingEvent, type MessagingOperation, type MessagingState, type Part } from './state.js'
import { createTyping } from './typing.js'

export { socketReopened } from './recovery.js'

export interface MessagingDeps extends FeatureDeps {
  /** The time the socket was lost, each time it is open again (`socketReopened`): messaging then re-fetches what it may have missed. */
  readonly reconnected$?: Observable<number>
}

/** Each command but `reportError` throws a BasicError `BAD_INPUT` for a destination that is no non-empty array of strings or a type that is no `ChatType`. */
export interface MessagingCommands {
  /** The conversation with this identity; created (`conversationCreated`) when missing. */
  create(destination: readonly string[], type: ChatType): Conversation
  /** Lists the user's conversations of one type on the platform; they replace the local ones with the same identity. */
  fetchConversations(type: ChatType): void
  /**
   * Sends a message: stored at once as pending, then sent (files uploaded first, sends of a conversation in order) and marked sent or failed.
   * Returns its local id, or undefined when the parts are refused (reported as `messagingFailed`).
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

export interface MessagingFeature extends StoreFeature<MessagingState, MessagingEvent, MessagingCommands> {
  /** Hot; replays the latest conversations (in creation order). */
  readonly conversations$: Observable<readonly Conversation[]>
}

/** The conversation type an app gave (an alias such as `chat` too); anything else throws a BasicError `BAD_INPUT`. */
const chatTypeOf = (command: string, type: unknown): ChatType => {
  const known = toChatType(type)
  if (known === undefined) throw badInput(`messaging.${command}: the type must be chat-oneToOne, chat-group or sms, not ${shown(type)}`)
  return known
}

/**
 * A command on one conversation as an app in JavaScript may call it: a destination that is no non-empty array of strings, or no conversation type,
 * throws a BasicError `BAD_INPUT`. The command gets a copy of the destination: the app may reuse its array.
 */
const targeted =
  <A extends unknown[], R>(command: string, run: (destination: readonly string[], type: ChatType, ...rest: A) => R) =>
  (destination: readonly string[], type: ChatType, ...rest: A): R => {
    if (!isStrings(destination) || destination.length === 0) throw badInput(`messaging.${command}: the destination must be a non-empty array of strings`)
    return run(Object.freeze([...destination]), chatTypeOf(command, type), ...rest)
  }

/**
 * Messaging as streams: conversations and their messages as hot state, and commands for chat, group chat and SMS.
 * A composition root: sending, history, recovery, typing, image links and inbound notifications are parts of their own.
 *
 * const messaging = createMessaging({ link, config, environment, logs, reconnected$ })
 * messaging.conversations$.subscribe(render)
 * messaging.commands.send(['bob@example.com'], 'chat-oneToOne', [{ type: 'text', text: 'Hi' }])
 */
export function createMessaging({ link, config, environment, logs, reconnected$ }: MessagingDeps): MessagingFeature {
  const logger = logs.logger('messaging')
  const store = createStore(initialMessagingState, messagingStep, logger)
  const running = new Subscription()
  const deletions = createDeletions()
  const early = createEarlyStatuses()
  const dispatch = (event: MessagingEvent): void => {
    if (running.closed) return
    if (event.type === 'conversationDeleted') deletions.deleted(conversationKey(event.destination, event.chatType))
    // A receipt faster than its send's answer waits for the answer, which names its message.
    if (event.type === 'deliveryStatusChanged' && early.kept(event, store.current())) return
    store.dispatch(event)
    for (const status of early.settled(event, store.current())) store.dispatch(status)
  }
  const effects = createEffects(logger, dispatch)
  const smsSender = (): string => config.current().messaging.smsFrom ?? 'default'
  const context: MessagingContext = { link, config, environment, logger, current: store.current, dispatch, effects, withUser: userRunner(link), smsSender, deletions }
  const imageLinks = createImageLinks(context)

  running.add(receive(context))
  if (reconnected$) running.add(recover(context, reconnected$))
  running.add(effects.dispose)
  running.add(imageLinks.revoke)

  const create = (destination: readonly string[], type: ChatType): Conversation => {
    const held = findConversation(store.current(), destination, type)
    if (held) return held
    const user = link.user()
    const address = type === 'sms' ? config.current().messaging.smsFrom : (user?.identity ?? user?.username)
    dispatch({ type: 'conversationCreated', destination, chatType: type, ...definedFields({ address }) })
    return findConversation(store.current(), destination, type) as Conversation
  }

  const history = createHistory(context)
  const commands: MessagingCommands = {
    create: targeted('create', create),
    send: targeted('send', createSend(context)),
    fetchConversations: (type) => history.fetchConversations(chatTypeOf('fetchConversations', type)),
    fetchMessages: targeted('fetchMessages', history.fetchMessages),
    deleteMessages: targeted('deleteMessages', (destination, type, messageIds: readonly string[]) => {
      if (!isStrings(messageIds)) throw badInput('messaging.deleteMessages: the message ids must be an array of strings')
      history.deleteMessages(destination, type, messageIds)
    }),
    deleteConversation: targeted('deleteConversation', history.deleteConversation),
    setIsTyping: targeted('setIsTyping', createTyping(context)),
    createImageLinks: targeted('createImageLinks', imageLinks.link),
    clearMessages: targeted('clearMessages', (destination, type) => dispatch({ type: 'messagesCleared', destination, chatType: type })),
    markRead: targeted('markRead', (destination, type, messageId: string) => dispatch({ type: 'messageRead', destination, chatType: type, messageId })),
    reportError: (operation, error) => dispatch(failedTo(operation)(error)),
  }

  return {
    ...storeFeature(store, running),
    conversations$: select(store.state$, (state) => state.conversations).pipe(map((conversations) => conversations.values())),
    commands,
  }
}
