// A PlatformLink for feature specs that need no platform: it records every request it is asked
// for (so a spec can prove that bad input sends nothing) and never answers (`answering` makes it
// answer, for a spec of what a feature does with the answer). Specs that talk to the platform
// live in spec/integration/.
import { NEVER, Subject, type Observable } from 'rxjs'
import { createConfig, type ConfigFeature } from '../../../streams/config/feature.js'
import type { AuthUser, InboundNotification, PlatformLink, RequestSpec } from '../../../streams/connection/link.js'
import { createEnvironment } from '../../../streams/environment.js'
import { createLogs } from '../../../streams/logs/feature.js'
import type { Logs } from '../../../streams/logs/logger.js'

export interface RecordingLink extends PlatformLink {
  readonly requests: RequestSpec<unknown>[]
}

export const aliceUser: AuthUser = {
  username: 'alice@example.com',
  identity: 'alice@example.com',
  domain: 'example.com',
  accessToken: 'token',
  idToken: 'id',
}

/** `signedIn: false` has no user, as before `setTokens`. */
export function recordingLink(signedIn = true): RecordingLink {
  const user = signedIn ? aliceUser : undefined
  const requests: RequestSpec<unknown>[] = []
  const notifications = new Subject<InboundNotification>()
  return {
    requests,
    user$: new Subject<AuthUser | undefined>(),
    user: () => user,
    request: <A>(spec: RequestSpec<A>): Observable<A> => {
      requests.push(spec as RequestSpec<unknown>)
      return NEVER
    },
    notifications$: notifications,
  }
}

/** `link`, recording its requests still, with each request answered by what `answer` makes. */
export const answering = (link: RecordingLink, answer: () => Observable<unknown>): RecordingLink => ({
  ...link,
  request: <A>(spec: RequestSpec<A>): Observable<A> => {
    link.request(spec)
    return answer() as Observable<A>
  },
})

/** Configuration and silent logs for a feature under test. */
export function quietCore(): { config: ConfigFeature; logs: Logs } {
  const config = createConfig({ logs: { logLevel: 'silent' } })
  return { config, logs: createLogs(config, createEnvironment()) }
}
