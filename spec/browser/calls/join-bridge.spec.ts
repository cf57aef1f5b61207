import { expect } from 'chai'
import { build } from 'esbuild'
import type { Browser, Page } from 'playwright-core'
import { blankSecurePage, launchChromium } from '../../fixtures/chromium.js'

// The WebAudio bridge of `call.join` (streams/call/bridge.ts) in real Chromium, on its own: each
// input is a sine of its own frequency, so what every output carries is read off its spectrum
// (an AnalyserNode), independent of levels and timing.

/** The bridge module bundled for the page, as `window.bridgeModule`. */
async function bridgeScript(): Promise<string> {
  const result = await build({ entryPoints: ['streams/call/bridge.ts'], bundle: true, format: 'iife', globalName: 'bridgeModule', write: false, target: 'chrome120' })
  return result.outputFiles[0]!.text
}

type Spectrum = Record<string, boolean>

declare global {
  interface Window {
    bridgeModule: typeof import('../../../streams/call/bridge.js')
    bridgeSpec: {
      /** Which of the test frequencies each output carries (above -60 dBFS). */
      heard(): Promise<Spectrum[]>
      local: MediaStreamTrack
      remotes: MediaStreamTrack[]
      bridge: import('../../../streams/call/bridge.js').AudioBridge
    }
  }
}

/** In the page: sine sources (local 440 Hz, remotes 1000 / 2500 / 4000 Hz), a bridge of `legs` legs fed with them, analysers on its outputs. */
async function setUp(page: Page, legs: number): Promise<void> {
  await page.evaluate((count) => {
    const frequencies = { local: 440, remotes: [1000, 2500, 4000] }
    const sources = new AudioContext()
    const sine = (frequency: number): MediaStreamTrack => {
      const oscillator = sources.createOscillator()
      oscillator.frequency.value = frequency
      const destination = sources.createMediaStreamDestination()
      oscillator.connect(destination)
      oscillator.start()
      return destination.stream.getAudioTracks()[0]!
    }
    const local = sine(frequencies.local)
    const remotes = frequencies.remotes.slice(0, count).map(sine)
    const bridge = window.bridgeModule.createAudioBridge({ AudioContext, MediaStream }, count)
    bridge.setLocal(local)
    remotes.forEach((track, index) => bridge.setRemote(index, track))

    const listening = new AudioContext()
    const analysers = Array.from({ length: count }, (_, index) => {
      const analyser = listening.createAnalyser()
      analyser.fftSize = 4096
      analyser.smoothingTimeConstant = 0
      listening.createMediaStreamSource(new MediaStream([bridge.output(index)])).connect(analyser)
      return analyser
    })
    const named: Array<[string, number]> = [['local', frequencies.local], ...frequencies.remotes.slice(0, count).map((frequency, index): [string, number] => [`remote${index}`, frequency])]
    const heard = async (): Promise<Spectrum[]> => {
      await new Promise((resolve) => setTimeout(resolve, 300))
      return analysers.map((analyser) => {
        const bins = new Float32Array(analyser.frequencyBinCount)
        analyser.getFloatFrequencyData(bins)
        const level = (frequency: number): number => bins[Math.round((frequency / listening.sampleRate) * analyser.fftSize)] ?? -Infinity
        return Object.fromEntries(named.map(([name, frequency]) => [name, level(frequency) > -60]))
      })
    }
    window.bridgeSpec = { heard, local, remotes, bridge }
  }, legs)
}

/** What each of two legs hears with both remotes live: the local input (when `local`) and the other leg, never itself. */
const twoLegs = (local: boolean): Spectrum[] => [
  { local, remote0: false, remote1: true },
  { local, remote0: true, remote1: false },
]

/** Polls until the outputs carry the expected inputs (audio takes a moment to start or stop). */
async function expectHeard(page: Page, expected: Spectrum[]): Promise<void> {
  let heard: Spectrum[] = []
  for (let tries = 0; tries < 15; tries += 1) {
    heard = await page.evaluate(() => window.bridgeSpec.heard())
    if (JSON.stringify(heard) === JSON.stringify(expected)) return
  }
  expect(heard).to.deep.equal(expected)
}

describe('call.join audio bridge in Chromium (streams/call/bridge.ts)', function () {
  this.timeout(30000)
  let browser: Browser
  let script: string
  before(async function () {
    this.timeout(60000)
    script = await bridgeScript()
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
  })

  let opened: Page | undefined
  afterEach(async () => {
    await opened?.close()
    opened = undefined
  })

  /** A page with the bridge module and a bridge of `legs` legs fed with sines (`setUp`); closed after the test. */
  async function bridgePage(legs: number): Promise<Page> {
    const page = await blankSecurePage(browser)
    opened = page
    // tsx keeps function names with __name(); the functions sent to the page use it.
    await page.addScriptTag({ content: `window.__name = (target) => target;\n${script}` })
    await setUp(page, legs)
    return page
  }

  it('sends each leg the local input and the other leg, never its own audio back', async () => {
    const tab = await bridgePage(2)
    await expectHeard(tab, twoLegs(true))
  })

  it('with three legs, each leg gets the local input and both other legs', async () => {
    const tab = await bridgePage(3)
    await expectHeard(tab, [
      { local: true, remote0: false, remote1: true, remote2: true },
      { local: true, remote0: true, remote1: false, remote2: true },
      { local: true, remote0: true, remote1: true, remote2: false },
    ])
  })

  it('a muted (disabled) local track mixes as silence; it comes back when enabled', async () => {
    const tab = await bridgePage(2)
    await tab.evaluate(() => {
      window.bridgeSpec.local.enabled = false
    })
    await expectHeard(tab, twoLegs(false))
    await tab.evaluate(() => {
      window.bridgeSpec.local.enabled = true
    })
    await expectHeard(tab, twoLegs(true))
  })

  it('replaces and clears inputs: a leg whose remote track is cleared stops reaching the other', async () => {
    const tab = await bridgePage(2)
    await tab.evaluate(() => {
      const { bridge, remotes } = window.bridgeSpec
      bridge.setRemote(1, undefined)
      bridge.setRemote(0, remotes[0])
    })
    await expectHeard(tab, [
      { local: true, remote0: false, remote1: false },
      { local: true, remote0: true, remote1: false },
    ])
    await tab.evaluate(() => window.bridgeSpec.bridge.setLocal(undefined))
    await expectHeard(tab, [
      { local: false, remote0: false, remote1: false },
      { local: false, remote0: true, remote1: false },
    ])
  })

  it('close stops the output tracks; an unknown leg (below 0, or past the last) is a RangeError', async () => {
    const tab = await bridgePage(2)
    const result = await tab.evaluate(() => {
      const { bridge } = window.bridgeSpec
      const outputs = [bridge.output(0), bridge.output(1)]
      const errors = [() => bridge.output(2), () => bridge.setRemote(-1, undefined), () => bridge.setRemote(2, undefined)].map((act) => {
        try {
          act()
          return 'none'
        } catch (error) {
          return (error as Error).name
        }
      })
      bridge.close()
      return { states: outputs.map((track) => track.readyState), errors }
    })
    expect(result).to.deep.equal({ states: ['ended', 'ended'], errors: ['RangeError', 'RangeError', 'RangeError'] })
  })
})
