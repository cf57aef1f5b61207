import { onEachCall, type BotDefinition } from './definition.js'

/** `busy`: rejects every call. */
export const busyBot = (): BotDefinition => ({
  kind: 'busy',
  description: 'rejects every call (busy)',
  services: ['call'],
  start: onEachCall((agent, call) => {
    agent.log(`rejecting ${call.from ?? 'a caller'}`)
    agent.client.call.reject(call.id)
  }),
})
