// Synthetic media for Node with @roamhq/wrtc: local tracks fed from generators (a tone, DTMF,
// moving bars) or pushed by hand (an echo), remote tracks read as PCM audio and I420 frames.
import wrtc from '@roamhq/wrtc'
import { Observable } from 'rxjs'
import type { MediaDevicesLike } from '../../streams/environment.js'

/** 10 ms of 16-bit PCM, as `RTCAudioSink` delivers it and `RTCAudioSource.onData` takes it. */
export interface AudioData {
  readonly samples: Int16Array
  readonly sampleRate: number
  readonly bitsPerSample?: number
  readonly channelCount?: number
  readonly numberOfFrames?: number
}

/** One I420 video frame (`width × height × 1.5` bytes), as `RTCVideoSink` delivers it and `RTCVideoSource.onFrame` takes it. */
export interface VideoFrame {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array | Uint8ClampedArray
}

/** Fills one 10 ms chunk of a mono track; `offset` is the index of its first sample since the track started. */
export type AudioGenerator = (chunk: Int16Array, sampleRate: number, offset: number) => void
/** Fills one frame of a video track (`index` counts frames since the track started). */
export type VideoGenerator = (frame: VideoFrame, index: number) => void

interface AudioSink {
  ondata: ((data: AudioData) => void) | null
  stop(): void
}
interface VideoSink {
  onframe: ((event: { readonly frame: VideoFrame }) => void) | null
  stop(): void
}
interface AudioSource {
  createTrack(): MediaStreamTrack
  onData(data: AudioData): void
}
interface VideoSource {
  createTrack(): MediaStreamTrack
  onFrame(frame: VideoFrame): void
}
/** The non-standard part of @roamhq/wrtc, typed for what is used here. */
const nonstandard = wrtc.nonstandard as unknown as {
  readonly RTCAudioSource: new () => AudioSource
  readonly RTCVideoSource: new () => VideoSource
  readonly RTCAudioSink: new (track: MediaStreamTrack) => AudioSink
  readonly RTCVideoSink: new (track: MediaStreamTrack) => VideoSink
}

/** The sample rate of synthetic audio. */
export const audioSampleRate = 48000
const chunkMs = 10

/** A sine of `frequency` Hz at `amplitude` (of full scale), e.g. `tone(440)`. */
export const tone =
  (frequency: number, amplitude = 0.3): AudioGenerator =>
  (chunk, sampleRate, offset) => {
    for (let i = 0; i < chunk.length; i++) chunk[i] = Math.round(32767 * amplitude * Math.sin((2 * Math.PI * frequency * (offset + i)) / sampleRate))
  }

/** Nothing but zeros. */
export const silence: AudioGenerator = (chunk) => chunk.fill(0)

/** Plays samples (full scale ±1, at the track's rate) once from the moment it is put on a track, then silence. */
export function playback(samples: ArrayLike<number>): AudioGenerator {
  let start: number | undefined
  return (chunk, _sampleRate, offset) => {
    start ??= offset
    for (let i = 0; i < chunk.length; i++) chunk[i] = Math.round(32767 * Math.max(-1, Math.min(1, samples[offset - start + i] ?? 0)))
  }
}

/** A grey picture crossed by a white bar moving one column in eight per frame. */
export const movingBar: VideoGenerator = ({ width, height, data }, index) => {
  const luma = width * height
  data.fill(96, 0, luma)
  data.fill(128, luma)
  const bar = Math.floor(((index * width) / 8) % width)
  const barWidth = Math.max(1, Math.floor(width / 10))
  for (let y = 0; y < height; y++) data.fill(235, y * width + bar, y * width + Math.min(width, bar + barWidth))
}

/** A local track made here, with what feeds it. */
export interface SyntheticTrack {
  readonly track: MediaStreamTrack
  readonly kind: 'audio' | 'video'
  /** Replaces what the track plays from the next chunk or frame on (`undefined`: only what is pushed). */
  play(generator: AudioGenerator | VideoGenerator | undefined): void
  /** Sends audio or a frame now (for a track that plays nothing, as an echo does). */
  push(data: AudioData | VideoFrame): void
}

