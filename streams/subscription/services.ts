import * as E from 'fp-ts/Either'
import { badInput, shown, type BasicError } from '../errors.js'
import { availableServices, subscribedServices, type ServiceName, type SubscriptionOperation, type SubscriptionState } from './state.js'

/**
 * The services an app named (it may pass anything): `type` must be `websocket` (the default); names lowercased, unknown ones dropped,
 * duplicates merged; none valid is `BAD_INPUT`.
 *
 * requestedServices('subscribe', ['Chat', 'bogus']) // E.right(['chat'])
 */
export function requestedServices(operation: SubscriptionOperation, services: unknown, type: unknown = 'websocket'): E.Either<BasicError, ServiceName[]> {
  const name = `services.${operation}`
  if (typeof type !== 'string' || type.toLowerCase() !== 'websocket') return E.left(badInput(`${name}: only the 'websocket' channel type is supported (got ${shown(type)})`))
  if (!Array.isArray(services)) return E.left(badInput(`${name}: services must be an array of service names`))
  if (services.length === 0) return E.left(badInput(`${name}: no services given; available: ${availableServices.join(', ')}`))
  const valid = [...new Set(services.filter((service): service is string => typeof service === 'string').map((service) => service.toLowerCase()))].filter(
    (service): service is ServiceName => (availableServices as readonly string[]).includes(service),
  )
  if (valid.length === 0) return E.left(badInput(`${name}: no valid service in [${services.map(shown).join(', ')}]; available: ${availableServices.join(', ')}`))
  return E.right(valid)
}

/** What `services.getSubscriptions()` returns. */
export interface Subscriptions {
  readonly subscribed: readonly ServiceName[]
  readonly available: readonly ServiceName[]
  readonly isPending: boolean
}

export const subscriptionsOf = (state: SubscriptionState): Subscriptions => ({
  subscribed: subscribedServices(state),
  available: [...availableServices],
  isPending: state.isPending,
})

/** Service names hold no comma: the joined lists compare them in order. */
export const sameSubscriptions = (a: Subscriptions, b: Subscriptions): boolean => a.isPending === b.isPending && a.subscribed.join() === b.subscribed.join()
