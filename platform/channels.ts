import { WebSocket } from 'ws'
import type { ClockTimer, PlatformClock } from './clock.js'
import type { NotificationFrame, ServiceName } from './context.js'
import { enqueue, freshFrames, type QueuedFrame } from './channel-queue.js'
import { ConnChecks } from './connchecks.js'
import type { Faults } from './faults.js'
import { chosenDevices, type DeviceFilter } from './devices.js'
import { frameText } from './frames.js'

/** Who sends the connectivity checks on a channel (`x-connCheckRole`). */
export type ConnCheckRole = 'client' | 'server'

export interface SubscriptionRecord {
  readonly id: string
  readonly userId: string
  readonly service: ServiceName
  readonly channelId: string
  readonly clientCorrelator: string | undefined
}

export interface ChannelRecord {
  /** Also the channel's `callbackURL` (`ws-<uuid>`), which subscriptions name as `notifyURL`. */
  readonly id: string
  readonly userId: string
  readonly clientCorrelator: string | undefined
  /** Lowercased (`websockets`): the original SDK tears its channel down only for exactly that value. */
  readonly channelType: string
  readonly role: ConnCheckRole
  /** Granted lifetime in seconds: how long the channel lives with no socket. */
  lifetime: number
  /** Open sockets, oldest first; notifications go to the newest. */
  readonly sockets: WebSocket[]
  /** Notifications waiting for a socket (`channel-queue.ts`). */
  queue: QueuedFrame[]
  /** `<scheme>://<Host>` the newest socket was opened by: links in its notifications name it. */
  origin: string | undefined
  readonly subscriptions: Map<string, SubscriptionRecord>
  /** Subscriptions per service: a notification goes once per channel whatever the count. */
  readonly services: Map<ServiceName, number>
  expiry: ClockTimer | undefined
}

export interface HubOptions {
  /** Seconds between server `connCheck` frames on channels created with `x-connCheckRole: server`. */
  readonly serverConnCheckInterval: number
  readonly faults: Faults
  readonly id: () => string
  /** Channel expiry, queued-notification age, connChecks and the close-frame grace run on it. */
  readonly clock: PlatformClock
  readonly log: (line: string) => void
  /** Resolves any address form to the canonical userId (or undefined). */
  readonly canonicalUser: (address: string) => string | undefined
  /** The platform's own origin, for links to a channel that has had no socket yet. */
  readonly origin: () => string
}

/**
 * Notification channels, their sockets and service subscriptions, and notification delivery.
 * Every lookup is by map: per user, per channel, per subscription id.
 */
export class ChannelHub {
  private readonly channels = new Map<string, ChannelRecord>()
  private readonly byUser = new Map<string, Map<string, ChannelRecord>>()
  private readonly subscriptions = new Map<string, SubscriptionRecord>()
  private readonly connChecks: ConnChecks

  constructor(private readonly options: HubOptions) {
    this.connChecks = new ConnChecks(options.serverConnCheckInterval, options.clock, options.faults, options.log, (socket) => this.closeSocket(socket, 1001, 'connCheck unanswered', true))
  }

  create(userId: string, fields: { clientCorrelator: string | undefined; channelType: string; role: ConnCheckRole; lifetime: number }): ChannelRecord {
    const channel: ChannelRecord = {
      id: `ws-${this.options.id()}`,
      userId,
      ...fields,
      sockets: [],
      queue: [],
      origin: undefined,
      subscriptions: new Map(),
      services: new Map(),
      expiry: undefined,
    }
    this.channels.set(channel.id, channel)
    const mine = this.byUser.get(userId) ?? new Map<string, ChannelRecord>()
    mine.set(channel.id, channel)
    this.byUser.set(userId, mine)
    this.scheduleExpiry(channel)
    return channel
  }

  /** The channel if it exists and belongs to `userId`. */
  get(userId: string, channelId: string): ChannelRecord | undefined {
    const channel = this.channels.get(channelId)
    return channel?.userId === userId ? channel : undefined
  }

  channelsOf(userId: string): ChannelRecord[] {
    return [...(this.byUser.get(userId)?.values() ?? [])]
  }

