import { tap } from 'rxjs'
import type { BotDefinition } from './definition.js'

/** `busy`: rejects every call. */
export const busyBot = (): BotDefinition => ({
  kind: 'busy',
  description: 'rejects every call (busy)',
  services: ['call'],
  start: (agent) =>
    agent.own(
      agent.incomingCalls$
        .pipe(
          tap((call) => {
            agent.log(`rejecting ${call.from ?? 'a caller'}`)
            agent.client.call.reject(call.id)
          }),
        )
        .subscribe(),
    ),
})
