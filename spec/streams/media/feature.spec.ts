import { expect } from 'chai'
import wrtc from '@roamhq/wrtc'
import { firstValueFrom, lastValueFrom, toArray, take } from 'rxjs'
import { createConfig } from '../../../streams/config/feature.js'
import { createEnvironment, type Environment } from '../../../streams/environment.js'
import { createLogs } from '../../../streams/logs/feature.js'
import { createMedia, type MediaFeature } from '../../../streams/media/feature.js'
import type { MediaOutput } from '../../../streams/media/state.js'
import type { MediaOptions } from '../../../streams/media/constraints.js'
import { captureConsole } from '../logs/capture.js'

// The media feature in Node: tracks are real (wrtc media sources); the devices are a stand-in,
// because plugging a device in cannot be done for real on a test machine.

const device = (deviceId: string, kind: MediaDeviceKind, label: string) => ({ deviceId, kind, label, groupId: `g-${deviceId}`, toJSON: () => ({}) }) as MediaDeviceInfo

/** A device list that can change, with `devicechange` events (stand-in for plugging a headset). */
class Devices extends EventTarget {
  list: MediaDeviceInfo[] = [device('mic-1', 'audioinput', 'Microphone')]
  failWith: Error | undefined
  listFailure: Error | undefined
  /** While set, both answers wait for it. */
  gate: Promise<void> | undefined
  constraints: MediaStreamConstraints[] = []
  streams: MediaStream[] = []
  async enumerateDevices(): Promise<MediaDeviceInfo[]> {
    await this.gate
    if (this.listFailure !== undefined) throw this.listFailure
    return [...this.list]
  }
  async getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    this.constraints.push(constraints)
    await this.gate
    if (this.failWith !== undefined) throw this.failWith
    const stream = new wrtc.MediaStream([new wrtc.nonstandard.RTCAudioSource().createTrack()] as never) as unknown as MediaStream
    this.streams.push(stream)
    return stream
  }
}

/** A gate for `Devices.gate` and the function that opens it. */
const gated = (): { gate: Promise<void>; open: () => void } => {
  let open = (): void => undefined
  const gate = new Promise<void>((resolve) => (open = resolve))
  return { gate, open }
}

const settled = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

const audioTrack = (): MediaStreamTrack => new wrtc.nonstandard.RTCAudioSource().createTrack() as unknown as MediaStreamTrack

