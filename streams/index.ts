/**
 * The reactive core: `createStreams(config, environment)` builds every feature as hot state Observables (`calls$`, `presence$`, …)
 * and command functions, for apps that use RxJS directly (Angular, RxJS) instead of the event API.
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
 * What every feature stands on: config, environment, loggers, auth, the connection (its `link` reaches the platform) and the service subscription.
 * `dispose()` tears down what `own` registered, last built first. An app builds only the features it uses on a core, so its bundler leaves out the rest;
 * each `withX(core)` builds its feature once (a second call, from another part of the app, returns the same feature).
 *
 * const core = createCore({ authentication: { server: { base: 'localhost' } } }, { WebSocket })
 * const messaging = withMessaging(core)
 * const presence = withPresence(core)
 * core.dispose()
 */
export function createCore(config: UserConfig = {}, environmentOverrides: Partial<Environment> = {}) {
  const owned: Disposable[] = []
  let disposed = false
  /** Registers a feature's teardown (when it has a `dispose`) and returns the feature; one built on a disposed core is disposed at once. */
  const own = <T>(feature: T): T => {
    if (isDisposable(feature) && disposed) feature.dispose()
    else if (isDisposable(feature)) owned.push(feature)
    return feature
  }
  const environment = createEnvironment(environmentOverrides)
  const configFeature = own(createConfig(config))
  const logs = own(createLogs(configFeature, environment))
  const base = { config: configFeature, environment, logs }
  const auth = own(createAuth({ logs }))
  const connection = own(createConnection({ ...base, auth }))
  const link = connection.link
  const subscription = own(createSubscription({ ...base, link, connection }))

  const built = new Map<string, unknown>()
  // An app's subscriber that throws is logged, never re-thrown (it would crash a Node process).
  const forApps = <F extends object>(feature: F): F => withContainedObservables(feature, (error) => logs.logger('streams').error('A subscriber threw', error))
  return {
    ...base,
    config: forApps(configFeature),
    auth: forApps(auth),
    connection: forApps(connection),
    link: forApps(link),
    subscription: forApps(subscription),
    own,
    /**
     * The feature named `name` on this core: built by `build` the first time, registered and handed out as apps see it (subscribers that throw
     * are contained); the same one after (two would each hold their own state of one account).
     */
    feature: <F extends object>(name: string, build: () => F): F => {
      if (!built.has(name)) built.set(name, forApps(own(build())))
      return built.get(name) as F
    },
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

/** A core built by `createCore`. */
export type Core = ReturnType<typeof createCore>

// Each `withX(core)` builds its feature once per core: a second call returns the first.

/** Media (devices, local tracks) on a core. */
export const withMedia = (core: Core) => core.feature('media', () => createMedia(core))

/** Calls on a core, with their media (the core's: `withMedia(core)` is the media that holds the calls' tracks). */
export const withCall = (core: Core, media = withMedia(core)) => core.feature('call', () => createCall({ ...core, media }))

/** Chat, group chat and SMS on a core; recovers what a lost socket missed. */
export const withMessaging = (core: Core) =>
  core.feature('messaging', () => createMessaging({ ...core, reconnected$: socketReopened(core.connection.events$, core.environment.scheduler) }))

/** Presence on a core (watched users through the `presence` service subscription). */
export const withPresence = (core: Core) => core.feature('presence', () => createPresence({ ...core, presenceListId$: core.subscription.presenceListId$ }))

/** Groups on a core. */
export const withGroups = (core: Core) => core.feature('groups', () => createGroups(core))

/** Contacts on a core. */
export const withContacts = (core: Core) => core.feature('contacts', () => createContacts(core))

/** The user directory on a core. */
export const withUsers = (core: Core) => core.feature('users', () => createUsers(core))

/**
 * The reactive core: every feature, built in dependency order over one config, environment and set of loggers.
 * `dispose()` tears them down in reverse order (streams complete, timers stop, sockets and peer connections close). For a few features, see `createCore`.
 *
 * const streams = createStreams({ authentication: { server: { base: 'localhost' } } }, { WebSocket })
 * streams.config.config$.subscribe(render)
 * streams.dispose()
 */
export function createStreams(config: UserConfig = {}, environmentOverrides: Partial<Environment> = {}) {
  const core = createCore(config, environmentOverrides)
  const { own: _own, feature: _feature, ...shared } = core
  const media = withMedia(core)
  // ── Features, in dependency order (an object literal builds them in the order written). To add one: a `withX(core)` above, and ONE line here.
  return {
    ...shared,
    media,
    call: withCall(core, media),
    messaging: withMessaging(core),
    presence: withPresence(core),
    groups: withGroups(core),
    contacts: withContacts(core),
    users: withUsers(core),
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
// Each feature's interface, state, events and command arguments, so that an app can name them.
export type { AuthCommands, AuthFeature } from './auth/feature.js'
export type { AuthEvent, AuthState } from './auth/state.js'
export type { Tokens } from './auth/tokens.js'
export type { AnswerOptions, BandwidthControls, CallCommands, MakeOptions, MediaChangeOptions } from './call/commands.js'
export type { CallFeature } from './call/feature.js'
export type { Bandwidth, CallDirection, CallObject, CallOutput, CallRecord, CallState, CallsState, JoinedInto, Joint, MediaConnectionState, RemoteParticipant, Transition } from './call/model.js'
export type { CallQualityEntry, CallQualityFeature, QualityWarningOutput } from './call/quality/store.js'
export type { CallQuality, QualityWarningChange } from './call/quality/warnings.js'
export type { RestartPolicy } from './config/media-restart.js'
export type { ConnectivityMethod, LogActionsConfig } from './config/state.js'
export type { ConnectionCommands, ConnectionFeature } from './connection/feature.js'
export type { ConnectionEvent, ConnectionState } from './connection/state.js'
export type { ContactsCommands, ContactsFeature } from './contacts/feature.js'
export type { Contact, ContactEvent, ContactOperation, ContactParams, ContactsState } from './contacts/state.js'
export type { MediaDevicesLike, WebSocketConstructor, WebSocketLike } from './environment.js'
export type { ErrorCode } from './errors.js'
export type { GroupsCommands, GroupsFeature } from './groups/feature.js'
export type { Group, GroupEvent, GroupOperation, GroupParams, GroupsState, Invitation, Participant } from './groups/state.js'
export type { Keyed } from './keyed.js'
export type { MediaConstraint, MediaOption, MediaOptions } from './media/constraints.js'
export type { MediaCommands, MediaFeature } from './media/feature.js'
export type { RenderOptions } from './media/render.js'
export type { Container, DeviceInfo, DevicesObject, MediaOutput, MediaState, TrackObject } from './media/state.js'
export type { MessagingCommands, MessagingFeature } from './messaging/feature.js'
export type { ChatType, Conversation, FilePart, HistoryCursor, JsonPart, LocationPart, Message, MessagingEvent, MessagingOperation, MessagingState, Part, Sent, Target, TextPart } from './messaging/model.js'
export type { PresenceCommands, PresenceFeature, UserIds } from './presence/feature.js'
export type { PresenceEvent, PresenceOperation, PresenceState, PresenceValue, SelfPresence, UserPresence } from './presence/state.js'
export type { SubscriptionCommands, SubscriptionFeature } from './subscription/feature.js'
export type { Subscriptions } from './subscription/services.js'
export type { Channel, ServiceFailure, ServiceSubscription, SubscriptionEvent, SubscriptionOperation, SubscriptionState } from './subscription/state.js'
export type { UsersCommands, UsersFeature } from './users/feature.js'
export type { DirectoryOperation, SearchFilters, SearchOptions, User, UserEvent, UsersState } from './users/state.js'
export { BasicError, isBasicError, errorCodes } from './errors.js'
export { levels } from './logs/levels.js'
