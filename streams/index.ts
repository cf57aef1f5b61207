/**
 * The reactive core: `createStreams(config, environment)` builds every feature as hot state
 * Observables (`calls$`, `presence$`, `conversations$`, …) and command functions, for apps that
 * use RxJS directly (Angular, RxJS) instead of the event API.
 *
 * @module kandy-rx/streams
 */
import { createConfig } from './config/feature.js'
import { withContainedObservables } from './contained.js'
import type { UserConfig } from './config/state.js'
import { createEnvironment, type Environment } from './environment.js'
import { createLogs } from './logs/feature.js'
import { createAuth } from './auth/feature.js'
import { createConnection } from './connection/feature.js'
import { createSubscription } from './subscription/feature.js'
import { createMedia } from './media/feature.js'
import { createCall } from './call/feature.js'
import { createMessaging, socketReopened } from './messaging/feature.js'
import { createPresence } from './presence/feature.js'
import { createGroups } from './groups/feature.js'
import { createContacts } from './contacts/feature.js'
import { createUsers } from './users/feature.js'

/** Anything that holds resources: timers, sockets, subscriptions, subjects. */
export interface Disposable {
  readonly dispose: () => void
}

const isDisposable = (value: unknown): value is Disposable =>
  typeof value === 'object' && value !== null && typeof (value as { dispose?: unknown }).dispose === 'function'

/**
 * The reactive core: every feature, built in dependency order over one configuration, one
 * environment and one set of loggers. `dispose()` tears every feature down (in reverse order):
 * streams complete, timers stop, sockets and peer connections close.
 *
 * const streams = createStreams({ authentication: { server: { base: 'localhost' } } }, { WebSocket })
 * streams.config.config$.subscribe(render)
 * streams.dispose()
 */
export function createStreams(config: UserConfig = {}, environmentOverrides: Partial<Environment> = {}) {
  const owned: Disposable[] = []
  /** Registers a feature's teardown (when it has a `dispose`) and returns the feature. */
  const own = <T>(feature: T): T => {
    if (isDisposable(feature)) owned.push(feature)
    return feature
  }

  const environment = createEnvironment(environmentOverrides)
  const configFeature = own(createConfig(config))
  const logs = own(createLogs(configFeature, environment))
  const core = { config: configFeature, environment, logs }

  // ── Features, in dependency order. To add one: ONE line here, `const x = own(createX({ ...deps }))`,
  // ── and its name in the object returned below. A feature that holds resources returns `dispose`.
  const auth = own(createAuth({ logs }))
  const connection = own(createConnection({ ...core, auth }))
  /** The PlatformLink every feature reaches the platform through (`streams/connection/feature.ts`). */
  const link = connection.link
  const subscription = own(createSubscription({ ...core, link, connection }))
  const media = own(createMedia(core))
  const call = own(createCall({ ...core, link, media, subscription }))
  const messaging = own(createMessaging({ ...core, link, reconnected$: socketReopened(connection.events$, environment.scheduler) }))
  const presence = own(createPresence({ ...core, link, presenceListId$: subscription.presenceListId$ }))
  const groups = own(createGroups({ ...core, link }))
  const contacts = own(createContacts({ ...core, link }))
  const users = own(createUsers({ ...core, link }))

  let disposed = false
  // An app's subscriber that throws is logged, never re-thrown (it would crash a Node process).
  const forApps = <F extends object>(feature: F): F => withContainedObservables(feature, (error) => logs.logger('streams').error('A subscriber threw', error))
  return {
    ...core,
    config: forApps(configFeature),
    // ── Features (one name per line):
    auth: forApps(auth),
    connection: forApps(connection),
    link: forApps(link),
    subscription: forApps(subscription),
    media: forApps(media),
    call: forApps(call),
    messaging: forApps(messaging),
    presence: forApps(presence),
    groups: forApps(groups),
    contacts: forApps(contacts),
    users: forApps(users),
    /** Tears down every feature, last built first. Safe to call twice. */
    dispose: (): void => {
      if (disposed) return
      disposed = true
      for (const feature of owned.reverse()) {
        try {
          feature.dispose()
        } catch (error) {
          logs.logger('streams').error('A feature failed to dispose', error)
        }
      }
    },
  }
}

/** Everything `createStreams` builds: `config`, `environment`, `logs`, each feature, and `dispose()`. */
export type Streams = ReturnType<typeof createStreams>

export type { Config, UserConfig, SdpObject, SdpHandlerFunction, SdpHandlerInfo, LogLevel } from './config/state.js'
export type { ConfigFeature } from './config/feature.js'
export type { Environment } from './environment.js'
export type { Logger, Logs } from './logs/logger.js'
export type { Feature } from './feature.js'
export type { PlatformLink, AuthUser, RequestSpec, InboundNotification } from './connection/link.js'
export { BasicError, isBasicError, errorCodes } from './errors.js'
export { levels } from './logs/levels.js'