export interface SyntheticMediaOptions {
  /** What new audio tracks play (default `tone(440, 0.1)`; `undefined` for nothing until `play`/`push`). */
  readonly audio?: AudioGenerator | undefined
  /** What new video tracks show (default `movingBar`). */
  readonly video?: VideoGenerator | undefined
  /** Video size (default 320 × 240) and frame rate (default 15). */
  readonly width?: number
  readonly height?: number
  readonly frameRate?: number
}

/** Synthetic devices and the tracks they made, plus the remote tracks of the peer connections that use them. */
export interface SyntheticMedia {
  /** A `navigator.mediaDevices` for the SDK: `getUserMedia` makes synthetic tracks; one synthetic device of each kind. */
  readonly mediaDevices: MediaDevicesLike
  /** The local synthetic track with this id (to change what it plays), if this made it. */
  local(trackId: string): SyntheticTrack | undefined
  /** Every local synthetic track that has not ended. */
  locals(): SyntheticTrack[]
  /** Stops every synthetic track and the timers that feed them. */
  dispose(): void
}

const isRequested = (constraint: unknown): boolean => constraint !== undefined && constraint !== false && constraint !== null

/** A synthetic track and how it is fed: `tick` sends what is due at `now` (`performance.now()`). */
type FedTrack = SyntheticTrack & { tick(now: number): void }

/** Due chunks since the start, at most `catchUp` at once after a stall. */
function pacer(periodMs: number, catchUp: number): (now: number) => number {
  const started = performance.now()
  let sent = 0
  return (now: number): number => {
    const due = Math.floor((now - started) / periodMs) + 1
    const count = Math.min(due - sent, catchUp)
    sent = Math.max(sent + count, due - catchUp)
    return Math.max(0, count)
  }
}

/**
 * A track whose source is fed through `send`: every period `due` counts, `render` makes one chunk
 * from what the track plays (`undefined`: nothing to send); `push` sends a chunk at once.
 */
function pacedTrack<G, D>(
  kind: SyntheticTrack['kind'],
  track: MediaStreamTrack,
  send: (data: D) => void,
  playing: G | undefined,
  due: (now: number) => number,
  render: (generator: G | undefined) => D | undefined,
): FedTrack {
  let generator = playing
  return {
    track,
    kind,
    play: (next) => {
      generator = next as G | undefined
    },
    push: (data) => send(data as D),
    tick: (now) => {
      for (let n = due(now); n > 0; n--) {
        const chunk = render(generator)
        if (chunk !== undefined) send(chunk)
      }
    },
  }
}

/** A mono audio track at `audioSampleRate`, sending a 10 ms chunk of what it plays every 10 ms. */
function audioTrack(playing: AudioGenerator | undefined): FedTrack {
  const source = new nonstandard.RTCAudioSource()
  const frames = (audioSampleRate * chunkMs) / 1000
  let offset = 0
  return pacedTrack<AudioGenerator, AudioData>('audio', source.createTrack(), (data) => source.onData(data), playing, pacer(chunkMs, 5), (generator) => {
    const samples = new Int16Array(frames)
    generator?.(samples, audioSampleRate, offset)
    offset += frames
    return generator === undefined ? undefined : { samples, sampleRate: audioSampleRate, bitsPerSample: 16, channelCount: 1, numberOfFrames: frames }
  })
}

/** A video track of `width × height`, sending a frame of what it shows every `frameMs`. */
function videoTrack(playing: VideoGenerator | undefined, width: number, height: number, frameMs: number): FedTrack {
  const source = new nonstandard.RTCVideoSource()
  let index = 0
  return pacedTrack<VideoGenerator, VideoFrame>('video', source.createTrack(), (frame) => source.onFrame(frame), playing, pacer(frameMs, 1), (generator) => {
    if (generator === undefined) return undefined
    const frame = { width, height, data: new Uint8ClampedArray(width * height * 1.5) }
    generator(frame, index++)
    return frame
  })
}

/** The wall-clock timer that feeds tracks: started when tracks are made, it stops once none is left. */
interface Feeder {
  start(): void
  stop(): void
}

