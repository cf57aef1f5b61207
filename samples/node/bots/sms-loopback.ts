import { filter, tap } from 'rxjs'
import type { BotDefinition } from './definition.js'

/** `sms-loopback`: the owner of a phone number that answers every SMS with `Echo: <text>`. */
export const smsLoopbackBot = (): BotDefinition => ({
  kind: 'sms-loopback',
  description: 'a phone number that answers every SMS with "Echo: <your text>"',
  services: ['smsinbound'],
  start: (agent) =>
    agent.own(
      agent.messages$
        .pipe(
          filter((message) => message.type === 'sms'),
          tap((message) => agent.reply(message, `Echo: ${message.text}`)),
        )
        .subscribe(),
    ),
})