  /** Sets a new lifetime and restarts the countdown of a channel with no socket. */
  refresh(channel: ChannelRecord, lifetime: number): void {
    channel.lifetime = lifetime
    this.scheduleExpiry(channel)
  }

  /** Deletes a channel: its sockets close with `code` (1000) and its subscriptions go. */
  delete(channel: ChannelRecord, code = 1000, reason = 'channel deleted'): void {
    this.channels.delete(channel.id)
    const mine = this.byUser.get(channel.userId)
    mine?.delete(channel.id)
    if (mine?.size === 0) this.byUser.delete(channel.userId)
    for (const id of channel.subscriptions.keys()) this.subscriptions.delete(id)
    channel.expiry?.cancel()
    for (const socket of [...channel.sockets]) this.closeSocket(socket, code, reason, false)
  }

  subscribe(userId: string, service: ServiceName, notifyURL: string, clientCorrelator: string | undefined): SubscriptionRecord | undefined {
    const channel = this.get(userId, notifyURL)
    if (channel === undefined) return undefined
    const subscription: SubscriptionRecord = { id: this.options.id(), userId, service, channelId: channel.id, clientCorrelator }
    this.subscriptions.set(subscription.id, subscription)
    channel.subscriptions.set(subscription.id, subscription)
    channel.services.set(service, (channel.services.get(service) ?? 0) + 1)
    return subscription
  }

  subscription(userId: string, subscriptionId: string): SubscriptionRecord | undefined {
    const found = this.subscriptions.get(subscriptionId)
    return found?.userId === userId ? found : undefined
  }

  unsubscribe(userId: string, subscriptionId: string, service?: ServiceName): boolean {
    const found = this.subscription(userId, subscriptionId)
    if (found === undefined || (service !== undefined && found.service !== service)) return false
    this.subscriptions.delete(found.id)
    const channel = this.channels.get(found.channelId)
    if (channel !== undefined) {
      channel.subscriptions.delete(found.id)
      const left = (channel.services.get(found.service) ?? 1) - 1
      if (left > 0) channel.services.set(found.service, left)
      else channel.services.delete(found.service)
    }
    return true
  }

  hasService(userId: string, service: ServiceName): boolean {
    for (const channel of this.byUser.get(userId)?.values() ?? []) if (channel.services.has(service)) return true
    return false
  }

  isOnline(userId: string): boolean {
    for (const channel of this.byUser.get(userId)?.values() ?? []) if (channel.sockets.length > 0) return true
    return false
  }

  /**
   * Sends `frame` to every channel of the user subscribed to `service` (or to some of them, by
   * `devices`), once per channel, serialised once per origin (a function of the channel's origin
   * for frames with links); adds the same `id` to the kind object, on every channel, when it has none.
   */
  notify(userId: string, service: ServiceName, frame: NotificationFrame | ((origin: string) => NotificationFrame), devices?: DeviceFilter): void {
    const user = this.byUser.has(userId) ? userId : this.options.canonicalUser(userId)
    const channels = user === undefined ? undefined : this.byUser.get(user)
    if (channels === undefined) return
    const subscribed = [...channels.values()].filter((channel) => channel.services.has(service))
    const text = frameText(frame, this.options.id)
    for (const channel of devices === undefined ? subscribed : chosenDevices(subscribed, devices)) this.deliver(channel, text(channel.origin ?? this.options.origin()))
  }

  /** Sends text as it is (even invalid JSON) to the newest socket of each channel of the user; returns how many got it. */
  sendRaw(userId: string, data: string): number {
    let sent = 0
    for (const channel of this.byUser.get(userId)?.values() ?? []) {
      const socket = newestOpen(channel)
      if (socket !== undefined) {
        socket.send(data)
        sent += 1
      }
    }
    return sent
  }

  /** Attaches an upgraded socket, opened by `origin`, to its channel: queued notifications are flushed in order. */
  attach(channel: ChannelRecord, socket: WebSocket, origin: string): void {
    channel.sockets.push(socket)
    channel.origin = origin
    channel.expiry?.cancel()
    channel.expiry = undefined
    socket.on('message', (data, isBinary) => this.connChecks.receive(channel, socket, isBinary ? undefined : data.toString()))
    socket.on('close', () => this.detach(channel, socket))
    socket.on('error', (error) => this.options.log(`channel ${channel.id}: socket error ${error.message}`))
    const queued = freshFrames(channel.queue, this.options.clock.now())
    channel.queue = []
    for (const entry of queued) socket.send(entry.data)
    if (channel.role === 'server') this.connChecks.start(channel, socket)
  }

