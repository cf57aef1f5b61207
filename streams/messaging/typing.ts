import { catchError, ignoreElements, of } from 'rxjs'
import { BasicError, asBasicError, errorCodes } from '../errors.js'
import { failedTo, type MessagingContext } from './effects.js'
import { sendIsComposing } from './requests.js'
import { conversationKey, type ChatType } from './state.js'

/** Typing indicators of the same state are sent again only after this long (the platform's refresh is 60 s). */
const typingRefreshMs = 30_000

type Typing = Pick<MessagingContext, 'link' | 'environment' | 'dispatch' | 'effects' | 'withUser'>

/** The `setIsTyping` command: tells the other participants of a chat whether the user types, sending each change once and in order. */
export function createTyping({ link, environment, dispatch, effects, withUser }: Typing) {
  const sent = new Map<string, { readonly state: 'active' | 'idle'; readonly at: number }>()
  const failed = failedTo('setIsTyping')
  return (destination: readonly string[], type: ChatType, isTyping: boolean): void => {
    if (type === 'sms') return dispatch(failed(new BasicError(errorCodes.messaging.SET_IS_TYPING_FAIL, 'Typing indicators exist only in chat conversations, not in SMS')))
    const key = conversationKey(destination, type)
    const state = isTyping ? 'active' : 'idle'
    const now = environment.scheduler.now()
    const last = sent.get(key)
    if (last && last.state === state && (state === 'idle' || now - last.at < typingRefreshMs)) return
    sent.set(key, { state, at: now })
    const request$ = withUser((user) => sendIsComposing(link, user.username, type, destination[0] as string, state, now))
    const forget = (error: unknown) => {
      sent.delete(key)
      return of(failed(asBasicError(error)))
    }
    // In order per conversation: an `active` overtaken by its `idle` would show the user typing until the platform's refresh ends.
    effects.enqueue(`typing:${key}`, request$.pipe(ignoreElements(), catchError(forget)))
  }
}
