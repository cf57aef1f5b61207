import type { ConfigFeature } from '../config/feature.js'
import type { Config, LogActionsConfig } from '../config/state.js'
import type { Environment } from '../environment.js'
import { diffStates, type StateChange } from './diff.js'
import { flattenDetail } from './flatten.js'
import { isEnabled, normaliseLevel, type LineLevel } from './levels.js'
import type { Logger, Logs } from './logger.js'
import { REDACTED, isSecretKey, redact, redactText } from './redact.js'

type LogConsole = Environment['console']
type LogsConfig = Config['logs']

/** Whether payloads and tokens may be shown (`logs.logActions.exposePayloads`). */
const exposesPayloads = (logs: LogsConfig): boolean => logs.logActions !== false && logs.logActions.exposePayloads === true

/** Calls one console method, never letting a broken console reach the SDK. */
const write = (console: LogConsole, method: keyof LogConsole, args: readonly unknown[]): void => {
  try {
    ;(console[method] as (...values: unknown[]) => void)(...args)
  } catch {
    // A console that throws must not break the feature that logged.
  }
}

/** The arguments of one console call: a message and details, or one string when flattened. */
const lineArgs = (logs: LogsConfig, message: string, details: readonly unknown[]): unknown[] => {
  const expose = exposesPayloads(logs)
  const text = expose ? message : redactText(message)
  const values = expose ? details : details.map(redact)
  return logs.flatten ? [[text, ...values.map(flattenDetail)].join(' ')] : [text, ...values]
}

/** A change of a secret field (`user.accessToken`, `turnCredentials.password`) with its values hidden: they sit under `before` / `after`, not under the secret's name. */
const secretHidden = (change: StateChange): StateChange => {
  if (!isSecretKey(change.path.slice(change.path.lastIndexOf('.') + 1))) return change
  return { ...change, ...('before' in change ? { before: REDACTED } : {}), ...('after' in change ? { after: REDACTED } : {}) }
}

/** The labelled parts of one action log, per the `logs.logActions` flags. */
const actionParts = ({ actionOnly, diff, exposePayloads }: LogActionsConfig, event: { readonly type: string }, previous: unknown, next: unknown): Array<[string, unknown]> => {
  const parts: Array<[string, unknown]> = []
  if (!actionOnly) parts.push(['prev state', previous])
  parts.push(['action', exposePayloads ? event : { type: event.type }])
  if (!actionOnly) parts.push(['next state', next])
  if (diff) parts.push(['diff', exposePayloads ? diffStates(previous, next) : diffStates(previous, next).map(secretHidden)])
  return parts
}

/** The level action logs are written at (`logActions.level`, debug by default), or undefined when they are off (`silent` turns them off). */
const actionLevel = (logs: LogsConfig): LineLevel | undefined => {
  if (logs.logActions === false) return undefined
  const level = normaliseLevel(logs.logActions.level)
  return level === 'silent' || !isEnabled(level, logs.logLevel) ? undefined : level
}

/**
 * The SDK's loggers, one per feature, writing to `environment.console`: each line reads the current `logs` config (`updateConfig` applies at once)
 * and is redacted of secrets unless `logs.logActions.exposePayloads`.
 *
 * const logs = createLogs(config, environment)
 * logs.logger('call').info('call started', { callId })
 */
export function createLogs(config: Pick<ConfigFeature, 'current'>, environment: Pick<Environment, 'console'>): Logs {
  const { console } = environment

  const line = (feature: string, level: LineLevel, message: string, details: readonly unknown[]): void => {
    const { logs } = config.current()
    if (!isEnabled(level, logs.logLevel)) return
    write(console, level, lineArgs(logs, `[kandy-rx:${feature}] ${message}`, details))
  }

  // Every dispatch of every feature asks whether to write an action log: answered once per `logs` configuration (frozen, replaced on update).
  let decided: { readonly logs: LogsConfig; readonly level: LineLevel | undefined } | undefined
  const actionLevelOf = (logs: LogsConfig): LineLevel | undefined => {
    if (decided?.logs !== logs) decided = { logs, level: actionLevel(logs) }
    return decided.level
  }

  const action = (feature: string, event: { readonly type: string }, previous: unknown, next: unknown): void => {
    const { logs } = config.current()
    const level = actionLevelOf(logs)
    if (level === undefined || logs.logActions === false) return
    const title = `[kandy-rx:${feature}] action ${event.type}`
    const grouped = logs.enableGrouping
    write(console, grouped ? (logs.logActions.collapsed ? 'groupCollapsed' : 'group') : level, lineArgs(logs, title, []))
    for (const [label, value] of actionParts(logs.logActions, event, previous, next)) write(console, level, lineArgs(logs, label, [value]))
    if (grouped) write(console, 'groupEnd', [])
  }

  return {
    logger: (feature: string): Logger => ({
      error: (message, ...details) => line(feature, 'error', message, details),
      warn: (message, ...details) => line(feature, 'warn', message, details),
      info: (message, ...details) => line(feature, 'info', message, details),
      debug: (message, ...details) => line(feature, 'debug', message, details),
      action: (event, previous, next) => action(feature, event, previous, next),
    }),
  }
}