describe('media feature (streams/media/feature.ts)', () => {
  let devices: Devices
  let media: MediaFeature
  /** The feature on `devices`; with a `console`, everything is logged there. */
  const build = (overrides: Partial<Environment> = {}): MediaFeature => {
    const environment = createEnvironment({ mediaDevices: devices as unknown as MediaDevices, MediaStream: wrtc.MediaStream as unknown as typeof MediaStream, ...overrides })
    const config = createConfig({ logs: { logLevel: overrides.console === undefined ? 'silent' : 'debug' } })
    return createMedia({ environment, logs: createLogs(config, environment) })
  }
  beforeEach(() => {
    devices = new Devices()
    media = build()
  })
  afterEach(() => media.dispose())

  it('lists the devices at start and again on devicechange, with devices:change when the list changed', async () => {
    const initial = await firstValueFrom(media.events$)
    expect(initial).to.deep.equal({ type: 'devicesChanged' })
    expect(media.current().devices.microphone.map((entry) => entry.deviceId)).to.deep.equal(['mic-1'])
    devices.list = [...devices.list, device('cam-1', 'videoinput', 'Camera'), device('spk-1', 'audiooutput', 'Speaker')]
    const changed = firstValueFrom(media.events$)
    devices.dispatchEvent(new Event('devicechange'))
    expect(await changed).to.deep.equal({ type: 'devicesChanged' })
    expect(media.current().devices.camera.map((entry) => entry.label)).to.deep.equal(['Camera'])
    expect(media.current().devices.speaker.map((entry) => entry.kind)).to.deep.equal(['audiooutput'])
  })

  it('stops listening to devicechange on dispose', async () => {
    await firstValueFrom(media.events$)
    media.dispose()
    devices.list = []
    devices.dispatchEvent(new Event('devicechange'))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(media.current().devices.microphone).to.have.length(1)
  })

  it('userMedia asks with the constraints of the media options; a refusal is call:4, bad options call:7', async () => {
    const stream = await firstValueFrom(media.commands.userMedia({ audio: true, audioOptions: { deviceId: { exact: 'mic-1' } } }))
    expect(stream.getTracks()).to.have.length(1)
    expect(devices.constraints).to.deep.equal([{ audio: { deviceId: { exact: 'mic-1' } }, video: false }])
    devices.failWith = Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' })
    const refused = await lastValueFrom(media.commands.userMedia({ audio: true })).catch((error: unknown) => error)
    expect(refused).to.deep.include({ code: 'call:4' })
    expect(String((refused as Error).message)).to.contain('NotAllowedError')
    const bad = await lastValueFrom(media.commands.userMedia({ audio: 'yes' } as unknown as MediaOptions) /* as JavaScript may */).catch((error: unknown) => error)
    expect(bad).to.deep.include({ code: 'call:7' })
  })

  it('without media devices userMedia fails with call:4', async () => {
    const bare = build({ mediaDevices: undefined })
    const error = await lastValueFrom(bare.commands.userMedia({ audio: true })).catch((failure: unknown) => failure)
    expect(error).to.deep.include({ code: 'call:4' })
    bare.dispose()
  })

  it('registers tracks, mutes them at their source (enabled false) and ends them (stopped when local)', async () => {
    const local = audioTrack()
    const remote = audioTrack()
    media.commands.addMedia('stream-local', true, [local])
    media.commands.addMedia('stream-remote', false, [remote])
    expect(media.track(local.id)).to.equal(local)

    const outputs = firstValueFrom(media.events$.pipe(take(2), toArray()))
    media.commands.muteTracks([local.id, remote.id, 'unknown'])
    media.commands.unmuteTracks([remote.id])
    expect(await outputs).to.deep.equal([
      { type: 'muted', trackIds: [local.id, remote.id] },
      { type: 'unmuted', trackIds: [remote.id] },
    ] satisfies MediaOutput[])
    expect([local.enabled, remote.enabled]).to.deep.equal([false, true])
    expect(media.current().tracks[local.id]?.muted).to.equal(true)

    media.commands.endTracks([local.id], true)
    media.commands.endTracks([remote.id], false)
    expect(local.readyState).to.equal('ended')
    expect(remote.readyState).to.equal('live')
    expect(media.current().tracks[remote.id]).to.include({ state: 'ended', disabled: true })
    expect(media.track(local.id)).to.equal(undefined)
    remote.stop()
  })

  it('tells which tracks their source ended (endedAtSource$), not those it ended itself', async () => {
    const unplugged = audioTrack()
    const hungUp = audioTrack()
    media.commands.addMedia('stream', true, [unplugged, hungUp])
    const first = firstValueFrom(media.endedAtSource$)
    media.commands.endTracks([hungUp.id], true)
    // Stand-in for unplugging the device, which a test machine cannot do: the browser's event for a track its source ended.
    unplugged.dispatchEvent(new Event('ended'))
    expect(await first).to.equal(unplugged.id)
    expect(media.current().tracks[unplugged.id]).to.include({ state: 'ended', disabled: true })
    unplugged.stop()
  })

  it('rendering without a document is logged, not thrown, and changes nothing', () => {
    const track = audioTrack()
    media.commands.addMedia('stream', true, [track])
    const before = media.current()
    media.commands.renderTracks([track.id], '#remote')
    media.commands.removeTracks([track.id], '#remote')
    expect(media.current()).to.equal(before)
    track.stop()
  })

  it('a device list that fails is logged as a warning; one that answers after dispose is dropped', async () => {
    media.dispose()
    const capture = captureConsole()
    devices.listFailure = new Error('enumerateDevices refused')
    const failing = build({ console: capture.console })
    await settled()
    expect(capture.calls.map(({ method, args }) => [method, args[0]])).to.deep.include(['warn', '[kandy-rx:media] Could not list the media devices'])
    failing.dispose()

    devices.listFailure = undefined
    const { gate, open } = gated()
    devices.gate = gate
    media = build()
    media.dispose()
    open()
    await settled()
    expect(media.current().devices.microphone).to.deep.equal([])
  })

  it('lists the devices again once userMedia got its media (labels appear then); without enumerateDevices it lists nothing and still gets media', async () => {
    await firstValueFrom(media.events$)
    devices.list = [device('mic-1', 'audioinput', 'Microphone'), device('cam-1', 'videoinput', 'Camera')]
    const changed = firstValueFrom(media.events$)
    await firstValueFrom(media.commands.userMedia({ audio: true }))
    expect(await changed).to.deep.equal({ type: 'devicesChanged' })
    expect(media.current().devices.camera.map((entry) => entry.deviceId)).to.deep.equal(['cam-1'])

    const noListing = { getUserMedia: (constraints: MediaStreamConstraints) => devices.getUserMedia(constraints) } as unknown as MediaDevices
    const bare = build({ mediaDevices: noListing })
    const stream = await firstValueFrom(bare.commands.userMedia({ audio: true }))
    expect(stream.getTracks()).to.have.length(1)
    expect(bare.current().devices.microphone).to.deep.equal([])
    bare.dispose()
  })

  it('media that arrives after userMedia was unsubscribed is stopped, and the devices are not listed again', async () => {
    await firstValueFrom(media.events$)
    const { gate, open } = gated()
    devices.gate = gate
    const listed: unknown[] = []
    const subscription = media.events$.subscribe((event) => listed.push(event))
    media.commands.userMedia({ audio: true }).subscribe().unsubscribe()
    devices.list = [...devices.list, device('cam-1', 'videoinput', 'Camera')]
    open()
    await settled()
    expect(devices.streams.flatMap((stream) => stream.getTracks().map((track) => track.readyState))).to.deep.equal(['ended'])
    expect(listed).to.deep.equal([])
    subscription.unsubscribe()
  })

  it('rendering logs why it cannot: no document, an invalid selector, no such container', () => {
    const track = audioTrack()
    const lines = (document: Document | undefined, selector: string): unknown[][] => {
      const capture = captureConsole()
      const logged = build({ console: capture.console, document })
      logged.commands.addMedia('stream', true, [track])
      logged.commands.renderTracks([track.id], selector)
      logged.dispose()
      return capture.calls.filter(({ method }) => method === 'error').map(({ args }) => [...args])
    }
    const page = {
      querySelector: (selector: string) => {
        if (selector.startsWith('#')) return null
        throw new SyntaxError(`'${selector}' is not a valid selector`)
      },
    } as unknown as Document
    expect(lines(undefined, '#remote')).to.deep.equal([['[kandy-rx:media] Cannot render tracks: this environment has no document']])
    const invalid = lines(page, 'div[')
    expect(invalid.map((line) => line[0])).to.deep.equal(['[kandy-rx:media] Invalid container selector "div["'])
    expect(String(invalid[0]?.[1])).to.contain('is not a valid selector')
    expect(lines(page, '#remote')).to.deep.equal([['[kandy-rx:media] Cannot find the container "#remote"']])
    track.stop()
  })
})
