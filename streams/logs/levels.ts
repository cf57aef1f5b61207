import type { LogLevel } from '../config/state.js'

/** The logger's levels, as documented (`client.logger.levels`); each value is a valid `logs.logLevel`. */
export const levels = {
  /** Log nothing. */
  SILENT: 'silent',
  /** Log only unhandled errors. */
  ERROR: 'error',
  /** Log issues that may cause problems or unexpected behaviour. */
  WARN: 'warn',
  /** Log useful information and messages to indicate the SDK's internal operations. */
  INFO: 'info',
  /** Log information to help diagnose problematic behaviour. */
  DEBUG: 'debug',
} as const satisfies Record<string, LogLevel>

/** The level of one log line (every level but `silent`). */
export type LineLevel = Exclude<LogLevel, 'silent'>

const rank: Readonly<Record<LogLevel, number>> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 }

/**
 * The configured level read leniently: in any case, and anything unknown as the documented default, `debug`.
 *
 * normaliseLevel('WARN') // 'warn'
 */
export function normaliseLevel(value: unknown): LogLevel {
  const lower = typeof value === 'string' ? value.toLowerCase() : ''
  return Object.hasOwn(rank, lower) ? (lower as LogLevel) : 'debug'
}

/**
 * Whether a line of `line` level is output when the logger is set to `configured`.
 *
 * isEnabled('info', 'warn') // false
 */
export const isEnabled = (line: LineLevel, configured: unknown): boolean => rank[line] <= rank[normaliseLevel(configured)]
