import { EMPTY, concat, concatMap, catchError, defer, ignoreElements, merge, of, type Observable } from 'rxjs'
import { badInput, BasicError, errorCodes, shown } from '../errors.js'
import * as requests from './requests.js'
import { subscribedServices, type Channel, type ServiceName, type SubscriptionEvent } from './state.js'
import { channelSteps, droppedOr, type OperationDeps } from './steps.js'

/** The subscribe, unsubscribe, replace and forget operations, each a cold Observable of the events it causes. */
export function subscriptionOperations(deps: OperationDeps) {
  const { link, connection, logger } = deps
  const { context, deadline, createChannel, openAndSubscribe, failed, rejected, withUser, tolerated } = channelSteps(deps)

  const subscribe = (services: readonly ServiceName[]): Observable<SubscriptionEvent> =>
    withUser('subscribe', (user) => {
      const at = deadline()
      const opened$ = (channel: Channel, created: boolean): Observable<SubscriptionEvent> => {
        const wanted = services.filter((service) => !subscribedServices(deps.current()).includes(service))
        return openAndSubscribe(user, channel, created, wanted, at, (outcome) => ({ type: 'servicesSubscribed', ...outcome }))
      }
      const existing = deps.current().channel
      const subscribed$ =
        existing !== undefined
          ? opened$(existing, false)
          : createChannel(user, at).pipe(concatMap((channel) => concat(of<SubscriptionEvent>({ type: 'channelCreated', channel }), opened$(channel, true))))
      return concat(of<SubscriptionEvent>({ type: 'operationStarted', operation: 'subscribe' }), subscribed$.pipe(catchError((error: unknown) => of(failed('subscribe', error)))))
    })

  const unsubscribe = (services: readonly ServiceName[]): Observable<SubscriptionEvent> =>
    withUser('unsubscribe', (user) => {
      const { channel, subscriptions } = deps.current()
      const leaving = subscriptions.filter((subscription) => services.includes(subscription.service))
      if (leaving.length === 0 || channel === undefined) {
        return rejected('unsubscribe', badInput(`services.unsubscribe: none of [${services.map(shown).join(', ')}] is subscribed`))
      }
      const at = deadline()
      const lastOnes = leaving.length === subscriptions.length
      const deletes = leaving.map((subscription) =>
        tolerated(requests.unsubscribeService(context(user), subscription), at, `Service ${subscription.service} not unsubscribed on the platform`),
      )
      // With no service left the socket closes and the channel goes (channelType compared case-insensitively).
      const teardown$ =
        lastOnes && channel.channelType.toLowerCase() === 'websockets'
          ? defer(() => {
              connection.disconnect()
              return tolerated(requests.deleteChannel(context(user), channel), at, 'Notification channel not deleted on the platform')
            })
          : EMPTY
      return concat(
        of<SubscriptionEvent>({ type: 'operationStarted', operation: 'unsubscribe' }),
        merge(...deletes).pipe(ignoreElements()),
        teardown$.pipe(ignoreElements()),
        of<SubscriptionEvent>({ type: 'servicesUnsubscribed', services: leaving.map((subscription) => subscription.service), channelDeleted: lastOnes }),
      )
    })

  /** The platform lost `lost`: a new channel, the socket on it, the same services again. */
  const replace = (lost: Channel): Observable<SubscriptionEvent> =>
    defer(() => {
      const current = deps.current()
      const user = link.user()
      if (current.channel?.id !== lost.id || user === undefined) return EMPTY
      logger.warn('The platform lost the notification channel: creating a new one')
      connection.disconnect()
      const at = deadline()
      return createChannel(user, at).pipe(
        concatMap((channel) => openAndSubscribe(user, channel, true, subscribedServices(current), at, (outcome) => ({ type: 'channelReplaced', channel, ...outcome }))),
        catchError((error: unknown) => {
          const basic = droppedOr(error, errorCodes.subscription.CPAAS_WSREQUEST_FAIL, 'Channel re-creation')
          logger.error(`The notification channel could not be re-created: ${basic.message}`)
          return of<SubscriptionEvent>({ type: 'channelLost', error: basic })
        }),
      )
    })

  /** Reconnection gave up on `channelURL`: forget the channel (Recommendation §5) if it is still ours. */
  const forget = (channelURL: string, error: BasicError): Observable<SubscriptionEvent> =>
    defer(() => (deps.current().channel?.channelURL === channelURL ? of<SubscriptionEvent>({ type: 'channelLost', error }) : EMPTY))

  return { subscribe, unsubscribe, replace, forget, rejected }
}
