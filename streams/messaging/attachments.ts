import { catchError, finalize, map, merge, of } from 'rxjs'
import { BasicError, asBasicError, errorCodes } from '../errors.js'
import { failedTo, outcome$, type MessagingContext } from './effects.js'
import { findMessage } from './messages.js'
import { downloadAttachment } from './requests.js'
import { findConversation, type ChatType } from './state.js'

type Linking = Pick<MessagingContext, 'environment' | 'current' | 'dispatch' | 'effects' | 'withUser'>

type ObjectUrls = { readonly createObjectURL?: (blob: Blob) => string; readonly revokeObjectURL?: (url: string) => void } | undefined

/** The files of received messages as object URLs an `<img>` can show; `revoke` frees them all (the feature is disposed). */
export function createImageLinks({ environment, current, dispatch, effects, withUser }: Linking) {
  const created = new Set<string>()
  const failed = failedTo('createImageLinks')
  const urls = () => globalThis.URL as ObjectUrls

  const objectUrlOf = (blob: Blob): string => {
    const url = urls()?.createObjectURL?.(blob)
    if (url === undefined) throw new BasicError(errorCodes.general.NO_CODE, 'Cannot create an image link: no URL.createObjectURL in this environment')
    created.add(url)
    return url
  }

  /** Downloads the files of a message (by local id or message id) not linked yet and stores an object URL per file part. */
  const link = (destination: readonly string[], chatType: ChatType, ref: string): void => {
    const conversation = findConversation(current(), destination, chatType)
    const message = conversation ? findMessage(conversation, ref) : undefined
    if (!message) return dispatch(failed(new BasicError(errorCodes.general.BAD_INPUT, `No message ${ref} in this conversation`)))
    const files = message.parts.flatMap((part, partIndex) => (part.type === 'file' && typeof part.rawURL === 'string' && part.url === undefined ? [{ rawURL: part.rawURL, partIndex }] : []))
    if (files.length === 0) return
    const target = { destination, chatType, ref }
    dispatch({ type: 'linksRequested', ...target })
    const linked$ = (rawURL: string, partIndex: number, accessToken: string) =>
      outcome$(downloadAttachment(environment, rawURL, accessToken).pipe(map(objectUrlOf)), (url) => ({ type: 'linkCreated', ...target, partIndex, url }), failed)
    const downloads$ = withUser((user) => merge(...files.map(({ rawURL, partIndex }) => linked$(rawURL, partIndex, user.accessToken))))
    effects.run(
      downloads$.pipe(
        catchError((error: unknown) => of(failed(asBasicError(error)))),
        finalize(() => dispatch({ type: 'linksSettled', ...target })),
      ),
    )
  }

  const revoke = (): void => {
    for (const url of created) urls()?.revokeObjectURL?.(url)
    created.clear()
  }
  return { link, revoke }
}
