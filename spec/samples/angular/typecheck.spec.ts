import { expect } from 'chai'
import { spawnSync } from 'node:child_process'

// The sample has its own tsconfig (Angular's decorators), outside the root type-check.
describe('samples/angular: types', function () {
  this.timeout(60000)

  it('type-checks against kandy-rx/streams with its own tsconfig (strict)', () => {
    const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'samples/angular/tsconfig.json'], { encoding: 'utf8' })
    expect(tsc.stdout + tsc.stderr).to.equal('')
    expect(tsc.status).to.equal(0)
  })
})
