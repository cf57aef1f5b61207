import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eventNames } from '../../lib/events.js'

// `npm run docs` (typedoc over the doc comments, with docs/plugin.mjs) writes a reference
// organised as the client is (`client.call`, `client.conversation`, …), an events page generated
// from the typed event map, and the doc comments' examples as code.
describe('API reference (npm run docs)', function () {
  this.timeout(300000)
  const out = mkdtempSync(join(tmpdir(), 'kandy-docs-'))
  const page = (path: string): string => readFileSync(join(out, path), 'utf8')
  before(() => {
    execFileSync(process.execPath, ['node_modules/typedoc/bin/typedoc', '--out', out, '--logLevel', 'Error'], { encoding: 'utf8' })
  })
  after(() => rmSync(out, { recursive: true, force: true }))

  it('documents create() with its doc comment', () => {
    expect(existsSync(join(out, 'index.html'))).to.equal(true)
    expect(page('functions/kandy-rx.create.html')).to.include('The SDK creation factory')
  })

  it('has one module per namespace of the client, each with its API', () => {
    for (const namespace of ['call', 'media', 'conversation', 'presence', 'groups', 'contacts', 'user', 'services', 'connection']) {
      const api = `${namespace[0]!.toUpperCase()}${namespace.slice(1)}Api`
      expect(existsSync(join(out, 'modules', `client.${namespace}.html`)), `client.${namespace}`).to.equal(true)
      expect(existsSync(join(out, 'interfaces', `client.${namespace}.${api}.html`)), `client.${namespace}.${api}`).to.equal(true)
    }
    expect(page('modules/client.html')).to.include('setTokens')
  })

  it('lists every event with its payload on the events page', () => {
    const events = page('documents/Events.html')
    for (const name of eventNames) expect(events, name).to.include(`id="${name.toLowerCase().replace(':', '')}"`)
    // Payload fields come from the typed event map.
    expect(events).to.match(/callId<\/span>.*string/s)
  })

  it('renders the examples of doc comments as code blocks', () => {
    const call = page('interfaces/client.call.CallApi.html')
    expect(call).to.match(/<h4 class="tsd-anchor-link" id="example[^"]*">Example/)
    expect(call).to.match(/<pre><code class="ts">.*make<\/span>/s)
  })
})
