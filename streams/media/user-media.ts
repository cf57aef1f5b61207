import * as E from 'fp-ts/Either'
import { Observable } from 'rxjs'
import type { Environment } from '../environment.js'
import { BasicError, errorCodes } from '../errors.js'
import { checkMediaOptions, constraintsOf, type MediaOptions } from './constraints.js'

/**
 * Local media for media options (cold: subscribing asks the browser; unsubscribing before the answer stops the tracks it brings). Errors: `call:7`
 * bad options, `call:4` getUserMedia failed. `acquired` runs once the browser gave the media (device labels appear then).
 *
 * userMedia$(environment, { audio: true }, refreshDevices).subscribe((stream) => …)
 */
export const userMedia$ = (environment: Pick<Environment, 'mediaDevices'>, media: MediaOptions, acquired: () => void): Observable<MediaStream> =>
  new Observable<MediaStream>((subscriber) => {
    const options = checkMediaOptions(media)
    if (E.isLeft(options)) return subscriber.error(options.left)
    const devices = environment.mediaDevices
    if (devices === undefined || typeof devices.getUserMedia !== 'function')
      return subscriber.error(new BasicError(errorCodes.call.USER_MEDIA_ERROR, 'This environment has no media devices (navigator.mediaDevices).'))
    devices.getUserMedia(constraintsOf(options.right)).then(
      (stream) => {
        if (subscriber.closed) return stream.getTracks().forEach((track) => track.stop())
        acquired()
        subscriber.next(stream)
        subscriber.complete()
      },
      (error: unknown) => {
        const name = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
        subscriber.error(new BasicError(errorCodes.call.USER_MEDIA_ERROR, `Could not get user media: ${name}`))
      },
    )
  })
