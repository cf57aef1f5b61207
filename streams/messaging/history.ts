import { defer, map, of, type Observable } from 'rxjs'
import type { AuthUser, PlatformLink } from '../connection/link.js'
import { BasicError, errorCodes } from '../errors.js'
import { failedTo, outcome$, type MessagingContext } from './effects.js'
import { conversationOfSession, conversationOfThread, messageOfHistory, messageOfSmsHistory } from './inbound.js'
import { holdsMessage } from './messages.js'
import { deleteConversation, deleteMessage, fetchChatHistory, fetchChatSessions, fetchSmsHistory, fetchSmsThreads } from './requests.js'
import { conversationKey, findConversation, type ChatType, type Conversation, type Message, type MessagingEvent, type MessagingState, type Target } from './state.js'

export interface Page {
  readonly messages: readonly Message[]
  readonly next: string | undefined
}

/** Where history comes from: the link, and the SMS sender address its SMS paths name. */
export type HistorySource = Pick<MessagingContext, 'link' | 'smsSender'>

const defined = <T>(value: T | undefined): value is T => value !== undefined

/** One page of a conversation's history: the newest `max` messages, or those before `next`. */
export function historyPage$({ link, smsSender }: HistorySource, user: AuthUser, { destination, chatType }: Target, max: number, next: string | undefined): Observable<Page> {
  const remote = destination[0] as string
  if (chatType !== 'sms') {
    return fetchChatHistory(link, user.username, chatType, remote, max, next).pipe(
      map(({ chatMessageList: list }) => ({ messages: list.chatMessage.map(messageOfHistory).filter(defined), next: list.next })),
    )
  }
  return fetchSmsHistory(link, user.username, remote, smsSender(), max, next).pipe(
    map(({ smsMessageList: list }) => ({ messages: list.smsMessage.map((item) => messageOfSmsHistory(item, user.username, remote)).filter(defined), next: list.next })),
  )
}

/** The user's conversations of one type on the platform. */
export const conversationList$ = (link: PlatformLink, user: AuthUser, type: ChatType): Observable<readonly Conversation[]> =>
  type === 'sms'
    ? fetchSmsThreads(link, user.username).pipe(map(({ smsThreadList }) => smsThreadList.smsThread.map(conversationOfThread)))
    : fetchChatSessions(link, user.username, type).pipe(map(({ chatSessionList }) => chatSessionList.chatSession.map(conversationOfSession).filter(defined)))

/** The ids of `messages` that the conversation does not hold yet. */
const newIds = (held: Conversation | undefined, messages: readonly Message[]): readonly string[] =>
  messages.flatMap((message) => (message.messageId && !holdsMessage(held, message.messageId) ? [message.messageId] : []))

/** The `historyFetched` event of a page: its new message ids are those the conversation does not hold now; only a recovered page may make a new conversation. */
export function historyFetched(current: () => MessagingState, target: Target, page: Page, older: boolean, recovered: boolean): MessagingEvent {
  const held = findConversation(current(), target.destination, target.chatType)
  return { type: 'historyFetched', ...target, ...page, page: older ? 'older' : 'latest', recovered, newMessageIds: newIds(held, page.messages), newConversation: recovered && held === undefined }
}

type Histories = Pick<MessagingContext, 'link' | 'smsSender' | 'current' | 'dispatch' | 'effects' | 'withUser' | 'deletions'>

/** The history commands: fetching conversations and pages of messages, deleting them on the platform. */
export function createHistory(context: Histories) {
  const { link, smsSender, current, dispatch, effects, withUser, deletions } = context

  /** The next page of a conversation: the newest first, then older ones (pages of one conversation one after another). */
  const fetchMessages = (destination: readonly string[], chatType: ChatType, amount: number): void => {
    const target = { destination, chatType }
    const page$ = defer((): Observable<MessagingEvent> => {
      const conversation = findConversation(current(), destination, chatType)
      if (!conversation) return of(failedTo('fetchMessages')(new BasicError(errorCodes.general.BAD_INPUT, `No ${chatType} conversation with ${destination.join(', ')}`)))
      const next = conversation.history.fetched ? conversation.history.next : undefined
      dispatch({ type: 'historyRequested', ...target })
      return outcome$(
        withUser((user) => historyPage$(context, user, target, amount, next)),
        (page) => historyFetched(current, target, page, next !== undefined, false),
        (error) => ({ type: 'historyFailed', ...target, error }),
      )
    })
    effects.enqueue(`history:${conversationKey(destination, chatType)}`, deletions.guarded(page$))
  }

  return {
    fetchMessages,
    fetchConversations: (type: ChatType): void =>
      effects.run(
        deletions.guarded(outcome$(withUser((user) => conversationList$(link, user, type)), (conversations) => ({ type: 'conversationsFetched', conversations }), failedTo('fetchConversations'))),
      ),
    deleteMessages: (destination: readonly string[], chatType: ChatType, messageIds: readonly string[]): void => {
      for (const messageId of messageIds) {
        const deleted$ = withUser((user) => deleteMessage(link, user.username, chatType, destination[0] as string, smsSender(), messageId))
        effects.run(outcome$(deleted$, () => ({ type: 'messageDeleted', destination, chatType, messageId, remote: false }), failedTo('deleteMessage')))
      }
    },
    deleteConversation: (destination: readonly string[], chatType: ChatType): void => {
      const deleted$ = withUser((user) => deleteConversation(link, user.username, chatType, destination[0] as string, smsSender()))
      effects.run(outcome$(deleted$, () => ({ type: 'conversationDeleted', destination, chatType, remote: false }), failedTo('deleteConversation')))
    },
  }
}
