import type { Environment } from '../environment.js'

// The audio bridge of a locally joined call (`call.join`, protocol/calls.md §11): the platform has no conference, so this client mixes. Each leg (one
// remote party's session) is sent the microphone mixed with what every other leg receives; the local user hears every leg by playing their remote tracks.
// WebAudio mixes: one MediaStreamAudioDestinationNode per leg, whose track replaces the leg's outgoing audio (`RTCRtpSender.replaceTrack`, no renegotiation).

/** A running mix for `legs` legs. */
export type AudioBridge = ReturnType<typeof createAudioBridge>

/** The environment's AudioContext and MediaStream, both present. */
export type BridgeEnvironment = { readonly [K in 'AudioContext' | 'MediaStream']: NonNullable<Environment[K]> }

/**
 * Starts a mix for `legs` legs (at least two); inputs are set afterwards.
 *
 * const bridge = createAudioBridge(environment, 2)
 * bridge.setLocal(microphone)
 * bridge.setRemote(0, fromBob)
 * bridge.setRemote(1, fromCarol)
 * await senderToBob.replaceTrack(bridge.output(0)) // bob hears the microphone and carol
 */
export function createAudioBridge(environment: BridgeEnvironment, legs: number) {
  const context = new environment.AudioContext()
  // A context created outside a user gesture may start suspended; the join is usually a user's click.
  if (context.state === 'suspended') context.resume().catch(() => undefined)
  const destinations = Array.from({ length: legs }, () => context.createMediaStreamDestination())
  const outputs = destinations.map((destination) => destination.stream.getAudioTracks()[0] as MediaStreamTrack)
  let local: AudioNode | undefined
  const remotes: Array<AudioNode | undefined> = Array.from({ length: legs }, () => undefined)

  /** A source node for a track, connected to the destinations of the given legs. */
  const source = (track: MediaStreamTrack | undefined, to: (index: number) => boolean): AudioNode | undefined => {
    if (track === undefined) return undefined
    const node = context.createMediaStreamSource(new environment.MediaStream([track]))
    destinations.forEach((destination, index) => {
      if (to(index)) node.connect(destination)
    })
    return node
  }

  return {
    /** The track to send on leg `index`: the local input plus every other leg's received audio. */
    output: (index: number): MediaStreamTrack => {
      const track = outputs[index]
      if (track === undefined) throw new RangeError(`The bridge has ${legs} legs; there is no leg ${index}.`)
      return track
    },
    /** Sets (or, with undefined, clears) the local input, e.g. the microphone. A disabled track mixes as silence. */
    setLocal: (track: MediaStreamTrack | undefined): void => {
      local?.disconnect()
      local = source(track, () => true)
    },
    /** Sets (or clears) what leg `index` receives from its remote party. */
    setRemote: (index: number, track: MediaStreamTrack | undefined): void => {
      if (index < 0 || index >= legs) throw new RangeError(`The bridge has ${legs} legs; there is no leg ${index}.`)
      remotes[index]?.disconnect()
      remotes[index] = source(track, (other) => other !== index)
    },
    /** Stops the output tracks and closes the audio context (which ends every node in it). */
    close: (): void => {
      for (const track of outputs) track.stop()
      if (context.state !== 'closed') context.close().catch(() => undefined)
    },
  }
}
