/** A code an app matches on: a catalogue code (`call:6`), an SDK string (`BAD_INPUT`), a platform `messageId` (`SVC0002`), an HTTP status or an error name. */
export type ErrorCode = string | number

/** The Basic Error object: what every failure of the SDK is reported as. */
export class BasicError extends Error {
  override readonly name = 'BasicError' as const
  readonly code: ErrorCode

  constructor(code: ErrorCode = 'NO_CODE', message = 'An error occured') {
    super(message)
    this.code = code
  }

  /** A plain `{ name, code, message }` copy (what listeners of the reference read). */
  toJSON(): { name: 'BasicError'; code: ErrorCode; message: string } {
    return { name: this.name, code: this.code, message: this.message }
  }
}

/** True for any BasicError, also one made by another copy of the SDK. */
export const isBasicError = (value: unknown): value is BasicError =>
  typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'BasicError' && 'code' in value

/** The error code catalogue (`protocol/events.md` §12). */
export const errorCodes = {
  authentication: {
    INVALID_CREDENTIALS: 'authentication:1',
    CONNECT_FAIL_WS_ERROR: 'authentication:2',
    LINK_UNSUBSCRIBE_FAIL: 'authentication:3',
    LINK_SUBSCRIBE_FAIL: 'authentication:4',
    LINK_EXTEND_SUBSCRIPTION_FAIL: 'authentication:5',
    LINK_UPDATE_SUBSCRIPTION_FAIL: 'authentication:6',
    UC_SUBSCRIBE_FAIL: 'authentication:7',
    UC_REFRESH_TOKEN_FAIL: 'authentication:8',
    UC_CREATE_TOKEN_FAIL: 'authentication:9',
    UC_EXTEND_SUBSCRIPTION_FAIL: 'authentication:10',
    UC_DISCONNECT_FAIL: 'authentication:11',
    MISSING_SERVICE: 'authentication:12',
  },
  call: {
    UNKNOWN_ERROR: 'call:1',
    GENERIC_ERROR: 'call:2',
    INIT_MEDIA_FAILED: 'call:3',
    USER_MEDIA_ERROR: 'call:4',
    NOT_SUPPORTED: 'call:5',
    INVALID_STATE: 'call:6',
    INVALID_PARAM: 'call:7',
    STATE_DESYNC: 'call:8',
    INVALID_OFFER: 'call:9',
    MEDIA_MISMATCH: 'call:10',
  },
  callHistory: { UNKNOWN_ERROR: 'callHistory:1', BAD_REQUEST: 'callHistory:2', NOT_FOUND: 'callHistory:3' },
  clickToCall: { MISSING_ARGS: 'clickToCall:1', RESPONSE_ERROR: 'clickToCall:2' },
  groups: { UNKNOWN_ERROR: 'groups:1', GENERIC_ERROR: 'groups:2', MISSING_PARAMETERS: 'groups:3' },
  messaging: {
    CREATE_GROUP_FAIL: 'messaging:1',
    MARK_READ_FAIL: 'messaging:2',
    REMOVE_MEMBERS_FAIL: 'messaging:3',
    ADD_MEMBERS_FAIL: 'messaging:4',
    SEND_MESSAGE_FAIL: 'messaging:5',
    FETCH_MESSAGES_FAIL: 'messaging:6',
    FILE_UPLOAD_FAIL: 'messaging:7',
    FETCH_CONVERSATIONS_FAIL: 'messaging:8',
    INVALID_DESTINATION: 'messaging:9',
    INVALID_FILE_PARTS: 'messaging:10',
    SET_IS_TYPING_FAIL: 'messaging:11',
  },
  mwi: { FETCH_MWI_FAIL: 'mwi:1' },
  sipEvents: { UNKNOWN_ERROR: 'sipEvents:1', NOT_PROVISIONED: 'sipEvents:2', NOT_SUBSCRIBED: 'sipEvents:3' },
  audioBridge: {
    UNKNOWN_ERROR: 'audioBridge:1',
    INVALID_INPUT: 'audioBridge:2',
    ALREADY_EXISTS: 'audioBridge:3',
    NOT_FOUND: 'audioBridge:4',
    NOT_SUPPORTED: 'audioBridge:5',
    MEDIA_NOT_FOUND: 'audioBridge:6',
    INVALID_STATE: 'audioBridge:7',
  },
  subscription: {
    WS_CONNECTION_ERROR: 'subscription:1',
    CPAAS_WSREQUEST_FAIL: 'subscription:2',
    CPAAS_WSREVOKE_FAIL: 'subscription:3',
    CPAAS_WSREFRESH_FAIL: 'subscription:4',
    CPAAS_SERVICE_SUB_FAIL: 'subscription:5',
    CPAAS_SERVICE_UNSUB_FAIL: 'subscription:6',
    CPAAS_UNSUBSCRIBE_FAIL: 'subscription:7',
  },
  presence: { INVALID_STATUS: 'presence:1', INVALID_ACTIVITY: 'presence:2' },
  users: { UNKNOWN: 'users:1', REFRESH_CONTACTS_FAIL: 'users:2', DIRECTORY_REQUEST_FAIL: 'users:3', INVALID_PARAM: 'users:4' },
  /** Codes outside the catalogue (`protocol/events.md` §12.2). */
  general: { BAD_INPUT: 'BAD_INPUT', NO_CODE: 'NO_CODE' },
} as const

/** The error of an argument or payload that is not what the API takes (`BAD_INPUT`). */
export const badInput = (message: string): BasicError => new BasicError(errorCodes.general.BAD_INPUT, message)

/**
 * A value an app passed, as text for an id or a message: never throws, also for objects without a prototype or with a throwing `toString`.
 *
 * shown(Object.create(null)) // '[object Object]'
 */
export function shown(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    return String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/**
 * Any failure as a BasicError: a BasicError as it is, anything else under `code` with its message, after `context` when given
 * (the link already maps platform errors; this covers the unexpected).
 *
 * asBasicError(new TypeError('x'), errorCodes.subscription.WS_CONNECTION_ERROR, 'WebSocket open') // 'WebSocket open: x'
 */
export const asBasicError = (cause: unknown, code: ErrorCode = errorCodes.general.NO_CODE, context?: string): BasicError => {
  if (isBasicError(cause)) return cause
  const message = cause instanceof Error ? cause.message : String(cause)
  return new BasicError(code, context === undefined ? message : `${context}: ${message}`)
}
