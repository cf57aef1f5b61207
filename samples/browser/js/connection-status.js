// The header's connection status (online, connecting, reconnecting, offline, with the services
// subscribed as its title) and what the first settled subscription tells the user.
import { $, errorText, showError } from './dom.js'

const labels = { online: 'Online', connecting: 'Connecting…', reconnecting: 'Reconnecting…', offline: 'Offline' }

/**
 * Keeps the status current from the client's socket and subscription events. `onSubscribed(subscribed)` runs once,
 * when the first subscription settles; a service asked for and missing is shown as an error then.
 */
export function startConnectionStatus(client, services, onSubscribed) {
  const connection = $('#connection-status')
  const connectionText = $('#connection-text')
  const show = () => {
    const socket = client.connection.getSocketState('cpaas')
    const { subscribed, isPending } = client.services.getSubscriptions()
    const state = socket?.connected ? (isPending ? 'connecting' : 'online') : socket?.reconnecting ? 'reconnecting' : isPending ? 'connecting' : 'offline'
    connection.dataset.state = state
    connectionText.textContent = labels[state]
    connection.title = subscribed.length > 0 ? `Subscribed: ${subscribed.join(', ')}` : 'No subscriptions'
  }
  let subscribedOnce = false
  const onSubscription = () => {
    show()
    const { subscribed, isPending } = client.services.getSubscriptions()
    if (isPending || subscribedOnce) return
    subscribedOnce = true
    const missing = services.filter((service) => !subscribed.includes(service))
    if (missing.length > 0) showError(`Could not subscribe to ${missing.join(', ')}: those updates will not arrive.`)
    onSubscribed(subscribed)
  }
  const onSubscriptionError = ({ error }) => {
    show()
    showError(`Subscription: ${errorText(error)}`)
  }
  client.on('subscription:change', onSubscription)
  client.on('subscription:error', onSubscriptionError)
  client.on('ws:change', show)
  return {
    show,
    stop() {
      client.off('subscription:change', onSubscription)
      client.off('subscription:error', onSubscriptionError)
      client.off('ws:change', show)
    },
  }
}
