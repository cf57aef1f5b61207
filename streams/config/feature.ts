import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs'
import { defaultConfig, mergeConfig, type Config, type UserConfig } from './state.js'

export interface ConfigFeature {
  /** Hot; replays the current configuration. */
  readonly config$: Observable<Config>
  /** The current configuration, synchronously. */
  readonly current: () => Config
  /** Merges new values; every feature sees them through `config$`. */
  readonly update: (values: UserConfig) => void
  readonly dispose: () => void
}

/** The configuration as a stream, starting from the documented defaults merged with `initial`. */
export function createConfig(initial: UserConfig = {}): ConfigFeature {
  const subject = new BehaviorSubject<Config>(mergeConfig(defaultConfig, initial))
  return {
    config$: subject.pipe(distinctUntilChanged()),
    current: () => subject.getValue(),
    update: (values) => subject.next(mergeConfig(subject.getValue(), values)),
    dispose: () => subject.complete(),
  }
}
