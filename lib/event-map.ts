import type { CallOutput } from '../streams/call/model.js'
import type { QualityWarningChange } from '../streams/call/quality/warnings.js'
import type { Contact } from '../streams/contacts/state.js'
import type { BasicError } from '../streams/errors.js'
import type { Group, Invitation } from '../streams/groups/state.js'
import type { ChatType } from '../streams/messaging/state.js'
import type { User } from '../streams/users/state.js'

/** The payload fields of one core call output, as `call:*` events carry them. */
type CallFact<T extends CallOutput['type'], K extends keyof Extract<CallOutput, { type: T }>> = Pick<Extract<CallOutput, { type: T }>, K>

/** A payload with no field: events that only say "something changed" carry `{}`. */
export type EmptyPayload = Record<string, never>

/** The payload of an event that reports a failure: the `BasicError`. */
export interface ErrorPayload {
  readonly error: BasicError
}

/** `call:start`, `call:receive`: the new call's id (`error` is always undefined). */
export interface CallCreatedPayload {
  readonly callId: string
  readonly error: undefined
}

/** `call:stateChange`: the call's state before, and `transition` details for remote endings, transfers and joins. */
export type CallStateChangePayload = CallFact<'stateChanged', 'callId' | 'error' | 'transition' | 'previous'>

/** `call:newTrack`, `call:trackEnded`: a local or remote track was added to, or left, the call. */
export interface CallTrackPayload extends CallFact<'trackAdded', 'callId' | 'local' | 'trackId'> {
  /** The call's WebRTC session id. */
  readonly id: string
}

/** `call:statsReceived`: the outcome of `call.getStats`. */
export type CallStatsPayload = CallFact<'statsReceived', 'callId' | 'error' | 'result' | 'trackId'>

/** `call:newMedia`: a local `call.addMedia` completed. */
export interface CallNewMediaPayload extends CallFact<'newMedia', 'callId' | 'error' | 'mediaId'> {
  readonly local: true
  readonly tracks: string[]
}

/** `call:removedMedia`: a local `call.removeMedia` completed (the fields of `call:newMedia` without `mediaId`). */
export type CallRemovedMediaPayload = Omit<CallNewMediaPayload, 'mediaId'>

/** `call:trackReplaced`: the outcome of `call.replaceTrack`. */
export type CallTrackReplacedPayload = CallFact<'trackReplaced', 'callId' | 'error' | 'newTrackId' | 'oldTrack'>

/** `call:mediaConnectionChange`: a call's media connection (ICE) state changed; `previous.state` is the one before. */
export type CallMediaConnectionPayload = CallFact<'mediaConnectionChanged', 'callId' | 'previous'>
/** `call:mediaRestart`: a restart of a call's media (by `call.mediaRestart` or by itself) succeeded, or failed with `error`. */
export type CallMediaRestartPayload = CallFact<'mediaRestarted', 'callId' | 'error'>

/**
 * `call:qualityWarning`: a quality warning of a call rose (`active: true`) or cleared, with its figure then (`value`: ms for `high-rtt`,
 * `high-jitter` and `no-inbound-media`, percent for `packet-loss`, the MOS for `low-mos`, the microphone level 0–1 for `constant-audio-input`).
 */
export interface CallQualityWarningPayload extends QualityWarningChange {
  readonly callId: string
}

/** `call:join`, `call:error`: the call and, on failure, the error. */
export type CallErrorPayload = CallFact<'joinReported', 'callId' | 'error'>

/** `media:muted`, `media:unmuted`: the tracks concerned. */
export interface TracksPayload {
  readonly tracks: string[]
}

/** A conversation's identity: who it is with and its chat type. */
export interface ConversationPayload {
  readonly destination: string[]
  readonly type: ChatType
}

/** `messages:change` (and `conversations:change` for a new inbound conversation): the conversation and, when one message changed, its id. */
export interface MessagePayload extends ConversationPayload {
  /** Null for a message whose send failed. */
  readonly messageId?: string | null | undefined
  /** For a finished send: the sender (undefined when the send failed). */
  readonly sender?: string | undefined
}

/** `isTypingList:change`: who is typing (or stopped) in which conversation. */
export interface TypingPayload extends ConversationPayload {
  readonly sender: string | undefined
  readonly state: 'active' | 'idle' | undefined
}

/** `presence:change`: a user's presence. */
export interface PresencePayload {
  readonly userId: string
  readonly status: string | undefined
  readonly activity: string | undefined
  readonly note: string | undefined
}

/** The error of a group event: the `BasicError`, also carrying `error: { code, message }` for the tutorials' `params.error.error.code`. */
export type GroupError = BasicError & { readonly error: { readonly code: BasicError['code']; readonly message: string } }

/** The failure of a group operation (`group:refresh`, `group:delete` and `group:error` name no group). */
export interface GroupErrorPayload {
  readonly error: GroupError
  readonly id?: string
  readonly groupId?: string
}

/** `group:new`, `group:change`: the group's id (as `id` and `groupId`), or the failure. */
export type GroupPayload = { readonly id: string; readonly groupId: string; readonly error?: undefined } | GroupErrorPayload

