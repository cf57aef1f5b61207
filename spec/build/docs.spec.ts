import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// `npm run docs` (typedoc over the doc comments of lib/, streams/ and testing/) keeps working,
// and the reference it writes documents the client factory with its doc comment.
describe('API reference (npm run docs)', function () {
  this.timeout(120000)
  const out = mkdtempSync(join(tmpdir(), 'kandy-docs-'))
  after(() => rmSync(out, { recursive: true, force: true }))

  it('generates the reference from the doc comments, with create() and its documentation', () => {
    execFileSync(process.execPath, ['node_modules/typedoc/bin/typedoc', '--out', out, '--logLevel', 'Error'], { encoding: 'utf8' })
    expect(existsSync(join(out, 'index.html'))).to.equal(true)
    const create = join(out, 'functions', 'kandy-rx.create.html')
    expect(existsSync(create), 'a page for create()').to.equal(true)
    expect(readFileSync(create, 'utf8')).to.include('The SDK creation factory')
  })
})
