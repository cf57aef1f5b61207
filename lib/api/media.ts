import { map } from 'rxjs'
import { badInput, errorCodes } from '../../streams/errors.js'
import type { MediaFeature, RenderOptions } from '../../streams/media/feature.js'
import { mediaObject, type Container, type DeviceInfo, type DevicesObject, type MediaOutput, type TrackObject as CoreTrackObject } from '../../streams/media/state.js'
import type { PublicEvent } from '../events.js'
import type { Namespace } from '../namespace.js'
import { lookupId, stringsArgument } from './arguments.js'
import { entryOf } from '../../streams/record.js'

export type { DevicesObject, DeviceInfo } from '../../streams/media/state.js'

/** A track as `media.getTrackById` returns it: the reference's keys plus `trackId`, the original SDK's name of `id`. */
export interface TrackObject extends CoreTrackObject {
  readonly trackId: string
  /**
   * No media comes from the track: it has ended, or its source delivers none for now (the browser's `MediaStreamTrack.muted`,
   * e.g. a remote track before its first packets, which is what the original SDK reports here).
   */
  readonly disabled: boolean
}

/** A media as `media.getById` returns it: `tracks` holds track ids, as the original SDK returns them. */
export interface MediaObject {
  readonly id: string
  readonly local: boolean
  readonly tracks: readonly string[]
}
export type { RenderOptions } from '../../streams/media/feature.js'

/** The documented `media` namespace (api-reference, Media). */
export interface MediaApi {
  /**
   * The media devices: `{ camera, microphone, speaker }` lists of DeviceInfo (`deviceId`, `groupId`, `kind`, `label`); `devices:change` says when they change.
   *
   * const { camera } = client.media.getDevices()
   */
  getDevices(): DevicesObject
  /**
   * The Media object (`id`, `local`, `tracks`: the ids of its tracks) with this id, or undefined.
   * @throws BasicError `BAD_INPUT` when `mediaId` is neither a string nor undefined (undefined gives undefined, as in the original SDK).
   */
  getById(mediaId: string): MediaObject | undefined
  /**
   * The Track object (`id` and `trackId`, `kind`, `label`, `muted`, `state`, `streamId`, `containers`, `disabled`) with this id, or undefined.
   *
   * const { kind, state } = client.media.getTrackById(trackId)
   * @throws BasicError `BAD_INPUT` when `trackId` is neither a string nor undefined (undefined gives undefined, as in the original SDK).
   */
  getTrackById(trackId: string): TrackObject | undefined
  /**
   * Renders tracks in a container (the element a CSS selector names, or the element itself, as the original SDK takes): a `<video>` per video track, an `<audio>` per audio track (local tracks
   * muted, so nobody hears themselves); audio plays on `options.speakerId` where the browser supports choosing the speaker.
   *
   * client.media.renderTracks(call.remoteTracks, '#remote-media', { speakerId })
   * @throws BasicError `BAD_INPUT` when `trackIds` is not an array of ids or `cssSelector` neither a selector nor an element.
   */
  renderTracks(trackIds: readonly string[], cssSelector: Container, options?: RenderOptions): void
  /**
   * Removes the elements rendering these tracks from the container (a CSS selector, or the element itself).
   *
   * client.media.removeTracks(call.remoteTracks, '#remote-media')
   * @throws BasicError `BAD_INPUT` as for `renderTracks`.
   */
  removeTracks(trackIds: readonly string[], cssSelector: Container): void
  /**
   * Mutes tracks at their source (audio silent, video black), a local track for the remote participant too; `media:muted { tracks }` lists
   * the live ones among them (`[]` when none is, as the original SDK).
   *
   * client.media.muteTracks(call.localTracks)
   * @throws BasicError `BAD_INPUT` when `trackIds` is not an array of ids.
   */
  muteTracks(trackIds: readonly string[]): void
  /**
   * Unmutes tracks; `media:unmuted { tracks }` lists the live ones among them (`[]` when none is).
   * @throws BasicError `BAD_INPUT` when `trackIds` is not an array of ids.
   */
  unmuteTracks(trackIds: readonly string[]): void
}

const trackIdsOf = (trackIds: unknown, operation: string): readonly string[] => stringsArgument(trackIds, `media.${operation}: the track ids must be an array of strings`)

/** An element of the page (a DOM node of type ELEMENT_NODE): told apart without the DOM's classes, which Node lacks. */
const isElement = (value: unknown): value is Element => typeof value === 'object' && value !== null && (value as { nodeType?: unknown }).nodeType === 1

const selectorOf = (selector: unknown, operation: string): Container => {
  if (isElement(selector)) return selector
  if (typeof selector !== 'string' || selector === '') throw badInput(`media.${operation}: the container must be a CSS selector or an element`)
  return selector
}

const idOf = (id: unknown, operation: string): string | undefined => lookupId(id, errorCodes.general.BAD_INPUT, `media.${operation}: the id must be a string`)

const toPublic = (output: MediaOutput): PublicEvent => {
  switch (output.type) {
    case 'devicesChanged':
      return { type: 'devices:change', payload: {} }
    case 'muted':
    case 'unmuted':
      return { type: `media:${output.type}`, payload: { tracks: [...output.trackIds] } }
  }
}

/** The documented `media` namespace over the media feature. */
export function mediaApi({ media }: { readonly media: MediaFeature }): Namespace<MediaApi> {
  const api: MediaApi = {
    getDevices: () => {
      // Copies: what the app does with them stays out of the SDK's state.
      const { camera, microphone, speaker } = media.current().devices
      const copied = (devices: readonly DeviceInfo[]): DeviceInfo[] => devices.map((device) => ({ ...device }))
      return { camera: copied(camera), microphone: copied(microphone), speaker: copied(speaker) }
    },
    getById: (mediaId) => {
      const id = idOf(mediaId, 'getById')
      const found = id === undefined ? undefined : mediaObject(media.current(), id)
      return found === undefined ? undefined : { id: found.id, local: found.local, tracks: found.tracks.map((track) => track.id) }
    },
    getTrackById: (trackId) => {
      const id = idOf(trackId, 'getTrackById')
      const track = id === undefined ? undefined : entryOf(media.current().tracks, id)
      return track === undefined ? undefined : { ...track, containers: [...track.containers], trackId: track.id, disabled: track.disabled || media.track(track.id)?.muted === true }
    },
    renderTracks: (trackIds, cssSelector, options) =>
      media.commands.renderTracks(trackIdsOf(trackIds, 'renderTracks'), selectorOf(cssSelector, 'renderTracks'), typeof options === 'object' && options !== null ? options : {}),
    removeTracks: (trackIds, cssSelector) => media.commands.removeTracks(trackIdsOf(trackIds, 'removeTracks'), selectorOf(cssSelector, 'removeTracks')),
    muteTracks: (trackIds) => media.commands.muteTracks(trackIdsOf(trackIds, 'muteTracks')),
    unmuteTracks: (trackIds) => media.commands.unmuteTracks(trackIdsOf(trackIds, 'unmuteTracks')),
  }
  return { api, events$: media.events$.pipe(map(toPublic)) }
}
