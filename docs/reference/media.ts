/**
 * `client.media`: devices, tracks, rendering them into the page, muting. Events: `devices:change`,
 * `media:muted`, `media:unmuted`.
 *
 * @module client.media
 */
export type { MediaApi, DevicesObject, DeviceInfo, MediaObject, TrackObject, RenderOptions } from '../../lib/api/media.js'
