import type { Subscription } from 'rxjs'
import type { ConfigFeature } from '../config/feature.js'
import type { PlatformLink } from '../connection/link.js'
import type { Environment } from '../environment.js'
import { asBasicError, errorCodes, type BasicError } from '../errors.js'
import type { Logger } from '../logs/logger.js'
import type { MediaFeature } from '../media/feature.js'
import { endSession, type CallScope } from './requests.js'
import type { Runtimes } from './runtime.js'
import type { Signalling } from './signalling.js'
import type { CallEvent } from './model.js'
import type { CallStore } from './store.js'

/** The parts feature.ts builds; each module takes the few it uses (`Pick<CallEngine, 'store' | 'link'>`). */
export interface CallEngine {
  readonly store: CallStore
  readonly runtimes: Runtimes
  readonly signalling: Signalling
  readonly link: PlatformLink
  readonly media: MediaFeature
  readonly config: ConfigFeature
  readonly environment: Environment
  readonly logger: Logger
  /** Effects that belong to no call any more (ending a session after the call was released); stopped on dispose. */
  readonly running: Subscription
  readonly now: () => number
}

/** Any failure of a call's effect as a BasicError (`call:2` unless it is one already). */
export const asCallError = (cause: unknown): BasicError => asBasicError(cause, errorCodes.call.GENERIC_ERROR)

/** The call's media is released, then `event` ends the call. */
export function endCall({ store, runtimes }: Pick<CallEngine, 'store' | 'runtimes'>, event: CallEvent): void {
  runtimes.release(event.callId)
  store.dispatch(event)
}

/** The call fails: its media is released, then it ends with `error`. */
export const failCall = (engine: Pick<CallEngine, 'store' | 'runtimes' | 'now'>, callId: string, error: BasicError): void =>
  endCall(engine, { type: 'callFailed', callId, error, at: engine.now() })

/** Ends a session on the platform whatever becomes of its call; a failure is logged as `failure` (or ignored without it). */
export function endSessionOf({ link, running, logger }: Pick<CallEngine, 'link' | 'running' | 'logger'>, scope: CallScope, sessionId: string, failure?: string): void {
  running.add(endSession(link, scope, sessionId).subscribe({ error: (error: unknown) => failure !== undefined && logger.warn(failure, error) }))
}