/**
 * Every event of the documented API and its payload: what `client.on(name, listener)` gives its listener. The namespaces of
 * `lib/api/` build their events against this map, so an event they emit and its documented payload cannot diverge.
 *
 * client.on('call:stateChange', ({ callId, previous }) => console.log(callId, previous?.state))
 */
export interface EventPayloads {
  /** Tokens were set and their idToken decoded. */
  'auth:change': EmptyPayload
  /** The tokens given to `setTokens` could not be used. */
  'auth:error': ErrorPayload
  /** The notification channel was refreshed (`isFailure: false`) or could not be. */
  'auth:resub': { readonly attemptNum: number; readonly isFailure: boolean; readonly error?: BasicError }
  /**
   * A `services.subscribe` / `unsubscribe` started or finished: read `services.getSubscriptions()`. `reason: 'LOST_CONNECTION'` (as the original
   * SDK) when every service was dropped because the channel's connection was lost for good (reconnection gave up).
   */
  'subscription:change': { readonly reason?: 'LOST_CONNECTION' }
  /** A subscription request failed as a whole. */
  'subscription:error': ErrorPayload
  /** The WebSocket connected, was lost, or was closed: read `connection.getSocketState('cpaas')`. */
  'ws:change': { readonly platform: 'cpaas' }
  /** Every accepted notification, handled or not: the whole frame. */
  'notification:received': { readonly payload: unknown }
  /** Declared by the reference, never emitted (no push registration). */
  'notifications:change': { readonly channel: string }
  /** A notification frame could not be read; the socket carries on. */
  'notifications:error': { readonly channel: string; readonly error: BasicError }
  /** An outgoing call was created on the platform (state `Initiated`). */
  'call:start': CallCreatedPayload
  /** An incoming call arrived (state `Ringing`). */
  'call:receive': CallCreatedPayload
  /** A call's state, `localHold` or `remoteHold` changed, or an operation on it failed (`error`). */
  'call:stateChange': CallStateChangePayload
  /** A local `call.addMedia` completed. */
  'call:newMedia': CallNewMediaPayload
  /** A local `call.removeMedia` completed. */
  'call:removedMedia': CallRemovedMediaPayload
  /** A local or remote track was added to a call. */
  'call:newTrack': CallTrackPayload
  /** A track of a call ended. */
  'call:trackEnded': CallTrackPayload
  /** `call.getStats` finished. */
  'call:statsReceived': CallStatsPayload
  /** `call.replaceTrack` finished. */
  'call:trackReplaced': CallTrackReplacedPayload
  /** `call.join` finished. */
  'call:join': CallErrorPayload
  /** A call's media connection state changed: read `call.getById(callId).mediaConnectionState`. */
  'call:mediaConnectionChange': CallMediaConnectionPayload
  /** A media restart ended: `error` when it failed; after the automatic restarts give up, one more with the reason. */
  'call:mediaRestart': CallMediaRestartPayload
  /** A call's quality warning rose or cleared: read `call.getById(callId).quality`. */
  'call:qualityWarning': CallQualityWarningPayload
  /** Mentioned by the reference's tutorials, never emitted. */
  'call:error': CallErrorPayload
  /** The media devices changed: read `media.getDevices()`. */
  'devices:change': EmptyPayload
  /** `media.muteTracks` finished. */
  'media:muted': TracksPayload
  /** `media.unmuteTracks` finished. */
  'media:unmuted': TracksPayload
  /** `conversation.create` made a new conversation. */
  'conversations:new': ConversationPayload
  /** An inbound message created a conversation (one object), or conversations were fetched or deleted (an array of them). */
  'conversations:change': MessagePayload | ConversationPayload[]
  /** A send finished, a message arrived, history was fetched, messages were cleared or deleted, a receipt or a link arrived. */
  'messages:change': MessagePayload
  /** A messaging operation failed; a failed message deletion gives the error itself. */
  'messages:error': ErrorPayload | BasicError
  /** Someone started or stopped typing in a conversation. */
  'isTypingList:change': TypingPayload
  /** A watched user's presence arrived or changed. */
  'presence:change': PresencePayload
  /** `presence.update` succeeded: read `presence.getSelf()`. */
  'presence:selfChange': EmptyPayload
  /** A presence operation failed. */
  'presence:error': ErrorPayload
  /** `groups.create` finished. */
  'group:new': GroupPayload
  /** A participant was added, removed or changed status, or the group was left, joined or ended. */
  'group:change': GroupPayload
  /** `groups.delete` finished: the group as it was. */
  'group:delete': { readonly group: Group | undefined; readonly error?: undefined } | GroupErrorPayload
  /** `groups.fetch` finished. */
  'group:refresh': EmptyPayload | GroupErrorPayload
  /** An invitation to a group arrived (`groupId` is the same as `id`). */
  'group:invitation_received': { readonly invitation: Invitation & { readonly groupId: string } }
  /** A group notification could not be applied. */
  'group:error': GroupErrorPayload
  /** `contacts.add` finished: the new contact. */
  'contacts:new': Contact
  /** The address book changed: read `contacts.getAll()`. */
  'contacts:change': EmptyPayload
  /** A contacts operation failed. */
  'contacts:error': ErrorPayload
  /** A directory search or fetch succeeded; `next` pages on with `user.search`. */
  'directory:change': { readonly results: readonly User[]; readonly next?: string }
  /** A directory operation failed. */
  'directory:error': ErrorPayload
}