/** Ticks every track of `tracks` each 10 ms, forgetting those that ended. */
function feeder(tracks: Map<string, FedTrack>): Feeder {
  let timer: ReturnType<typeof setInterval> | undefined
  const stop = (): void => {
    if (timer !== undefined) clearInterval(timer)
    timer = undefined
  }
  const start = (): void => {
    if (timer !== undefined) return
    timer = setInterval(() => {
      const now = performance.now()
      for (const [id, entry] of tracks) {
        if (entry.track.readyState === 'ended') tracks.delete(id)
        else entry.tick(now)
      }
      if (tracks.size === 0) stop()
    }, chunkMs)
    timer.unref?.()
  }
  return { start, stop }
}

/** One synthetic device of each kind. */
const syntheticDevices = (): MediaDeviceInfo[] =>
  (
    [
      ['audioinput', 'synthetic-microphone', 'Synthetic microphone'],
      ['videoinput', 'synthetic-camera', 'Synthetic camera'],
      ['audiooutput', 'synthetic-speaker', 'Synthetic speaker'],
    ] as const
  ).map(([kind, deviceId, label]) => ({ kind, deviceId, label, groupId: 'synthetic', toJSON: () => ({ kind, deviceId, label, groupId: 'synthetic' }) }))

/** A `navigator.mediaDevices` with this `getUserMedia` and the synthetic devices: all the SDK asks of one. */
function syntheticMediaDevices(getUserMedia: MediaDevicesLike['getUserMedia']): MediaDevicesLike {
  return { getUserMedia, enumerateDevices: async () => syntheticDevices() }
}

/** Synthetic devices for the SDK in Node: audio at 48 kHz in 10 ms chunks and small video frames, paced by wall-clock timers. */
export function createSyntheticMedia(options: SyntheticMediaOptions = {}): SyntheticMedia {
  const audioDefault = 'audio' in options ? options.audio : tone(440, 0.1)
  const videoDefault = 'video' in options ? options.video : movingBar
  const width = options.width ?? 320
  const height = options.height ?? 240
  const frameMs = 1000 / (options.frameRate ?? 15)
  const tracks = new Map<string, FedTrack>()
  const feeding = feeder(tracks)

  const getUserMedia = async (constraints: MediaStreamConstraints = {}): Promise<MediaStream> => {
    const made = [...(isRequested(constraints.audio) ? [audioTrack(audioDefault)] : []), ...(isRequested(constraints.video) ? [videoTrack(videoDefault, width, height, frameMs)] : [])]
    if (made.length === 0) throw new TypeError('getUserMedia: at least one of audio and video must be requested')
    for (const entry of made) tracks.set(entry.track.id, entry)
    feeding.start()
    return new wrtc.MediaStream(made.map((entry) => entry.track))
  }

  return {
    mediaDevices: syntheticMediaDevices(getUserMedia),
    local: (trackId) => tracks.get(trackId),
    locals: () => [...tracks.values()].filter((entry) => entry.track.readyState !== 'ended'),
    dispose: () => {
      feeding.stop()
      for (const entry of tracks.values()) entry.track.stop()
      tracks.clear()
    },
  }
}

/**
 * The audio of a (remote) track as it plays: 10 ms PCM chunks from `RTCAudioSink`, copied so
 * they can be kept. Unsubscribing stops the sink.
 *
 * audioOf(remoteTrack).subscribe(({ samples, sampleRate }) => detector.push(pcmToFloat(samples)))
 */
export function audioOf(track: MediaStreamTrack): Observable<AudioData> {
  return new Observable<AudioData>((subscriber) => {
    const sink = new nonstandard.RTCAudioSink(track)
    sink.ondata = (data) =>
      subscriber.next({
        samples: new Int16Array(data.samples),
        sampleRate: data.sampleRate,
        bitsPerSample: data.bitsPerSample ?? 16,
        channelCount: data.channelCount ?? 1,
        numberOfFrames: data.numberOfFrames ?? data.samples.length / (data.channelCount ?? 1),
      })
    return () => {
      sink.ondata = null
      sink.stop()
    }
  })
}

/** The frames of a (remote) video track as they arrive (I420, copied). Unsubscribing stops the sink. */
export function framesOf(track: MediaStreamTrack): Observable<VideoFrame> {
  return new Observable<VideoFrame>((subscriber) => {
    const sink = new nonstandard.RTCVideoSink(track)
    sink.onframe = ({ frame }) => subscriber.next({ width: frame.width, height: frame.height, data: new Uint8Array(frame.data) })
    return () => {
      sink.onframe = null
      sink.stop()
    }
  })
}
