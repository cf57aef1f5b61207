import type { PlatformContext } from '../context.js'
import { notFound } from '../context.js'
import { coreOf } from '../core.js'
import type { ChannelRecord, ConnCheckRole } from '../channels.js'
import { ChannelLifetimeRequest, CreateChannelRequest } from '../../streams/subscription/codecs.js'
import { badInput } from '../errors.js'

/** Lifetime granted when the client sends none, in seconds. */
export const defaultChannelLifetime = 3600
/** Longest lifetime granted, in seconds. */
export const maxChannelLifetime = 86400

const base = '/cpaas/notificationchannel/:version/:userId/channels'

const resourceURL = (channel: ChannelRecord): string => `/cpaas/notificationchannel/v1/${channel.userId}/channels/${channel.id}`

/** The `notificationChannel` object of a channel (`protocol/channel-and-subscriptions.md` §2). */
export const channelBody = (channel: ChannelRecord): Record<string, unknown> => ({
  callbackURL: channel.id,
  channelData: { channelURL: `${resourceURL(channel)}/websocket` },
  channelLifetime: channel.lifetime,
  channelType: channel.channelType,
  clientCorrelator: channel.clientCorrelator,
  'x-connCheckRole': channel.role,
  resourceURL: resourceURL(channel),
})

const grantedLifetime = (requested: number): number => Math.min(requested, maxChannelLifetime)

/** Notification channels: create, read, refresh, delete (the WebSocket itself is served by the core). */
export function channelsFeature(ctx: PlatformContext): void {
  const { hub } = coreOf(ctx)

  ctx.route('POST', base, { body: CreateChannelRequest }, ({ body, user }) => {
    const request = body.notificationChannel
    if (request.channelType.toLowerCase() !== 'websockets') return badInput('notificationChannel.channelType')
    const role = (request['x-connCheckRole'] ?? 'client').toLowerCase()
    if (role !== 'client' && role !== 'server') return badInput('notificationChannel.x-connCheckRole')
    const lifetime = request.channelLifetime ?? defaultChannelLifetime
    if (!Number.isFinite(lifetime) || lifetime <= 0) return badInput('notificationChannel.channelLifetime')
    const channel = hub.create(user.userId, {
      clientCorrelator: request.clientCorrelator,
      // Answered in lowercase: the original SDK (4.9) closes its socket and deletes the channel after
      // the last unsubscription only when the channel's type reads exactly `websockets`.
      channelType: request.channelType.toLowerCase(),
      role: role as ConnCheckRole,
      lifetime: grantedLifetime(lifetime),
    })
    return { status: 201, body: { notificationChannel: channelBody(channel) } }
  })

  ctx.route('GET', base, {}, ({ user }) => ({
    status: 200,
    body: { notificationChannelList: { notificationChannel: hub.channelsOf(user.userId).map(channelBody) } },
  }))

  ctx.route('GET', `${base}/:channelId`, {}, ({ user, params }) => {
    const channel = hub.get(user.userId, params.channelId!)
    return channel === undefined ? notFound(params.channelId!) : { status: 200, body: { notificationChannel: channelBody(channel) } }
  })

  for (const pattern of [`${base}/:channelId`, `${base}/:channelId/channelLifetime`]) {
    ctx.route('PUT', pattern, { body: ChannelLifetimeRequest }, ({ user, params, body }) => {
      const channel = hub.get(user.userId, params.channelId!)
      if (channel === undefined) return notFound(params.channelId!)
      const lifetime = body.notificationChannelLifetime.channelLifetime
      if (!Number.isFinite(lifetime) || lifetime <= 0) return badInput('notificationChannelLifetime.channelLifetime')
      hub.refresh(channel, grantedLifetime(lifetime))
      return { status: 200, body: { notificationChannelLifetime: { channelLifetime: channel.lifetime } } }
    })
  }

  ctx.route('DELETE', `${base}/:channelId`, {}, ({ user, params }) => {
    const channel = hub.get(user.userId, params.channelId!)
    if (channel === undefined) return notFound(params.channelId!)
    hub.delete(channel)
    return { status: 204 }
  })
}
