import { expect } from 'chai'
import { devicesOf, initialMediaState, mediaObject, mediaReducer, type MediaEvent, type MediaState } from '../../../streams/media/state.js'

const added: MediaEvent = {
  type: 'mediaAdded',
  mediaId: 'stream-1',
  local: true,
  tracks: [
    { id: 'a1', kind: 'audio', label: 'Fake Default Audio Input' },
    { id: 'v1', kind: 'video', label: 'fake_device_0' },
  ],
}

const run = (...events: MediaEvent[]): MediaState => events.reduce((state, event) => mediaReducer(state, event).state, initialMediaState)

describe('media state (streams/media/state.ts)', () => {
  it('a new media holds TrackObjects with every documented field', () => {
    const state = run(added)
    expect(state.tracks.a1).to.deep.equal({
      containers: [],
      disabled: false,
      id: 'a1',
      kind: 'audio',
      label: 'Fake Default Audio Input',
      muted: false,
      state: 'live',
      streamId: 'stream-1',
    })
    expect(mediaObject(state, 'stream-1')).to.deep.equal({ id: 'stream-1', local: true, tracks: [state.tracks.a1, state.tracks.v1] })
    expect(mediaObject(state, 'nope')).to.equal(undefined)
  })

  it('mute / unmute live tracks with one output each, skipping unknown and ended tracks (an output without tracks when none is live)', () => {
    const ended = run(added, { type: 'tracksEnded', trackIds: ['v1'] })
    const step = mediaReducer(ended, { type: 'tracksMuted', trackIds: ['a1', 'v1', 'zz', 'a1'] })
    expect(step.outputs).to.deep.equal([{ type: 'muted', trackIds: ['a1'] }])
    expect(step.state.tracks.a1.muted).to.equal(true)
    expect(step.state.tracks.v1.muted).to.equal(false)
    const unmuted = mediaReducer(step.state, { type: 'tracksUnmuted', trackIds: ['a1'] })
    expect(unmuted.outputs).to.deep.equal([{ type: 'unmuted', trackIds: ['a1'] }])
    expect(unmuted.state.tracks.a1.muted).to.equal(false)
    const nothing = mediaReducer(ended, { type: 'tracksMuted', trackIds: ['zz', 'v1'] })
    expect(nothing.outputs).to.deep.equal([{ type: 'muted', trackIds: [] }])
    expect(nothing.state).to.equal(ended)
    expect(mediaReducer(ended, { type: 'tracksUnmuted', trackIds: [] }).outputs).to.deep.equal([{ type: 'unmuted', trackIds: [] }])
  })

  it('ended tracks are disabled for good', () => {
    const state = run(added, { type: 'tracksEnded', trackIds: ['a1'] })
    expect(state.tracks.a1).to.include({ state: 'ended', disabled: true })
  })

  it('rendering adds the container selector once; removing takes it out', () => {
    const twice = run(added, { type: 'tracksRendered', trackIds: ['v1'], selector: '#remote' }, { type: 'tracksRendered', trackIds: ['v1'], selector: '#remote' })
    expect(twice.tracks.v1.containers).to.deep.equal(['#remote'])
    const removed = mediaReducer(twice, { type: 'tracksUnrendered', trackIds: ['v1'], selector: '#remote' }).state
    expect(removed.tracks.v1.containers).to.deep.equal([])
  })

  it('devices sort into camera, microphone and speaker; devices:change only when the list changed', () => {
    const devices = devicesOf([
      { deviceId: 'default', groupId: 'g1', kind: 'audioinput', label: 'Mic' },
      { deviceId: 'cam', groupId: 'g2', kind: 'videoinput', label: 'Cam' },
      { deviceId: 'spk', groupId: 'g3', kind: 'audiooutput', label: 'Speaker' },
    ])
    expect(devices).to.deep.equal({
      camera: [{ deviceId: 'cam', groupId: 'g2', kind: 'videoinput', label: 'Cam' }],
      microphone: [{ deviceId: 'default', groupId: 'g1', kind: 'audioinput', label: 'Mic' }],
      speaker: [{ deviceId: 'spk', groupId: 'g3', kind: 'audiooutput', label: 'Speaker' }],
    })
    const first = mediaReducer(initialMediaState, { type: 'devicesListed', devices })
    expect(first.outputs).to.deep.equal([{ type: 'devicesChanged' }])
    const same = mediaReducer(first.state, { type: 'devicesListed', devices: devicesOf([...devices.microphone, ...devices.camera, ...devices.speaker]) })
    expect(same.outputs).to.deep.equal([])
    expect(same.state).to.equal(first.state)
  })
})
