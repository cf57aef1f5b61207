import type * as E from 'fp-ts/Either'
import type { Observable } from 'rxjs'
import type { PlatformLink } from '../connection/link.js'
import type { Environment } from '../environment.js'
import type { BasicError } from '../errors.js'
import type { Logger } from '../logs/logger.js'
import type { MediaFeature } from '../media/feature.js'
import type { CallScope } from './requests.js'
import type { CallRuntime } from './runtime.js'
import type { CallEvent, CallRecord, CallsStep } from './state.js'

/** What transfer.ts and join.ts use of the call engine (until they declare their own interfaces). */
export interface CallContext {
  readonly environment: Environment
  readonly logger: Logger
  readonly link: PlatformLink
  readonly media: MediaFeature
  readonly now: () => number
  readonly dispatch: (event: CallEvent) => CallsStep
  readonly callOf: (callId: string) => CallRecord | undefined
  readonly isLive: (callId: string) => boolean
  readonly runtime: (callId: string) => CallRuntime
  readonly own: (callId: string, effect: Observable<unknown>) => void
  readonly scope: () => E.Either<BasicError, CallScope>
}
