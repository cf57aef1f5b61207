/**
 * The documented API: `create(config)` returns a client with `on`/`off`, getters and the namespaces of the Kandy CPaaS JavaScript
 * SDK 4.8 (`call`, `media`, `conversation`, `presence`, `groups`, `contacts`, `user`, `services`, `connection`). The IIFE build puts
 * `create` and `sdpHandlers` on the global `Kandy`.
 *
 * @module kandy-rx
 */
import { merge } from 'rxjs'
import type { Config, UserConfig } from '../streams/config/state.js'
import type { Environment } from '../streams/environment.js'
import { badInput } from '../streams/errors.js'
import { isRecord } from '../streams/guards.js'
import { createStreams, type Streams } from '../streams/index.js'
import { levels } from '../streams/logs/levels.js'
import { loggedAndDropped } from '../streams/logs/logger.js'
import { browserDetails, type BrowserDetails } from './browser.js'
import { createEmitter, type EventApi } from './events.js'
import type { Namespace } from './namespace.js'
import { authApi, type AuthApi } from './api/auth.js'
import { connectionApi } from './api/connection.js'
import { servicesApi } from './api/services.js'
import { callApi } from './api/call.js'
import { mediaApi } from './api/media.js'
import { conversationApi, messagingApi } from './api/conversation.js'
import { presenceApi } from './api/presence.js'
import { groupsApi } from './api/groups.js'
import { contactsApi } from './api/contacts.js'
import { userApi } from './api/user.js'

/** The documented namespaces, each `client.<name>`; to add one, ONE line `<name>: <name>Api(streams),` and its import from `./api/<name>.js`. */
const namespaces = (streams: Streams) => ({
  call: callApi(streams),
  media: mediaApi(streams),
  conversation: conversationApi(streams),
  messaging: messagingApi(streams),
  presence: presenceApi(streams),
  groups: groupsApi(streams),
  contacts: contactsApi(streams),
  user: userApi(streams),
  services: servicesApi(streams),
  connection: connectionApi(streams),
})

type Namespaces = ReturnType<typeof namespaces>

/** The documented namespaces of the client (`call`, `media`, `conversation`, …). */
export type ClientNamespaces = { readonly [K in keyof Namespaces]: Namespaces[K]['api'] }
/** The documented functions that sit directly on the client (`setTokens`, `getUserInfo`). */
export type ClientTopLevel = AuthApi

/** The members every client has, whatever namespaces are built in. */
export interface ClientCore extends EventApi {
  /**
   * Gets the current configuration object, with every default filled in.
   *
   * const { logs } = client.getConfig()
   */
  getConfig(): Config
  /**
   * Updates values of the configuration (objects are merged, arrays and other values replaced); every feature sees the new values.
   *
   * client.updateConfig({ logs: { logLevel: client.logger.levels.WARN } })
   * @throws BasicError `BAD_INPUT` (also logged) when `newConfigValues` is not an object or a section is not of its documented shape; nothing changes.
   */
  updateConfig(newConfigValues: UserConfig): void
  /**
   * Retrieves information about the browser being used (`browser`, `version`); defined values mean it supports basic WebRTC scenarios.
   *
   * const { browser, version } = client.getBrowserDetails()
   */
  getBrowserDetails(): BrowserDetails
  /** The logger: its `levels` (values for `config.logs.logLevel`). */
  readonly logger: { readonly levels: typeof levels }
  /**
   * Tears the client down: streams complete, timers stop, sockets and peer connections close, listeners are no longer called; safe to call twice.
   *
   * client.dispose()
   */
  dispose(): void
  /** The same as `dispose()`. */
  destroy(): void
}

/** The SDK instance returned by `create(config)`. */
export type Client = ClientCore & ClientNamespaces & ClientTopLevel

const mapApis = <R extends Record<string, Namespace<object>>>(record: R): { [K in keyof R]: R[K]['api'] } =>
  Object.fromEntries(Object.entries(record).map(([name, namespace]) => [name, namespace.api])) as { [K in keyof R]: R[K]['api'] }

/**
 * The SDK creation factory: an instance of the SDK with the given configuration (every documented default filled in). The optional
 * second argument replaces members of the host environment, e.g. in Node `{ WebSocket }` from `ws` and `RTCPeerConnection` from `@roamhq/wrtc`.
 *
 * const client = create({ authentication: { server: { base: 'oauth-cpaas.att.com' }, clientCorrelator: 'sampleCID' } })
 * client.on('call:stateChange', ({ callId }) => render(client.call.getById(callId)))
 * @throws BasicError `BAD_INPUT` when `config` (or `environment`) is not an object, or a section of `config` is not of its documented
 *   shape (`logs: null`, `connectivity: { pingInterval: 'x' }`).
 */
