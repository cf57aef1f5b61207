import { concatMap, filter, map, tap, timer } from 'rxjs'
import type { BotDefinition } from './definition.js'

export interface TypingOptions {
  /** How long it shows itself typing before replying, in milliseconds (default 1500). */
  readonly typingMs?: number
}

/** What the typing bot replies. */
export const typingReply = (text: string): string => `You wrote: ${text}`

/** `typing`: on every chat message, shows itself typing for a moment, then replies. */
export const typingBot = (options: TypingOptions = {}): BotDefinition => ({
  kind: 'typing',
  description: 'shows itself typing for a moment, then replies to every chat message',
  services: ['chat'],
  start: (agent) =>
    agent.own(
      agent.messages$
        .pipe(
          filter((message) => message.type !== 'sms'),
          // One reply at a time, in order: each shows typing, waits, then answers.
          concatMap((message) => {
            agent.setTyping(message.destination, message.type, true)
            return timer(options.typingMs ?? 1500, agent.scheduler).pipe(map(() => message))
          }),
          tap((message) => {
            agent.setTyping(message.destination, message.type, false)
            agent.reply(message, typingReply(message.text))
          }),
        )
        .subscribe(),
    ),
})
