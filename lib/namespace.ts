import type { Observable } from 'rxjs'
import type { PublicEvent } from './events.js'

/**
 * What every `lib/api/<namespace>.ts` module returns: its namespace's documented functions, and the feature's events under their documented names and payloads.
 *
 * export function presenceApi(streams: Streams): Namespace<PresenceApi> {
 *   return { api: { update, get, getAll, … }, events$: streams.presence.events$.pipe(map(toPublicEvent)) }
 * }
 */
export interface Namespace<Api extends object> {
  /** The functions the client exposes for this namespace. */
  readonly api: Api
  /** The namespace's events, already in their documented names and payloads. */
  readonly events$: Observable<PublicEvent>
}
