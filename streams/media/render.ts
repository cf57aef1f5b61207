import type { Environment } from '../environment.js'
import type { Logger } from '../logs/logger.js'
import { entryOf } from '../record.js'
import type { Container, MediaEvent, MediaState } from './state.js'

export interface RenderOptions {
  /** The speaker (audio output device id) audio tracks play on, where the browser supports `setSinkId`. */
  readonly speakerId?: string
}

/** The attribute that marks the element rendering a track inside a container. */
export const trackAttribute = 'data-kandy-track-id'

type SinkElement = HTMLMediaElement & { setSinkId?: (sinkId: string) => Promise<void> }

/** Takes a track's element out of the page, its stream released. */
function takeOut(element: HTMLMediaElement): void {
  element.srcObject = null
  element.remove()
}

/** What rendering tracks uses. */
interface RenderingDeps {
  readonly environment: Pick<Environment, 'document' | 'MediaStream'>
  readonly logger: Logger
  readonly current: () => MediaState
  readonly dispatch: (event: MediaEvent) => void
  /** The browser's track object of a live track. */
  readonly track: (trackId: string) => MediaStreamTrack | undefined
}

/**
 * Renders tracks in the page, each in its own `<audio>` / `<video>` element (marked `trackAttribute`) inside a container: the element a CSS
 * selector names, or an element given as it is.
 *
 * const { renderTracks, removeTracks } = rendering({ environment, logger, current, dispatch, track })
 */
export function rendering({ environment, logger, current, dispatch, track: trackOf }: RenderingDeps) {
  const container = (selector: Container): Element | undefined => {
    if (typeof selector !== 'string') return selector
    const document = environment.document
    if (document === undefined) return void logger.error('Cannot render tracks: this environment has no document')
    try {
      const found = document.querySelector(selector)
      if (found === null) logger.error(`Cannot find the container "${selector}"`)
      return found ?? undefined
    } catch (error) {
      return void logger.error(`Invalid container selector "${selector}"`, error)
    }
  }

  // Children only: the element of a container nested inside is that container's own.
  const rendered = (parent: Element | undefined, trackId: string): HTMLMediaElement | undefined =>
    [...(parent?.children ?? [])].find((element): element is HTMLMediaElement => element.getAttribute(trackAttribute) === trackId)

  const renderTracks = (trackIds: readonly string[], selector: Container, options: RenderOptions = {}): void => {
    const parent = container(selector)
    const document = environment.document
    const MediaStreamClass = environment.MediaStream
    if (parent === undefined || document === undefined) return
    if (MediaStreamClass === undefined) return logger.error('Cannot render tracks: this environment has no MediaStream')
    const done: string[] = []
    for (const trackId of trackIds) {
      const track = trackOf(trackId)
      const info = entryOf(current().tracks, trackId)
      if (track === undefined || info === undefined) {
        logger.warn(`Cannot render unknown track ${trackId}`)
        continue
      }
      const element: SinkElement = rendered(parent, trackId) ?? document.createElement(track.kind === 'video' ? 'video' : 'audio')
      element.setAttribute(trackAttribute, trackId)
      element.autoplay = true
      if (track.kind === 'video') element.setAttribute('playsinline', '')
      element.muted = entryOf(current().media, info.streamId)?.local === true
      element.srcObject = new MediaStreamClass([track])
      if (options.speakerId !== undefined && track.kind === 'audio' && typeof element.setSinkId === 'function')
        element.setSinkId(options.speakerId).catch((error: unknown) => logger.warn(`Could not play track ${trackId} on speaker ${options.speakerId}`, error))
      if (element.parentElement !== parent) parent.appendChild(element)
      element.play().catch((error: unknown) => logger.debug(`Track ${trackId} waits for a user gesture to play`, error))
      done.push(trackId)
    }
    if (done.length > 0) dispatch({ type: 'tracksRendered', trackIds: done, selector })
  }

  const removeTracks = (trackIds: readonly string[], selector: Container): void => {
    const parent = container(selector)
    if (parent === undefined) return
    const done: string[] = []
    for (const trackId of trackIds) {
      const element = rendered(parent, trackId)
      if (element === undefined) continue
      takeOut(element)
      done.push(trackId)
    }
    if (done.length > 0) dispatch({ type: 'tracksUnrendered', trackIds: done, selector })
  }

  /** Takes the elements of ended tracks out of every container they were rendered in, as the original SDK does (no dead `<video>` stays). */
  const removeEnded = (trackIds: readonly string[]): void => {
    for (const trackId of trackIds) {
      for (const selector of entryOf(current().tracks, trackId)?.containers ?? []) {
        // A container the page took away meanwhile has nothing left to clean: no error logged for it.
        const parent = typeof selector === 'string' ? environment.document?.querySelector(selector) : selector
        const element = rendered(parent ?? undefined, trackId)
        if (element !== undefined) takeOut(element)
        dispatch({ type: 'tracksUnrendered', trackIds: [trackId], selector })
      }
    }
  }

  return { renderTracks, removeTracks, removeEnded }
}
