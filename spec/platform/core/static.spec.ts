import { expect } from 'chai'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { seededAccounts } from '../../../platform/index.js'
import { startTestPlatform, type TestPlatform } from '../../helpers/platform.js'

/** GET with the path sent exactly as written (fetch would normalise `..`). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url)
    const req = request({ hostname, port, path, method: 'GET' }, (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, type: response.headers['content-type'] }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('platform core: static files (npm start)', () => {
  let root: string
  let platform: TestPlatform
  before(async () => {
    const outer = mkdtempSync(join(tmpdir(), 'kandy-static-'))
    root = join(outer, 'repo')
    mkdirSync(join(root, 'samples', 'browser'), { recursive: true })
    mkdirSync(join(root, 'dist'), { recursive: true })
    writeFileSync(join(outer, 'secret.txt'), 'outside the root')
    writeFileSync(join(root, 'package.json'), '{"name":"not served"}')
    writeFileSync(join(root, 'samples', 'browser', 'index.html'), '<!doctype html><title>sample</title>')
    writeFileSync(join(root, 'samples', 'browser', 'app.js'), 'console.log("app")')
    writeFileSync(join(root, 'samples', 'browser', 'style.css'), 'body{}')
    writeFileSync(join(root, 'dist', 'kandy-rx.js'), 'var Kandy={}')
    platform = await startTestPlatform({ staticRoot: root })
  })
  after(async () => {
    await platform.stop()
    rmSync(join(root, '..'), { recursive: true, force: true })
  })

  it('serves / as samples/browser/index.html, with CORS', async () => {
    const response = await fetch(`${platform.url}/`)
    expect(response.status).to.equal(200)
    expect(response.headers.get('content-type')).to.equal('text/html; charset=utf-8')
    expect(response.headers.get('access-control-allow-origin')).to.equal('*')
    expect(await response.text()).to.contain('<title>sample</title>')
  })

  it('serves /kandy-rx.js from dist/, /samples/... from samples/, and the sample’s files at the top level', async () => {
    const bundle = await fetch(`${platform.url}/kandy-rx.js`)
    expect(bundle.headers.get('content-type')).to.equal('text/javascript; charset=utf-8')
    expect(await bundle.text()).to.equal('var Kandy={}')
    const css = await fetch(`${platform.url}/samples/browser/style.css`)
    expect(css.headers.get('content-type')).to.equal('text/css; charset=utf-8')
    expect(await (await fetch(`${platform.url}/app.js`)).text()).to.equal('console.log("app")')
    expect(await (await fetch(`${platform.url}/samples/browser/`)).text()).to.contain('<title>sample</title>')
  })

  it('never serves files outside those folders (directory traversal)', async () => {
    for (const path of [
      '/samples/../package.json',
      '/samples/../../secret.txt',
      '/samples/%2e%2e/package.json',
      '/samples/..%2fpackage.json',
      '/samples/..%5cpackage.json',
      '/dist/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/package.json',
    ]) {
      const response = await rawGet(platform.url, path)
      expect(response.status, path).to.be.oneOf([400, 404])
      expect(response.body, path).to.not.contain('outside the root')
      expect(response.body, path).to.not.contain('not served')
      expect(response.type, path).to.equal('application/json')
    }
  })

  it('answers 404 with an error body for a missing file', async () => {
    const response = await fetch(`${platform.url}/samples/nothing.js`)
    expect(response.status).to.equal(404)
    expect(response.headers.get('content-type')).to.equal('application/json')
  })

  it('without a browser sample, / is a built-in page listing the users (never their passwords) and linking /kandy-rx.js', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'kandy-static-bare-'))
    const other = await startTestPlatform({ staticRoot: bare, users: [...seededAccounts.slice(0, 3), { ...seededAccounts[3]!, password: 'Dave-s3cret-pass' }] })
    try {
      const page = await (await fetch(`${other.url}/`)).text()
      expect(page).to.contain('platform is running')
      expect(page).to.contain('href="/kandy-rx.js"')
      for (const user of ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com']) expect(page).to.contain(user)
      expect(page).to.not.contain('Dave-s3cret-pass').and.not.match(/password=password|<td>password<\/td>/)
    } finally {
      await other.stop()
      rmSync(bare, { recursive: true, force: true })
    }
  })
})
