import { interval, map, startWith, tap } from 'rxjs'
import type { BotDefinition } from './definition.js'

/** One presence the bot takes: status, activity and (with `ActivitiesOther`) a note. */
export interface PresenceStep {
  readonly status: string
  readonly activity: string
  readonly note?: string
}

/** The presences it goes through, in order, again and again. */
export const presenceCycle: readonly PresenceStep[] = [
  { status: 'Open', activity: 'Available' },
  { status: 'Open', activity: 'Busy' },
  { status: 'Open', activity: 'OnThePhone' },
  { status: 'Open', activity: 'Lunch' },
  { status: 'Open', activity: 'ActivitiesOther', note: 'Changing status on a schedule' },
  { status: 'Closed', activity: 'Vacation' },
]

export interface PresenceOptions {
  /** Milliseconds between changes (default 10000). */
  readonly periodMs?: number
}

/** `presence`: changes its presence on a schedule (`presenceCycle`, one step per period). */
export const presenceBot = (options: PresenceOptions = {}): BotDefinition => ({
  kind: 'presence',
  description: `changes its presence every ${Math.round((options.periodMs ?? 10000) / 1000)} s (Available, Busy, On the phone, Lunch, a note, Closed/Vacation)`,
  services: ['presence'],
  publishesPresence: true,
  start: (agent) =>
    agent.own(
      interval(options.periodMs ?? 10000, agent.scheduler)
        .pipe(
          map((tick) => tick + 1),
          startWith(0),
          map((tick) => presenceCycle[tick % presenceCycle.length]!),
          tap(({ status, activity, note }) => agent.client.presence.update(status, activity, note)),
        )
        .subscribe(),
    ),
})
