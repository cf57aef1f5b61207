import { EMPTY, catchError, type MonoTypeOperatorFunction } from 'rxjs'

/**
 * Logs a stream's error at `level` after `message` and completes instead: for work whose failure must stop nothing else.
 *
 * namespace.events$.pipe(loggedAndDropped(logger, 'error', 'An event stream failed'))
 */
export const loggedAndDropped = <T>(logger: Logger, level: 'error' | 'warn', message: string): MonoTypeOperatorFunction<T> =>
  catchError((error: unknown) => {
    logger[level](message, error)
    return EMPTY
  })

/** One feature's logger. Lines below the configured level are dropped; tokens never reach a line unless payloads are exposed. */
export interface Logger {
  error(message: string, ...details: unknown[]): void
  warn(message: string, ...details: unknown[]): void
  info(message: string, ...details: unknown[]): void
  debug(message: string, ...details: unknown[]): void
  /** An action log (at `logs.logActions.level`, debug by default): a state event with the state before and after; payloads hidden unless `exposePayloads`. */
  action(event: { readonly type: string }, previous: unknown, next: unknown): void
}

/** Hands out one logger per feature, all following the current `logs` configuration. */
export interface Logs {
  logger(feature: string): Logger
}
