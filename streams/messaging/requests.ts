import { Observable } from 'rxjs'
import type { PlatformLink } from '../connection/link.js'
import { pathSegment as segment } from '../connection/request.js'
import type { Environment } from '../environment.js'
import { BasicError, errorCodes } from '../errors.js'
import { ChatMessageListResponse, ChatSendResponse, ChatSessionListResponse, FileUploadResponse, SmsMessageListResponse, SmsSendResponse, SmsThreadListResponse } from './codecs.js'
import type { ChatMessageBody, ComposingState, IsComposingBody, SmsSendBody } from './codecs.js'
import type { ChatType } from './state.js'

// The messaging REST calls (`protocol/messaging.md` §2), each a cold Observable of one request.
// `version` is the configured `server.version`, used where the reference uses it (sends); every other path has the literal `v1`.

/** The chat resource of a conversation: `oneToOne/<destination>/adhoc` or `group/<groupId>`. */
const chatResource = (type: ChatType, destination: string): string =>
  type === 'chat-group' ? `group/${segment(destination)}` : `oneToOne/${segment(destination)}/adhoc`

const chatMessagesPath = (userId: string, version: string, type: ChatType, destination: string): string =>
  `/cpaas/chat/${segment(version)}/${segment(userId)}/${chatResource(type, destination)}/messages`

const smsThreadPath = (userId: string, destination: string, sender: string): string =>
  `/cpaas/smsmessaging/v1/${segment(userId)}/remoteAddresses/${segment(destination)}/localAddresses/${segment(sender)}`

export const sendChatMessage = (link: PlatformLink, userId: string, version: string, type: ChatType, destination: string, body: ChatMessageBody) =>
  link.request({ method: 'POST', path: chatMessagesPath(userId, version, type, destination), body, operation: type === 'chat-group' ? 'Send group chat message' : 'Send chat message', response: ChatSendResponse })

export const sendSms = (link: PlatformLink, userId: string, sender: string, body: SmsSendBody) =>
  link.request({ method: 'POST', path: `/cpaas/smsmessaging/v1/${segment(userId)}/outbound/${segment(sender)}/requests`, body, operation: 'Send SMS', fixedCode: errorCodes.messaging.SEND_MESSAGE_FAIL, response: SmsSendResponse })

/** The typing indicator (`messaging.md` §6.1); the response body is ignored (Recommendation). */
export const sendIsComposing = (link: PlatformLink, userId: string, type: ChatType, destination: string, state: ComposingState, now: number) => {
  const body: IsComposingBody = { isComposing: { contenttype: 'text/plain', refresh: '60', state, lastactive: now } }
  return link.request({ method: 'POST', path: chatMessagesPath(userId, 'v1', type, destination), body, operation: 'Set is typing', fixedCode: errorCodes.messaging.SET_IS_TYPING_FAIL })
}

/** The `root-fields` the reference sends with every upload. */
export const uploadRootFields = '{"object":{"attributes":{"attribute":[]},"flags":{"flag":[]}}}'

export const uploadFile = (link: PlatformLink, userId: string, form: FormData) =>
  link.request({ method: 'POST', path: `/cpaas/nms/v1/chat/${segment(userId)}/objects`, form, operation: 'Upload file', fixedCode: errorCodes.messaging.FILE_UPLOAD_FAIL, response: FileUploadResponse })

const listed = { method: 'GET', operation: 'Fetch conversations', fixedCode: errorCodes.messaging.FETCH_CONVERSATIONS_FAIL } as const

export const fetchChatSessions = (link: PlatformLink, userId: string, type: 'chat-oneToOne' | 'chat-group') =>
  link.request({ ...listed, path: `/cpaas/chat/v1/${segment(userId)}/${type === 'chat-group' ? 'group' : 'oneToOne'}/sessions`, response: ChatSessionListResponse })

/** SMS conversations (**Later**). */
export const fetchSmsThreads = (link: PlatformLink, userId: string) =>
  link.request({ ...listed, path: `/cpaas/smsmessaging/v1/${segment(userId)}/remoteAddresses`, response: SmsThreadListResponse })

/** A page of history: the newest `max` messages, or those before `next` (**Later** paging). */
const page = (max: number, next: string | undefined) => ({ method: 'GET', query: { max, next }, operation: 'Fetch messages' }) as const

/** One page of chat history. */
export const fetchChatHistory = (link: PlatformLink, userId: string, type: ChatType, destination: string, max: number, next: string | undefined) =>
  link.request({ ...page(max, next), path: chatMessagesPath(userId, 'v1', type, destination), response: ChatMessageListResponse })

/** One page of an SMS thread's history (**Later**). */
export const fetchSmsHistory = (link: PlatformLink, userId: string, destination: string, sender: string, max: number, next: string | undefined) =>
  link.request({ ...page(max, next), path: `${smsThreadPath(userId, destination, sender)}/messages`, response: SmsMessageListResponse })

/** The path of a conversation: the SMS thread, the group, or the 1:1 chat's messages. */
const conversationPath = (userId: string, type: ChatType, destination: string, smsSender: string): string =>
  type === 'sms'
    ? smsThreadPath(userId, destination, smsSender)
    : type === 'chat-group'
      ? `/cpaas/chat/v1/${segment(userId)}/group/${segment(destination)}`
      : chatMessagesPath(userId, 'v1', type, destination)

export const deleteConversation = (link: PlatformLink, userId: string, type: ChatType, destination: string, smsSender: string) =>
  link.request({ method: 'DELETE', path: conversationPath(userId, type, destination, smsSender), operation: 'Delete conversation' })

export const deleteMessage = (link: PlatformLink, userId: string, type: ChatType, destination: string, smsSender: string, messageId: string) => {
  const messages = type === 'sms' ? `${smsThreadPath(userId, destination, smsSender)}/messages` : chatMessagesPath(userId, 'v1', type, destination)
  return link.request({ method: 'DELETE', path: `${messages}/${segment(messageId)}`, operation: 'Delete message' })
}

/**
 * Downloads an attachment as a Blob (`messaging.md` §3.4); unsubscribing aborts.
 * The link is absolute and may be on another origin than the REST base, hence the environment's fetch, not the link.
 */
export const downloadAttachment = (environment: Environment, url: string, accessToken: string): Observable<Blob> =>
  new Observable<Blob>((subscriber) => {
    const abort = new AbortController()
    const failed = (message: string) => new BasicError(errorCodes.general.NO_CODE, `Download attachment request failed: ${message}`)
    const headers = { Authorization: `Bearer ${accessToken}`, Accept: 'application/json', 'Content-Type': 'application/json' }
    environment
      .fetch(url, { method: 'GET', headers, signal: abort.signal })
      .then(async (response) => {
        if (!response.ok) throw failed(`${response.status} ${response.statusText}`)
        subscriber.next(await response.blob())
        subscriber.complete()
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted) return
        subscriber.error(error instanceof BasicError ? error : failed(error instanceof Error ? error.message : String(error)))
      })
    return () => abort.abort()
  })
