import * as E from 'fp-ts/Either'
import { BasicError, errorCodes } from '../errors.js'
import { isRecord } from '../guards.js'
import { definedFields } from '../record.js'

/** One constraint of a media option: `exact` wins over `ideal` (api-reference MediaConstraint). */
export interface MediaConstraint {
  readonly exact?: string | number
  readonly ideal?: string | number
}

/** A media option: a MediaConstraint, or a plain value as getUserMedia takes it (the original SDK hands the options to the browser as they are). */
export type MediaOption = MediaConstraint | string | number

/** The media options of `make`, `answer` (and later `addMedia`, `replaceTrack`): api-reference, Calls. */
export interface MediaOptions {
  readonly audio?: boolean
  readonly video?: boolean
  /** Besides `deviceId`, any other getUserMedia audio constraint (`echoCancellation`, …), handed to the browser as given, as the original SDK does. */
  readonly audioOptions?: { readonly deviceId?: MediaOption; readonly [constraint: string]: unknown }
  /** Besides the four documented ones, any other getUserMedia video constraint (`facingMode`, `aspectRatio`, …), handed to the browser as given. */
  readonly videoOptions?: {
    readonly deviceId?: MediaOption
    readonly height?: MediaOption
    readonly width?: MediaOption
    readonly frameRate?: MediaOption
    readonly [constraint: string]: unknown
  }
}

const isPlainValue = (value: unknown): value is string | number => typeof value === 'string' || typeof value === 'number'

const isConstraintValue = (value: unknown): boolean => value === undefined || isPlainValue(value)

const badConstraint = (path: string, value: unknown): string | undefined => {
  if (value === undefined || isPlainValue(value)) return undefined
  if (!isRecord(value) || !isConstraintValue(value.exact) || !isConstraintValue(value.ideal) || (value.exact === undefined && value.ideal === undefined))
    return `${path} must be a string, a number, or { exact } or { ideal } with one`
  return undefined
}

/** The constraints each options group may hold. */
const optionKeys = { audioOptions: ['deviceId'], videoOptions: ['deviceId', 'height', 'width', 'frameRate'] } as const

/** The first problem of a media options argument, or undefined when it is usable. */
function problemOf(media: unknown): string | undefined {
  if (!isRecord(media)) return 'the media options must be an object'
  if (media.audio !== undefined && typeof media.audio !== 'boolean') return 'media.audio must be a boolean'
  if (media.video !== undefined && typeof media.video !== 'boolean') return 'media.video must be a boolean'
  if (media.audio !== true && media.video !== true) return 'media must ask for audio or video (or both)'
  for (const [group, keys] of Object.entries(optionKeys)) {
    const options = media[group]
    if (options === undefined) continue
    if (!isRecord(options)) return `media.${group} must be an object`
    for (const key of keys) {
      const problem = badConstraint(`media.${group}.${key}`, options[key])
      if (problem !== undefined) return problem
    }
  }
  return undefined
}

/** Checks a media options argument: a `call:7` BasicError when it cannot be used. */
export function checkMediaOptions(media: unknown): E.Either<BasicError, MediaOptions> {
  const problem = problemOf(media)
  return problem === undefined ? E.right(media as MediaOptions) : E.left(new BasicError(errorCodes.call.INVALID_PARAM, `Invalid media: ${problem}.`))
}

/** A constraint as getUserMedia takes it: a plain value as it is, else `exact` where given, else `ideal`. */
const constrain = (constraint: MediaOption | undefined) =>
  constraint === undefined || isPlainValue(constraint) ? constraint : constraint.exact !== undefined ? { exact: constraint.exact } : { ideal: constraint.ideal }

/**
 * The getUserMedia constraints of media options: a plain value as it is, else `exact` where given (else `ideal`); the options' other
 * constraints (`facingMode`, …) as the app gave them, as the original SDK hands its options to the browser.
 *
 * constraintsOf({ audio: true, video: true, videoOptions: { height: { ideal: 720 }, facingMode: 'user' } })
 * // { audio: true, video: { facingMode: 'user', height: { ideal: 720 } } }
 */
export function constraintsOf(media: MediaOptions): MediaStreamConstraints {
  const track = (wanted: boolean | undefined, group: keyof typeof optionKeys): boolean | MediaTrackConstraints => {
    if (wanted !== true) return false
    const options: Readonly<Record<string, unknown>> = media[group] ?? {}
    const keys: readonly string[] = optionKeys[group]
    const others = Object.entries(options).filter(([key]) => !keys.includes(key))
    const constraints = definedFields(Object.fromEntries([...others, ...keys.map((key) => [key, constrain(options[key] as MediaOption | undefined)])]))
    return Object.keys(constraints).length === 0 ? true : (constraints as MediaTrackConstraints)
  }
  return { audio: track(media.audio, 'audioOptions'), video: track(media.video, 'videoOptions') }
}
