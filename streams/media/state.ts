import { entryOf } from '../record.js'
import type { Step } from '../store.js'

/** Where tracks render: a CSS selector, or the element itself (the original SDK takes either). */
export type Container = string | Element

/** A media device (api-reference DeviceInfo). */
export interface DeviceInfo {
  readonly deviceId: string
  readonly groupId: string
  readonly kind: string
  readonly label: string
}

/** The devices by use (api-reference DevicesObject). */
export interface DevicesObject {
  readonly camera: readonly DeviceInfo[]
  readonly microphone: readonly DeviceInfo[]
  readonly speaker: readonly DeviceInfo[]
}

/** A stream of audio or video from one source (api-reference TrackObject). */
export interface TrackObject {
  /** The containers the track is rendered in, as the app named them: CSS selectors, or elements. */
  readonly containers: readonly Container[]
  /** True once the track has ended: it cannot be enabled again. */
  readonly disabled: boolean
  readonly id: string
  readonly kind: string
  readonly label: string
  readonly muted: boolean
  readonly state: 'live' | 'ended'
  readonly streamId: string
}

/** A collection of tracks from one side (api-reference MediaObject). */
export interface MediaObject {
  readonly id: string
  readonly local: boolean
  readonly tracks: readonly TrackObject[]
}

/** What the media feature keeps: devices, tracks, and which media holds which tracks. */
export interface MediaState {
  readonly devices: DevicesObject
  readonly tracks: Readonly<Record<string, TrackObject>>
  readonly media: Readonly<Record<string, { readonly id: string; readonly local: boolean; readonly trackIds: readonly string[] }>>
}

export const initialMediaState: MediaState = { devices: { camera: [], microphone: [], speaker: [] }, tracks: {}, media: {} }

export type MediaEvent =
  | { readonly type: 'devicesListed'; readonly devices: DevicesObject }
  | { readonly type: 'mediaAdded'; readonly mediaId: string; readonly local: boolean; readonly tracks: ReadonlyArray<Pick<TrackObject, 'id' | 'kind' | 'label'>> }
  | { readonly type: 'tracksEnded'; readonly trackIds: readonly string[] }
  | { readonly type: 'tracksMuted'; readonly trackIds: readonly string[] }
  | { readonly type: 'tracksUnmuted'; readonly trackIds: readonly string[] }
  | { readonly type: 'tracksRendered'; readonly trackIds: readonly string[]; readonly selector: Container }
  | { readonly type: 'tracksUnrendered'; readonly trackIds: readonly string[]; readonly selector: Container }

/** What the outside world learns (`devices:change`, `media:muted`, `media:unmuted`). */
export type MediaOutput =
  | { readonly type: 'devicesChanged' }
  | { readonly type: 'muted'; readonly trackIds: readonly string[] }
  | { readonly type: 'unmuted'; readonly trackIds: readonly string[] }

export type MediaStep = Step<MediaState, MediaOutput>

/** A step that changes the state and tells nobody. */
const quiet = (state: MediaState): MediaStep => ({ state, outputs: [] })

const sameDevices = (a: DevicesObject, b: DevicesObject): boolean => JSON.stringify(a) === JSON.stringify(b)

const updateTracks = (state: MediaState, trackIds: readonly string[], change: (track: TrackObject) => TrackObject): MediaState => {
  const known = trackIds.flatMap((id) => {
    const track = entryOf(state.tracks, id)
    return track === undefined ? [] : [[id, change(track)] as const]
  })
  if (known.length === 0) return state
  return { ...state, tracks: { ...state.tracks, ...Object.fromEntries(known) } }
}

/** The tracks of a list that exist and are live (the ones an operation can act on). */
export const liveTracks = (state: MediaState, trackIds: readonly string[]): string[] =>
  [...new Set(trackIds)].filter((id) => entryOf(state.tracks, id)?.state === 'live')

/** The media reducer: pure and total; unknown track ids are skipped. */
export function mediaReducer(state: MediaState, event: MediaEvent): MediaStep {
  switch (event.type) {
    case 'devicesListed':
      return sameDevices(state.devices, event.devices) ? quiet(state) : { state: { ...state, devices: event.devices }, outputs: [{ type: 'devicesChanged' }] }

    case 'mediaAdded': {
      const previous = entryOf(state.media, event.mediaId)?.trackIds ?? []
      const tracks = Object.fromEntries(
        event.tracks.map((track): [string, TrackObject] => [
          track.id,
          entryOf(state.tracks, track.id) ?? { ...track, containers: [], disabled: false, muted: false, state: 'live', streamId: event.mediaId },
        ]),
      )
      const trackIds = [...new Set([...previous, ...event.tracks.map((track) => track.id)])]
      return quiet({ ...state, tracks: { ...state.tracks, ...tracks }, media: { ...state.media, [event.mediaId]: { id: event.mediaId, local: event.local, trackIds } } })
    }

    case 'tracksEnded':
      return quiet(updateTracks(state, event.trackIds, (track) => ({ ...track, state: 'ended', disabled: true })))

    case 'tracksMuted':
    case 'tracksUnmuted': {
      const muted = event.type === 'tracksMuted'
      const trackIds = liveTracks(state, event.trackIds)
      // Said even when no track was live (`tracks: []`), as the original SDK says every finished muteTracks / unmuteTracks.
      return { state: updateTracks(state, trackIds, (track) => ({ ...track, muted })), outputs: [{ type: muted ? 'muted' : 'unmuted', trackIds }] }
    }

    case 'tracksRendered':
      return quiet(updateTracks(state, event.trackIds, (track) => (track.containers.includes(event.selector) ? track : { ...track, containers: [...track.containers, event.selector] })))

    case 'tracksUnrendered':
      return quiet(updateTracks(state, event.trackIds, (track) => ({ ...track, containers: track.containers.filter((selector) => selector !== event.selector) })))
  }
}

/** The MediaObject of a media id, with its tracks (`media.getById`). */
export function mediaObject(state: MediaState, mediaId: string): MediaObject | undefined {
  const media = entryOf(state.media, mediaId)
  return media === undefined
    ? undefined
    : { id: media.id, local: media.local, tracks: media.trackIds.flatMap((id) => entryOf(state.tracks, id) ?? []) }
}

/** Sorts `enumerateDevices()` results into cameras, microphones and speakers. */
export function devicesOf(list: readonly DeviceInfo[]): DevicesObject {
  const pick = (kind: string): DeviceInfo[] =>
    list.filter((device) => device.kind === kind).map(({ deviceId, groupId, kind: k, label }) => ({ deviceId, groupId, kind: k, label }))
  return { camera: pick('videoinput'), microphone: pick('audioinput'), speaker: pick('audiooutput') }
}
