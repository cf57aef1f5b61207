import { movingBar, tone } from '../media.js'
import { offeredMedia, onEachCall, type BotDefinition } from './definition.js'

/** `auto-answer`: answers every call and plays a 440 Hz tone (and moving bars to a video call). */
export const autoAnswerBot = (): BotDefinition => ({
  kind: 'auto-answer',
  description: 'answers every call and plays a 440 Hz tone (and moving bars on video calls)',
  services: ['call'],
  media: { audio: tone(440, 0.2), video: movingBar },
  start: onEachCall((agent, call) => {
    agent.log(`answering ${call.from ?? 'a caller'}`)
    agent.client.call.answer(call.id, offeredMedia(agent, call))
  }),
})
