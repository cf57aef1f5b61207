import { Observable, Subject, Subscription } from 'rxjs'
import type { MediaOptions } from './constraints.js'
import { badInput } from '../errors.js'
import { isStrings } from '../guards.js'
import { selectFrozen, storeFeature, type FeatureDeps, type StoreFeature } from '../feature.js'
import { createStore } from '../store.js'
import { rendering, type RenderOptions } from './render.js'
import {
  type Container,
  devicesOf,
  initialMediaState,
  liveTracks,
  mediaReducer,
  type DevicesObject,
  type MediaEvent,
  type MediaOutput,
  type MediaState,
} from './state.js'
import { userMedia$ } from './user-media.js'

export type { RenderOptions } from './render.js'

export type MediaDeps = Pick<FeatureDeps, 'environment' | 'logs'>

/** Each command that takes track ids or tracks throws a BasicError `BAD_INPUT` for anything but an array of them. */
export interface MediaCommands {
  /** Local media for options of `make` / `answer` (cold: subscribing asks the browser). Errors: `call:7` bad options (checked again: apps in JavaScript reach it), `call:4` getUserMedia failed. */
  readonly userMedia: (media: MediaOptions) => Observable<MediaStream>
  /** Registers tracks (local or remote) as (part of) the MediaObject `mediaId` (the id of the stream that carries them). */
  readonly addMedia: (mediaId: string, local: boolean, tracks: readonly MediaStreamTrack[]) => void
  /** Marks tracks ended; `stop` also stops them at their source (local media). */
  readonly endTracks: (trackIds: readonly string[], stop: boolean) => void
  readonly muteTracks: (trackIds: readonly string[]) => void
  readonly unmuteTracks: (trackIds: readonly string[]) => void
  readonly renderTracks: (trackIds: readonly string[], selector: Container, options?: RenderOptions) => void
  readonly removeTracks: (trackIds: readonly string[], selector: Container) => void
  /** Lists the devices again (after a permission was granted, the labels appear). */
  readonly refreshDevices: () => void
}

export interface MediaFeature extends StoreFeature<MediaState, MediaOutput, MediaCommands> {
  /** Hot; the devices by use. */
  readonly devices$: Observable<DevicesObject>
  /** The browser's track object of a track id. */
  readonly track: (trackId: string) => MediaStreamTrack | undefined
  /** Hot; the id of each track its source ended (a device unplugged, a permission revoked), not one ended by `endTracks`. */
  readonly endedAtSource$: Observable<string>
}

/** The track ids an app gave; anything but an array of strings throws a BasicError `BAD_INPUT` (an app in JavaScript may pass anything). */
const checkedIds = (command: string, trackIds: unknown): readonly string[] => {
  if (!isStrings(trackIds)) throw badInput(`media.${command}: the track ids must be an array of strings`)
  return trackIds
}

const isTrack = (value: unknown): value is MediaStreamTrack =>
  typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' && typeof (value as { addEventListener?: unknown }).addEventListener === 'function'

/** Media: devices, the tracks of calls (local and remote), rendering them and muting them. */
export function createMedia({ environment, logs }: MediaDeps): MediaFeature {
  const logger = logs.logger('media')
  const store = createStore(initialMediaState, mediaReducer, logger)
  const dispatch = (event: MediaEvent): void => void store.dispatch(event)
  const running = new Subscription()
  const endedAtSource = new Subject<string>()
  running.add(() => endedAtSource.complete())
  const live = liveTrackSet((trackId) => {
    removeEnded([trackId])
    dispatch({ type: 'tracksEnded', trackIds: [trackId] })
    endedAtSource.next(trackId)
  })
  const devices = environment.mediaDevices
  /** Lists the devices (once the feature is disposed the answer is dropped); a failure is logged. */
  const refreshDevices = (): void => {
    if (devices === undefined || typeof devices.enumerateDevices !== 'function') return
    devices.enumerateDevices().then(
      (list) => {
        if (!running.closed) dispatch({ type: 'devicesListed', devices: devicesOf(list) })
      },
      (error: unknown) => logger.warn('Could not list the media devices', error),
    )
  }

  const addMedia = (mediaId: string, local: boolean, tracks: readonly MediaStreamTrack[]): void => {
    if (!Array.isArray(tracks) || !tracks.every(isTrack)) throw badInput('media.addMedia: the tracks must be an array of MediaStreamTracks')
    for (const track of tracks) live.add(track)
    dispatch({ type: 'mediaAdded', mediaId, local, tracks: tracks.map(({ id, kind, label }) => ({ id, kind, label: label ?? '' })) })
  }

  const endTracks = (trackIds: readonly string[], stop: boolean): void => {
    checkedIds('endTracks', trackIds)
    if (stop) for (const id of trackIds) live.track(id)?.stop()
    live.forget(trackIds)
    removeEnded(trackIds)
    dispatch({ type: 'tracksEnded', trackIds })
  }

  const setEnabled = (trackIds: readonly string[], enabled: boolean): void => {
    const ids = liveTracks(store.current(), trackIds)
    for (const track of ids.map(live.track)) if (track !== undefined) track.enabled = enabled
    const unknown = trackIds.filter((id) => !ids.includes(id))
    if (unknown.length > 0) logger.warn(`Cannot ${enabled ? 'unmute' : 'mute'} unknown or ended tracks`, unknown)
    dispatch({ type: enabled ? 'tracksUnmuted' : 'tracksMuted', trackIds: ids })
  }

  const { renderTracks, removeTracks, removeEnded } = rendering({ environment, logger, current: store.current, dispatch, track: live.track })

  if (devices !== undefined && typeof devices.addEventListener === 'function') {
    devices.addEventListener('devicechange', refreshDevices)
    running.add(() => devices.removeEventListener?.('devicechange', refreshDevices))
  }
  refreshDevices()
  running.add(() => live.forget(live.ids()))
  return {
    ...storeFeature(store, running),
    devices$: selectFrozen(store.state$, (state) => state.devices),
    track: live.track,
    endedAtSource$: endedAtSource.asObservable(),
    commands: {
      userMedia: (media) => userMedia$(environment, media, refreshDevices),
      addMedia,
      endTracks,
      muteTracks: (trackIds) => setEnabled(checkedIds('muteTracks', trackIds), false),
      unmuteTracks: (trackIds) => setEnabled(checkedIds('unmuteTracks', trackIds), true),
      renderTracks: (trackIds, selector, options) => renderTracks(checkedIds('renderTracks', trackIds), selector, options),
      removeTracks: (trackIds, selector) => removeTracks(checkedIds('removeTracks', trackIds), selector),
      refreshDevices,
    },
  }
}

/** The browser's live tracks, each listened to until it ends (`onEnded` once) or is forgotten. */
function liveTrackSet(onEnded: (trackId: string) => void) {
  const live = new Map<string, { readonly track: MediaStreamTrack; readonly release: () => void }>()
  const forget = (trackIds: readonly string[]): void => {
    for (const id of trackIds) {
      live.get(id)?.release()
      live.delete(id)
    }
  }
  const add = (track: MediaStreamTrack): void => {
    if (live.has(track.id)) return
    const ended = (): void => {
      forget([track.id])
      onEnded(track.id)
    }
    track.addEventListener('ended', ended)
    live.set(track.id, { track, release: () => track.removeEventListener('ended', ended) })
  }
  return { add, forget, track: (trackId: string): MediaStreamTrack | undefined => live.get(trackId)?.track, ids: (): string[] => [...live.keys()] }
}
