import { expect } from 'chai'
import { hottest, scriptMs, type CpuProfile } from '../../../bench/e2e/profile.js'

// The benchmark's JS figure counts what an SDK's code costs: a CPU profile's time without idle, without
// `(program)` (the browser's own per-frame work) and without the benchmark's own functions in the page
// (its hold and its event listener) and whatever they call.

const frame = (functionName: string, url = 'http://127.0.0.1/kandy.js') => ({ functionName, url, lineNumber: 0, columnNumber: 0 })

/** root → (idle), (program), sdkDispatch → benchSeen → now, sdkDispatch → parse, benchHold → now. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 4, 8] },
    { id: 2, callFrame: frame('(idle)', '') },
    { id: 3, callFrame: frame('(program)', '') },
    { id: 4, callFrame: frame('sdkDispatch'), children: [5, 7] },
    { id: 5, callFrame: frame('benchSeen', ''), children: [6] },
    { id: 6, callFrame: frame('now', '') },
    { id: 7, callFrame: frame('parse') },
    { id: 8, callFrame: frame('benchHold', ''), children: [9] },
    { id: 9, callFrame: frame('now', '') },
  ],
  // One sample per node id below, each lasting the microseconds at the same index.
  samples: [2, 3, 4, 5, 6, 7, 8, 9],
  timeDeltas: [1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000],
}

describe('bench e2e profile', () => {
  it('counts the SDK’s JavaScript: not idle, not (program), not the benchmark’s hold or listener, nor what they call', () => {
    // sdkDispatch 4 ms + parse 32 ms; benchSeen (8) and its now (16) and benchHold (64) and its now (128) are left out.
    expect(scriptMs(profile)).to.equal(36)
  })

  it('ranks the functions left by self time, with their share of that time', () => {
    expect(hottest(profile, 2).map(({ name, ms, share }) => ({ name, ms, share }))).to.deep.equal([
      { name: 'parse', ms: 32, share: '84.2%' },
      { name: 'sdkDispatch', ms: 4, share: '10.5%' },
    ])
  })
})
