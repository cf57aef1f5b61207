import { concatMap, defer, forkJoin, map, of, type Observable } from 'rxjs'
import type { AuthUser, PlatformLink } from '../connection/link.js'
import type { Environment } from '../environment.js'
import { BasicError, errorCodes } from '../errors.js'
import { definedFields } from '../record.js'
import { messageIdOf, smsDeliveryStatus, type FileUploadResponse } from './codecs.js'
import { failedTo, outcome$, type MessagingContext } from './effects.js'
import { findNewest } from './messages.js'
import { fileNameOf, isUploaded, messageError } from './parts.js'
import { sendChatMessage, sendSms, uploadFile, uploadRootFields } from './requests.js'
import { conversationKey, findConversation, type ChatType, type FilePart, type MessagingEvent, type Part, type Sent, type Target, type TextPart } from './state.js'

const isText = (part: Part): part is TextPart => part.type === 'text'
const isFile = (part: Part): part is FilePart => part.type === 'file'

/** The attribute list of an upload as a file part; OMA-style array values give their first element (`messaging.md` §3.3). */
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

const upload$ = (link: PlatformLink, environment: Pick<Environment, 'FormData'>, user: AuthUser, part: FilePart): Observable<FilePart> =>
  defer(() => {
    const FormDataClass = environment.FormData
    if (!FormDataClass) throw new BasicError(errorCodes.messaging.FILE_UPLOAD_FAIL, 'Upload file request failed: no FormData in this environment')
    const form = new FormDataClass()
    form.append('root-fields', uploadRootFields)
    form.append('raw', part.file as Blob, fileNameOf(part))
    return uploadFile(link, user.username, form).pipe(map(uploadedPart))
  })

/** A chat send: files uploaded first (those not uploaded yet), then the message naming them (`messaging.md` §3.2). */
function chatSent$({ link, environment, config }: MessagingContext, user: AuthUser, { destination, chatType }: Target, parts: readonly Part[]): Observable<Sent> {
  const files = parts.filter(isFile)
  const texts = parts.filter(isText)
  const uploads$ = files.length === 0 ? of([]) : forkJoin(files.map((file) => (isUploaded(file) ? of(file) : upload$(link, environment, user, file))))
  return uploads$.pipe(
    concatMap((uploaded) => {
      const attachment = uploaded.map((file) => ({ name: file.name ?? '', 'x-id': String(file['x-id']) }))
      const body = { chatMessage: { text: texts[0]?.text ?? '', ...(attachment.length > 0 ? { attachment } : {}) } }
      const version = config.current().authentication.server.version
      return sendChatMessage(link, user.username, version, chatType, destination[0] as string, body).pipe(
        map(({ chatMessage }) => {
          const messageId = messageIdOf(chatMessage.resourceURL)
          if (!messageId) throw new BasicError(errorCodes.general.NO_CODE, 'Send chat message request failed: the response has no message id')
          return { messageId, sender: chatMessage.senderAddress, deliveryStatus: chatMessage.status, parts: [...texts, ...uploaded] }
        }),
      )
    }),
  )
}

/** An SMS send: its text only (`messaging.md` §4); the status is mapped, undefined when unknown. */
function smsSent$({ link, config, smsSender }: MessagingContext, user: AuthUser, destination: readonly string[], parts: readonly Part[]): Observable<Sent> {
  const request = { address: [destination[0] as string], ...definedFields({ clientCorrelator: config.current().authentication.clientCorrelator }) }
  const body = { outboundSMSMessageRequest: { ...request, outboundSMSTextMessage: { message: parts.find(isText)?.text ?? '' } } }
  return sendSms(link, user.username, smsSender(), body).pipe(
    map(({ outboundSMSMessageRequest: response }) => {
      const messageId = messageIdOf(response.resourceURL)
      const info = response.deliveryInfoList.deliveryInfo[0]
      if (!messageId || !info) throw new BasicError(errorCodes.messaging.SEND_MESSAGE_FAIL, 'Send SMS request failed: the response has no message id or delivery status')
      const status = smsDeliveryStatus(info.deliveryStatus)
      return { messageId, sender: user.username, deliveryStatus: status === 'Unknown' ? undefined : status, parts: parts.filter(isText) }
    }),
  )
}

/** A send that failed; kept as sent when the platform's copy of it already arrived (it was delivered, only the answer got lost). */
function sendFailed({ current, link, logger }: MessagingContext, target: Target, localId: string, error: BasicError): MessagingEvent {
  const held = findConversation(current(), target.destination, target.chatType)
  const copied = held && findNewest(held, (message) => message.localId === localId && Boolean(message.messageId))
  if (!copied?.messageId) return { type: 'messageSendFailed', ...target, localId, error, ...(target.chatType === 'sms' ? { deliveryStatus: 'Failed' } : {}) }
  logger.warn('A send failed after the platform had delivered it; keeping it as sent', error.message)
  const user = link.user()
  return { type: 'messageSent', ...target, localId, messageId: copied.messageId, sender: user?.identity ?? user?.username, deliveryStatus: 'Sent', parts: copied.parts }
}

/** The `send` command (see `MessagingCommands.send`). */
export const createSend =
  (context: MessagingContext) =>
  (destination: readonly string[], type: ChatType, given: readonly Part[]): string | undefined => {
    const { environment, link, dispatch, effects, withUser } = context
    const refused = messageError(given, type)
    if (refused) return void dispatch(failedTo('send')(refused))
    // The message keeps its own parts: the app may reuse the array and the part objects it gave.
    const parts = Object.freeze(given.map((part) => Object.freeze({ ...part })))
    const localId = environment.randomId()
    const user = link.user()
    const target = { destination, chatType: type }
    const sender = type === 'sms' ? user?.username : (user?.identity ?? user?.username)
    // Seconds as the documented API has them, milliseconds kept as the fraction: it sorts among received messages by real time.
    const timestamp = environment.scheduler.now() / 1000
    dispatch({ type: 'messageSending', ...target, message: { messageId: undefined, localId, sender, timestamp, parts, isPending: true, read: false, type } })
    const sent$ = withUser((current) => (type === 'sms' ? smsSent$(context, current, destination, parts) : chatSent$(context, current, target, parts)))
    effects.enqueue(
      `send:${conversationKey(destination, type)}`,
      outcome$(sent$, (sent): MessagingEvent => ({ type: 'messageSent', ...target, localId, ...sent }), (error) => sendFailed(context, target, localId, error)),
    )
    return localId
  }
