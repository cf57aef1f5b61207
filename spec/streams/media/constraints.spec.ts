import { expect } from 'chai'
import * as E from 'fp-ts/Either'
import { checkMediaOptions, constraintsOf } from '../../../streams/media/constraints.js'

describe('media constraints (streams/media/constraints.ts)', () => {
  it('audio only', () => {
    expect(constraintsOf({ audio: true })).to.deep.equal({ audio: true, video: false })
  })

  it('device ids, height, width and frame rate as exact or ideal (exact wins)', () => {
    expect(
      constraintsOf({
        audio: true,
        audioOptions: { deviceId: { exact: 'mic-2' } },
        video: true,
        videoOptions: { deviceId: { ideal: 'cam-1' }, height: { ideal: 720 }, width: { exact: 1280, ideal: 640 }, frameRate: { ideal: 15 } },
      }),
    ).to.deep.equal({
      audio: { deviceId: { exact: 'mic-2' } },
      video: { deviceId: { ideal: 'cam-1' }, height: { ideal: 720 }, width: { exact: 1280 }, frameRate: { ideal: 15 } },
    })
  })

  it('plain values as getUserMedia takes them, as the original SDK passes them on', () => {
    const media = { audio: true, audioOptions: { deviceId: 'mic-2' }, video: true, videoOptions: { width: 320, height: 240, frameRate: 15 } }
    expect(E.isRight(checkMediaOptions(media))).to.equal(true)
    expect(constraintsOf(media)).to.deep.equal({ audio: { deviceId: 'mic-2' }, video: { height: 240, width: 320, frameRate: 15 } })
  })

  it('other getUserMedia constraints (facingMode, echoCancellation, …) reach the browser as given, as the original SDK hands its options on', () => {
    const media = { audio: true, audioOptions: { echoCancellation: false }, video: true, videoOptions: { facingMode: { exact: 'environment' }, aspectRatio: 1.5, height: { ideal: 720 } } }
    expect(E.isRight(checkMediaOptions(media))).to.equal(true)
    expect(constraintsOf(media)).to.deep.equal({
      audio: { echoCancellation: false },
      video: { facingMode: { exact: 'environment' }, aspectRatio: 1.5, height: { ideal: 720 } },
    })
    const polluting = constraintsOf({ video: true, videoOptions: JSON.parse('{ "__proto__": { "polluted": true } }') as never }).video
    expect((polluting as Record<string, unknown>).polluted).to.equal(undefined)
  })

  it('video options are ignored when video is not asked for', () => {
    expect(constraintsOf({ audio: true, videoOptions: { height: { ideal: 720 } } })).to.deep.equal({ audio: true, video: false })
  })

  const bad: Array<[string, unknown]> = [
    ['not an object', 'audio'],
    ['no audio and no video', { audio: false }],
    ['audio not a boolean', { audio: 'yes' }],
    ['a constraint that is neither a value nor an object', { audio: true, audioOptions: { deviceId: true } }],
    ['a constraint without exact or ideal', { video: true, videoOptions: { height: {} } }],
    ['a constraint value of the wrong type', { video: true, videoOptions: { width: { ideal: [1] } } }],
  ]
  for (const [what, media] of bad) {
    it(`refuses ${what} with call:7`, () => {
      const checked = checkMediaOptions(media)
      expect(E.isLeft(checked) && checked.left.code).to.equal('call:7')
    })
  }
})