  /** Closes sockets of one user (or everyone's) with `code`, or terminates them (no close frame). Channels stay. */
  dropSockets(options: { userId?: string; code?: number; reason?: string; terminate?: boolean }): number {
    let dropped = 0
    const channels = options.userId === undefined ? this.channels.values() : (this.byUser.get(options.userId)?.values() ?? [].values())
    for (const channel of [...channels]) {
      for (const socket of [...channel.sockets]) {
        this.closeSocket(socket, options.code ?? 1001, options.reason ?? 'dropped', options.terminate ?? false)
        dropped += 1
      }
    }
    return dropped
  }

  /** Summary for tests and `/_admin/state`. */
  state(): Record<string, { channels: { id: string; role: ConnCheckRole; lifetime: number; sockets: number; queued: number; subscriptions: { id: string; service: ServiceName }[] }[] }> {
    const users: ReturnType<ChannelHub['state']> = {}
    for (const [userId, channels] of this.byUser) {
      users[userId] = {
        channels: [...channels.values()].map((channel) => ({
          id: channel.id,
          role: channel.role,
          lifetime: channel.lifetime,
          sockets: channel.sockets.length,
          queued: channel.queue.length,
          subscriptions: [...channel.subscriptions.values()].map(({ id, service }) => ({ id, service })),
        })),
      }
    }
    return users
  }

  counts(): { channels: number; sockets: number; subscriptions: number } {
    let sockets = 0
    for (const channel of this.channels.values()) sockets += channel.sockets.length
    return { channels: this.channels.size, sockets, subscriptions: this.subscriptions.size }
  }

  /** Stops every timer and terminates every socket (shutdown); channels are kept in memory. */
  stop(code = 1001, reason = 'server shutting down'): void {
    this.dropSockets({ code, reason })
    for (const channel of this.channels.values()) {
      channel.expiry?.cancel()
      channel.expiry = undefined
    }
  }

  /** Starts expiry countdowns again after `stop` (in-process restart). */
  resume(): void {
    for (const channel of this.channels.values()) this.scheduleExpiry(channel)
  }

  private deliver(channel: ChannelRecord, data: string): void {
    const socket = newestOpen(channel)
    if (socket !== undefined) {
      socket.send(data)
      return
    }
    enqueue(channel.queue, data, this.options.clock.now())
  }

  private detach(channel: ChannelRecord, socket: WebSocket): void {
    const index = channel.sockets.indexOf(socket)
    if (index >= 0) channel.sockets.splice(index, 1)
    this.connChecks.stop(socket)
    if (channel.sockets.length === 0 && this.channels.get(channel.id) === channel) this.scheduleExpiry(channel)
  }

  private scheduleExpiry(channel: ChannelRecord): void {
    channel.expiry?.cancel()
    channel.expiry = undefined
    if (channel.sockets.length > 0) return
    channel.expiry = this.options.clock.later(channel.lifetime * 1000, () => {
      channel.expiry = undefined
      this.options.log(`channel ${channel.id} of ${channel.userId} expired after ${channel.lifetime} s without a socket`)
      this.delete(channel, 1000, 'channel expired')
    })
  }

  private closeSocket(socket: WebSocket, code: number, reason: string, terminate: boolean): void {
    this.connChecks.stop(socket)
    if (terminate) socket.terminate()
    else if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
      socket.close(code, reason)
      // A client that never answers the close frame must not keep the socket (and its channel) alive.
      this.options.clock.later(2000, () => socket.terminate())
    }
  }
}

function newestOpen(channel: ChannelRecord): WebSocket | undefined {
  for (let i = channel.sockets.length - 1; i >= 0; i--) {
    const socket = channel.sockets[i]!
    if (socket.readyState === WebSocket.OPEN) return socket
  }
  return undefined
}
