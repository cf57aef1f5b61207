import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { appBundle } from '../../bench/size/measure.js'

const budget = JSON.parse(readFileSync('spec/packaging/budget.json', 'utf8')) as { iifeGzipBaseline: number; iifeGzipBytes: number }

// What a browser downloads: the whole SDK as one minified script (spec/run.mjs builds it first).
describe('package: bundle size budget', () => {
  it('keeps dist/kandy-rx.js (min+gzip) within 5% of its size when the budget was set', () => {
    const gzip = gzipSync(readFileSync('dist/kandy-rx.js'), { level: 9 }).length
    console.log(`      dist/kandy-rx.js: ${gzip} bytes min+gzip (baseline ${budget.iifeGzipBaseline}, budget ${budget.iifeGzipBytes})`)
    expect(budget.iifeGzipBytes).to.equal(Math.floor(budget.iifeGzipBaseline * 1.05))
    expect(gzip).to.be.at.most(budget.iifeGzipBytes)
  })
})

// What an app ships when it builds only some features on the installed package's `kandy-rx/streams` (dist/esm, one
// file per module): its bundler leaves the other features out.
describe('package: tree-shaking kandy-rx/streams', function () {
  this.timeout(60000)

  it('leaves the call engine, media, groups, contacts, the directory and sdp-transform out of a chat + presence app', async () => {
    const { inputs } = await appBundle('bench/size/chat-presence.ts')
    expect(inputs.filter((path) => path.startsWith('dist/esm/streams/messaging/')), 'messaging').to.not.be.empty
    expect(inputs.filter((path) => path.startsWith('dist/esm/streams/presence/')), 'presence').to.not.be.empty
    const unused = inputs.filter((path) => /^dist\/esm\/(lib\/|streams\/(call|media|groups|contacts|users|sdp)\/)|node_modules\/(sdp-transform|webrtc-adapter)\//.test(path))
    expect(unused).to.deep.equal([])
  })
})
