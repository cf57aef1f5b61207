/**
 * `client.services`: subscribe to the platform's services (`call`, `chat`, `smsinbound`,
 * `presence`), which opens the notification channel. Events: `subscription:change`,
 * `subscription:error`, `auth:resub`.
 *
 * @module client.services
 */
export type { ServicesApi, SubscriptionsInfo } from '../../lib/api/services.js'
