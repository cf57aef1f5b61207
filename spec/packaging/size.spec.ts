import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

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
