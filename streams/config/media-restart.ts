/** Config `call.automaticMediaRestart`, every key filled in: when and how often a call restarts its media by itself (`call/restart-policy.ts`). */
export interface RestartPolicy {
  /** Restart by itself (default true). */
  readonly enabled: boolean
  /** How long the media may stay disconnected before a restart, in ms (default 2000). */
  readonly gracePeriod: number
  /** Restarts tried in a row before giving up (default 5). */
  readonly attempts: number
  /** The wait before the second attempt, in ms, doubled for each next one (default 1000)… */
  readonly delay: number
  /** …up to this (default 16000). */
  readonly maxDelay: number
  /** How long one attempt may take to bring the media back, in ms (default 10000). */
  readonly timeout: number
}

export const defaultRestartPolicy: RestartPolicy = { enabled: true, gracePeriod: 2000, attempts: 5, delay: 1000, maxDelay: 16000, timeout: 10000 }