export function create(config: UserConfig = {}, environment: Partial<Environment> = {}): Client {
  if (!isRecord(config)) throw badInput('create(config): the configuration must be an object')
  if (!isRecord(environment)) throw badInput('create(config, environment): the environment must be an object')

  const streams = createStreams(config, environment)
  const built = namespaces(streams)
  // The auth functions sit directly on the client (`client.setTokens`, `client.getUserInfo`).
  const auth = authApi(streams)
  const all: Namespace<object>[] = [...Object.values<Namespace<object>>(built), auth]
  const logger = streams.logs.logger('events')
  // A namespace whose event stream fails loses its events; the others keep theirs.
  const events$ = merge(...all.map((namespace) => namespace.events$.pipe(loggedAndDropped(logger, 'error', 'An event stream failed'))))
  const { dispose: stopEvents, ...eventApi } = createEmitter(events$, logger)

  const dispose = (): void => {
    stopEvents()
    streams.dispose()
  }
  const core: ClientCore = {
    ...eventApi,
    getConfig: () => streams.config.current(),
    updateConfig: (values) => {
      try {
        if (!isRecord(values)) throw badInput('updateConfig(values): the values must be an object')
        streams.config.update(values)
      } catch (error) {
        // Refused values leave the configuration as it was; the app learns why from the throw and the log.
        streams.logs.logger('config').error('updateConfig refused its values', error)
        throw error
      }
    },
    getBrowserDetails: () => browserDetails(streams.environment.document),
    logger: { levels },
    dispose,
    destroy: dispose,
  }
  return { ...auth.api, ...mapApis(built), ...core }
}

export { sdpHandlers, createCodecRemover, type CodecSelector } from '../streams/sdp/index.js'
export { BasicError, isBasicError, errorCodes, type ErrorCode } from '../streams/errors.js'
export { levels } from '../streams/logs/levels.js'
export { eventNames, isEventName, type EventName, type EventOf, type PublicEvent, type EventListener, type GlobalListener, type EventApi } from './events.js'
export type * from './event-map.js'
export type { BrowserDetails } from './browser.js'
export type { Namespace } from './namespace.js'
export type {
  Config,
  UserConfig,
  LogLevel,
  IceServer,
  SdpObject,
  SdpHandlerFunction,
  SdpHandlerInfo,
  ConnectivityMethod,
  LogActionsConfig,
} from '../streams/config/state.js'
export type { Environment, WebSocketConstructor, WebSocketLike, MediaDevicesLike } from '../streams/environment.js'
// The shapes the namespaces take and return, so that an app can name them.
export type { AuthApi, UserInfo } from './api/auth.js'
export type { CallApi, CallObject } from './api/call.js'
export type { ConnectionApi } from './api/connection.js'
export type { ContactsApi } from './api/contacts.js'
export type { Conversation, ConversationApi, ConversationChange, ConversationOptions, Message, MessageContext, MessageSender, StoredMessage } from './api/conversation-types.js'
export type { GroupsApi } from './api/groups.js'
export type { MediaApi, MediaObject, TrackObject } from './api/media.js'
export type { PresenceApi, SelfPresenceInfo } from './api/presence.js'
export type { ServicesApi, SubscriptionsInfo } from './api/services.js'
export type { UserApi } from './api/user.js'
export type { AnswerOptions, BandwidthControls, MakeOptions, MediaChangeOptions } from '../streams/call/commands.js'
export type { Bandwidth, CallDirection, CallState, MediaConnectionState, RemoteParticipant } from '../streams/call/model.js'
export type { CallQuality } from '../streams/call/quality/warnings.js'
export type { RestartPolicy } from '../streams/config/media-restart.js'
export type { ConnectionState } from '../streams/connection/state.js'
export type { Contact, ContactParams } from '../streams/contacts/state.js'
export type { Group, GroupParams, Invitation, Participant } from '../streams/groups/state.js'
export type { MediaConstraint, MediaOption, MediaOptions } from '../streams/media/constraints.js'
export type { RenderOptions } from '../streams/media/render.js'
export type { Container, DeviceInfo, DevicesObject } from '../streams/media/state.js'
export type { ChatType, FilePart, JsonPart, LocationPart, Part, TextPart } from '../streams/messaging/model.js'
export type { SelfPresence, UserPresence } from '../streams/presence/state.js'
export type { SearchFilters, SearchOptions, User } from '../streams/users/state.js'
