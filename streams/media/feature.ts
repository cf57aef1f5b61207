import * as E from 'fp-ts/Either'
import { Observable, Subscription } from 'rxjs'
import type { Environment } from '../environment.js'
import { BasicError, errorCodes } from '../errors.js'
import { select, storeFeature, type Feature } from '../feature.js'
import type { Logs } from '../logs/logger.js'
import { entryOf } from '../record.js'
import { createStore } from '../store.js'
import { checkMediaOptions, constraintsOf } from './constraints.js'
import {
  devicesOf,
  initialMediaState,
  liveTracks,
  mediaReducer,
  type DevicesObject,
  type MediaEvent,
  type MediaOutput,
  type MediaState,
} from './state.js'

export interface MediaDeps {
  readonly environment: Environment
  readonly logs: Logs
}

export interface RenderOptions {
  /** The speaker (audio output device id) audio tracks play on, where the browser supports `setSinkId`. */
  readonly speakerId?: string
}

export interface MediaCommands {
  /** Local media for options of `make` / `answer` (cold: subscribing asks the browser). Errors: `call:7` bad options, `call:4` getUserMedia failed. */
  readonly userMedia: (media: unknown) => Observable<MediaStream>
  /** Registers tracks (local or remote) as (part of) the MediaObject `mediaId` (the id of the stream that carries them). */
  readonly addMedia: (mediaId: string, local: boolean, tracks: readonly MediaStreamTrack[]) => void
  /** Marks tracks ended; `stop` also stops them at their source (local media). */
  readonly endTracks: (trackIds: readonly string[], stop: boolean) => void
  readonly muteTracks: (trackIds: readonly string[]) => void
  readonly unmuteTracks: (trackIds: readonly string[]) => void
  readonly renderTracks: (trackIds: readonly string[], selector: string, options?: RenderOptions) => void
  readonly removeTracks: (trackIds: readonly string[], selector: string) => void
  /** Lists the devices again (after a permission was granted, the labels appear). */
  readonly refreshDevices: () => void
}

export interface MediaFeature extends Feature<MediaState, MediaOutput, MediaCommands> {
  /** Hot; the devices by use. */
  readonly devices$: Observable<DevicesObject>
  readonly current: () => MediaState
  /** The browser's track object of a track id. */
  readonly track: (trackId: string) => MediaStreamTrack | undefined
  readonly dispose: () => void
}

/** The attribute that marks the element rendering a track inside a container. */
export const trackAttribute = 'data-kandy-track-id'

type SinkElement = HTMLMediaElement & { setSinkId?: (sinkId: string) => Promise<void> }

