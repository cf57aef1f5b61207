import type { Environment } from '../../../streams/environment.js'

/** One console call: the method and its arguments. */
export interface ConsoleCall {
  readonly method: keyof Environment['console']
  readonly args: readonly unknown[]
}

/** A console that records every call instead of printing it. */
export function captureConsole(): { console: Environment['console']; calls: ConsoleCall[]; text: () => string } {
  const calls: ConsoleCall[] = []
  const record =
    (method: ConsoleCall['method']) =>
    (...args: unknown[]): void => {
      calls.push({ method, args })
    }
  const console: Environment['console'] = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    log: record('log'),
    group: record('group'),
    groupCollapsed: record('groupCollapsed'),
    groupEnd: record('groupEnd'),
  }
  /** Everything logged, as one searchable string (objects as JSON). */
  const text = (): string => calls.map(({ args }) => args.map((arg) => (typeof arg === 'string' ? arg : arg instanceof Error ? `${arg.name} ${arg.message} ${arg.stack ?? ''}` : JSON.stringify(arg))).join(' ')).join('\n')
  return { console, calls, text }
}

/**
 * Mocha hooks for the enclosing describe: the uncaught exceptions thrown while its tests run,
 * emptied after each test. RxJS re-throws a subscriber's error in a timer: await `settled()` first.
 */
export function useUncaught(): unknown[] {
  const uncaught: unknown[] = []
  const record = (error: unknown): void => void uncaught.push(error)
  before(() => process.on('uncaughtExceptionMonitor', record))
  after(() => process.off('uncaughtExceptionMonitor', record))
  afterEach(() => {
    uncaught.length = 0
  })
  return uncaught
}

/** Lets due timers run: RxJS re-throws a subscriber's error in one. */
export const settled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5))
