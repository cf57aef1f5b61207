import * as E from 'fp-ts/Either'
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs'
import { checkedConfig } from './codecs.js'
import { defaultConfig, mergeConfig, type Config, type UserConfig } from './state.js'

export interface ConfigFeature {
  /** Hot; replays the current configuration. */
  readonly config$: Observable<Config>
  readonly current: () => Config
  /**
   * Merges new values; every feature sees them through `config$`.
   * @throws BasicError `BAD_INPUT` for values that fail the config codecs; the configuration stays as it was.
   */
  readonly update: (values: UserConfig) => void
  readonly dispose: () => void
}

/** The values when they pass the config codecs; otherwise the `BasicError` is thrown. */
const checked = (values: unknown, operation: string): UserConfig => {
  const result = checkedConfig(values, operation)
  if (E.isLeft(result)) throw result.left
  return result.right
}

/**
 * The configuration as a stream, starting from the documented defaults merged with `initial`.
 * @throws BasicError `BAD_INPUT` when `initial` fails the config codecs.
 */
export function createConfig(initial: UserConfig = {}): ConfigFeature {
  const subject = new BehaviorSubject<Config>(mergeConfig(defaultConfig, checked(initial, 'create')))
  return {
    config$: subject.pipe(distinctUntilChanged()),
    current: () => subject.getValue(),
    update: (values) => subject.next(mergeConfig(subject.getValue(), checked(values, 'updateConfig'))),
    dispose: () => subject.complete(),
  }
}