/** Media: devices, the tracks of calls (local and remote), rendering them and muting them. */
export function createMedia({ environment, logs }: MediaDeps): MediaFeature {
  const logger = logs.logger('media')
  const store = createStore(initialMediaState, mediaReducer, logger)
  const dispatch = (event: MediaEvent): void => void store.dispatch(event)
  const running = new Subscription()
  /** The browser's live tracks, each with the teardown of its `ended` listener. */
  const live = new Map<string, { readonly track: MediaStreamTrack; readonly release: () => void }>()

  const forget = (trackIds: readonly string[]): void => {
    for (const id of trackIds) {
      live.get(id)?.release()
      live.delete(id)
    }
  }

  const refreshDevices = (): void => {
    const devices = environment.mediaDevices
    if (devices === undefined || typeof devices.enumerateDevices !== 'function') return
    devices.enumerateDevices().then(
      (list) => {
        if (!running.closed) dispatch({ type: 'devicesListed', devices: devicesOf(list) })
      },
      (error: unknown) => logger.warn('Could not list the media devices', error),
    )
  }

  const userMedia = (media: unknown): Observable<MediaStream> =>
    new Observable<MediaStream>((subscriber) => {
      const options = checkMediaOptions(media)
      if (E.isLeft(options)) return subscriber.error(options.left)
      const devices = environment.mediaDevices
      if (devices === undefined || typeof devices.getUserMedia !== 'function')
        return subscriber.error(new BasicError(errorCodes.call.USER_MEDIA_ERROR, 'This environment has no media devices (navigator.mediaDevices).'))
      let cancelled = false
      devices.getUserMedia(constraintsOf(options.right)).then(
        (stream) => {
          if (cancelled) return stream.getTracks().forEach((track) => track.stop())
          refreshDevices()
          subscriber.next(stream)
          subscriber.complete()
        },
        (error: unknown) => {
          const name = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
          subscriber.error(new BasicError(errorCodes.call.USER_MEDIA_ERROR, `Could not get user media: ${name}`))
        },
      )
      return () => {
        cancelled = true
      }
    })

  const addMedia = (mediaId: string, local: boolean, tracks: readonly MediaStreamTrack[]): void => {
    for (const track of tracks) {
      if (live.has(track.id)) continue
      const ended = (): void => {
        forget([track.id])
        dispatch({ type: 'tracksEnded', trackIds: [track.id] })
      }
      track.addEventListener('ended', ended)
      live.set(track.id, { track, release: () => track.removeEventListener('ended', ended) })
    }
    dispatch({ type: 'mediaAdded', mediaId, local, tracks: tracks.map(({ id, kind, label }) => ({ id, kind, label: label ?? '' })) })
  }

  const endTracks = (trackIds: readonly string[], stop: boolean): void => {
    if (stop) for (const id of trackIds) live.get(id)?.track.stop()
    forget(trackIds)
    dispatch({ type: 'tracksEnded', trackIds })
  }

  const setEnabled = (trackIds: readonly string[], enabled: boolean): void => {
    const ids = liveTracks(store.current(), trackIds)
    for (const id of ids) {
      const entry = live.get(id)
      if (entry !== undefined) entry.track.enabled = enabled
    }
    const unknown = trackIds.filter((id) => !ids.includes(id))
    if (unknown.length > 0) logger.warn(`Cannot ${enabled ? 'unmute' : 'mute'} unknown or ended tracks`, unknown)
    dispatch({ type: enabled ? 'tracksUnmuted' : 'tracksMuted', trackIds: ids })
  }

  const container = (selector: string): Element | undefined => {
    const document = environment.document
    if (document === undefined) {
      logger.error('Cannot render tracks: this environment has no document')
      return undefined
    }
    try {
      const found = document.querySelector(selector)
      if (found === null) logger.error(`Cannot find the container "${selector}"`)
      return found ?? undefined
    } catch (error) {
      logger.error(`Invalid container selector "${selector}"`, error)
      return undefined
    }
  }

  const rendered = (parent: Element, trackId: string): HTMLMediaElement | undefined =>
    [...parent.querySelectorAll<HTMLMediaElement>(`[${trackAttribute}]`)].find((element) => element.getAttribute(trackAttribute) === trackId)

  const renderTracks = (trackIds: readonly string[], selector: string, options: RenderOptions = {}): void => {
    const parent = container(selector)
    const document = environment.document
    const MediaStreamClass = environment.MediaStream
    if (parent === undefined || document === undefined) return
    if (MediaStreamClass === undefined) return logger.error('Cannot render tracks: this environment has no MediaStream')
    const done: string[] = []
    for (const trackId of trackIds) {
      const track = live.get(trackId)?.track
      const info = entryOf(store.current().tracks, trackId)
      if (track === undefined || info === undefined) {
        logger.warn(`Cannot render unknown track ${trackId}`)
        continue
      }
      const element: SinkElement = rendered(parent, trackId) ?? document.createElement(track.kind === 'video' ? 'video' : 'audio')
      element.setAttribute(trackAttribute, trackId)
      element.autoplay = true
      if (track.kind === 'video') element.setAttribute('playsinline', '')
      element.muted = entryOf(store.current().media, info.streamId)?.local === true
      element.srcObject = new MediaStreamClass([track])
      if (options.speakerId !== undefined && track.kind === 'audio' && typeof element.setSinkId === 'function')
        element.setSinkId(options.speakerId).catch((error: unknown) => logger.warn(`Could not play track ${trackId} on speaker ${options.speakerId}`, error))
      if (element.parentElement !== parent) parent.appendChild(element)
      element.play().catch((error: unknown) => logger.debug(`Track ${trackId} waits for a user gesture to play`, error))
      done.push(trackId)
    }
    if (done.length > 0) dispatch({ type: 'tracksRendered', trackIds: done, selector })
  }

  const removeTracks = (trackIds: readonly string[], selector: string): void => {
    const parent = container(selector)
    if (parent === undefined) return
    const done: string[] = []
    for (const trackId of trackIds) {
      const element = rendered(parent, trackId)
      if (element === undefined) continue
      element.srcObject = null
      element.remove()
      done.push(trackId)
    }
    if (done.length > 0) dispatch({ type: 'tracksUnrendered', trackIds: done, selector })
  }

  const devices = environment.mediaDevices
  if (devices !== undefined && typeof devices.addEventListener === 'function') {
    devices.addEventListener('devicechange', refreshDevices)
    running.add(() => devices.removeEventListener?.('devicechange', refreshDevices))
  }
  refreshDevices()

  running.add(() => forget([...live.keys()]))
  return {
    ...storeFeature(store, running),
    devices$: select(store.state$, (state) => state.devices),
    track: (trackId) => live.get(trackId)?.track,
    commands: {
      userMedia,
      addMedia,
      endTracks,
      muteTracks: (trackIds) => setEnabled(trackIds, false),
      unmuteTracks: (trackIds) => setEnabled(trackIds, true),
      renderTracks,
      removeTracks,
      refreshDevices,
    },
  }
}
