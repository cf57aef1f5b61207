/** A failure armed through the admin API for the next `remaining` requests under `prefix`. */
export interface FailureRule {
  readonly prefix: string
  remaining: number
  /** HTTP status to answer with (default 500), unless `reset`. */
  readonly status: number
  /** Destroy the connection instead of answering. */
  readonly reset: boolean
  /** Body to send instead of the default error body. */
  readonly body?: unknown
}

export interface DelayRule {
  readonly prefix: string
  readonly ms: number
  /** Holds the answer instead of the request: the platform serves it at once (what it causes, notifications included, happens then). */
  readonly answer?: true
}

/** What a delay holds: the request before it is served, or its answer after. */
export type DelayStage = 'request' | 'answer'

const stageOf = (rule: DelayRule): DelayStage => (rule.answer ? 'answer' : 'request')

/** Faults injected on purpose for reliability tests (`/_admin/`); admin paths themselves are never affected. */
export class Faults {
  private delays: DelayRule[] = []
  private failures: FailureRule[] = []
  private pausedAll = false
  private readonly pausedUsers = new Set<string>()

  /** Delays every request (or, `stage` `answer`, its answer) whose path starts with `prefix` (default: all) by `ms`; 0 removes the rule. */
  delay(ms: number, prefix = '/', stage: DelayStage = 'request'): void {
    this.delays = this.delays.filter((rule) => rule.prefix !== prefix || stageOf(rule) !== stage)
    if (ms > 0) this.delays.push(stage === 'answer' ? { prefix, ms, answer: true } : { prefix, ms })
  }

  /** The delay of a path at one stage: the longest matching prefix wins. */
  delayFor(path: string, stage: DelayStage = 'request'): number {
    let found: DelayRule | undefined
    for (const rule of this.delays) {
      if (stageOf(rule) === stage && path.startsWith(rule.prefix) && (found === undefined || rule.prefix.length > found.prefix.length)) found = rule
    }
    return found?.ms ?? 0
  }

  fail(rule: Omit<FailureRule, 'remaining'> & { readonly count: number }): void {
    const { count, ...rest } = rule
    if (count > 0) this.failures.push({ ...rest, remaining: count })
  }

  /** Takes one armed failure for this path (first armed, first used), if any. */
  takeFailure(path: string): FailureRule | undefined {
    const rule = this.failures.find((candidate) => path.startsWith(candidate.prefix))
    if (rule === undefined) return undefined
    rule.remaining -= 1
    if (rule.remaining <= 0) this.failures = this.failures.filter((candidate) => candidate !== rule)
    return rule
  }

  /** Stops (`paused = true`) or resumes answering connectivity checks for one user or everyone. */
  pauseConnectivity(paused: boolean, userId?: string): void {
    if (userId === undefined) {
      this.pausedAll = paused
      if (!paused) this.pausedUsers.clear()
    } else if (paused) this.pausedUsers.add(userId)
    else this.pausedUsers.delete(userId)
  }

  connectivityPaused(userId: string): boolean {
    return this.pausedAll || this.pausedUsers.has(userId)
  }

  clear(): void {
    this.delays = []
    this.failures = []
    this.pausedAll = false
    this.pausedUsers.clear()
  }

  summary(): { delays: DelayRule[]; failures: FailureRule[]; connectivityPaused: boolean | string[] } {
    return {
      delays: [...this.delays],
      failures: this.failures.map((rule) => ({ ...rule })),
      connectivityPaused: this.pausedAll ? true : [...this.pausedUsers],
    }
  }
}
