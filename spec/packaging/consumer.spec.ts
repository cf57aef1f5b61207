import { expect } from 'chai'
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { installConsumer } from './pack.js'

const budget = JSON.parse(readFileSync('spec/packaging/budget.json', 'utf8')) as { packageBytes: number; installBytes: number }

/** Every file under a folder, with its size in bytes. */
function filesUnder(dir: string): { path: string; size: number }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return filesUnder(path)
    return entry.isFile() ? [{ path, size: statSync(path).size }] : []
  })
}

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`

/** Runs a script with plain Node in the app's folder, as the app would. */
const node = (app: string, args: string[]) => spawnSync(process.execPath, args, { cwd: app, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })

// A browser app's `npm install kandy-rx`: the tarball installed into an empty app with npm ci
// (offline, from npm's cache), then inspected as it lies on disk.
describe('package: what an app installs', function () {
  this.timeout(300000)
  let app = ''
  before(() => {
    app = installConsumer()
  })
  after(() => rmSync(app, { recursive: true, force: true }))

  it('installs no native module, and none of ws, @roamhq/wrtc, selfsigned', () => {
    const modules = join(app, 'node_modules')
    for (const name of ['ws', '@roamhq/wrtc', 'selfsigned']) expect(existsSync(join(modules, name)), name).to.equal(false)
    const native = filesUnder(modules).filter(({ path }) => path.endsWith('.node') || path.endsWith('binding.gyp'))
    expect(native.map(({ path }) => path)).to.deep.equal([])
  })

  it(`stays within the install budget: kandy-rx itself and everything installed with it`, () => {
    const total = filesUnder(join(app, 'node_modules')).reduce((sum, { size }) => sum + size, 0)
    const own = filesUnder(join(app, 'node_modules', 'kandy-rx')).reduce((sum, { size }) => sum + size, 0)
    console.log(`      installed: ${megabytes(total)} in all, kandy-rx itself ${megabytes(own)}`)
    expect(own, `kandy-rx itself: ${megabytes(own)}`).to.be.at.most(budget.packageBytes)
    expect(total, `everything installed: ${megabytes(total)}`).to.be.at.most(budget.installBytes)
  })

  it('loads with import and require, without ws or wrtc', () => {
    expect(node(app, ['--input-type=module', '-e', "const { create } = await import('kandy-rx'); create().dispose(); console.log(typeof create)"]).stdout.trim()).to.equal('function')
    expect(node(app, ['-e', "const { createStreams } = require('kandy-rx/streams'); createStreams().dispose(); console.log(typeof createStreams)"]).stdout.trim()).to.equal('function')
  })

  it('names the package to install when kandy-rx/testing or the platform bin is used without its optional peers', () => {
    const testing = node(app, ['--input-type=module', '-e', "await import('kandy-rx/testing')"])
    expect(testing.status).to.not.equal(0)
    expect(testing.stderr).to.match(/kandy-rx\/testing needs ws, an optional peer dependency of kandy-rx: npm install ws@/)
    const required = node(app, ['-e', "require('kandy-rx/testing')"])
    expect(required.stderr).to.match(/kandy-rx\/testing needs ws/)
    const platform = node(app, [join('node_modules', '.bin', 'kandy-rx-platform'), '--help'])
    expect(platform.status).to.not.equal(0)
    expect(platform.stderr).to.match(/kandy-rx-platform needs ws, an optional peer dependency of kandy-rx: npm install ws@/)
  })

  it("type-checks an app's code against the installed package under strict with skipLibCheck off (import and require)", () => {
    writeFileSync(
      join(app, 'app.ts'),
      `import { create, type EventPayloads, type SdpObject } from 'kandy-rx'
import { createStreams } from 'kandy-rx/streams'
const client = create({ call: { iceServers: [] } })
client.on('call:stateChange', ({ callId, previous }: EventPayloads['call:stateChange']) => console.log(callId, previous?.state))
const handler = (sdp: SdpObject): SdpObject => sdp
createStreams().dispose()
export { handler }
`,
    )
    writeFileSync(join(app, 'app.cts'), `import kandy = require('kandy-rx')\nkandy.create().on('ws:change', ({ platform }) => console.log(platform))\n`)
    const options: ts.CompilerOptions = { strict: true, skipLibCheck: false, noEmit: true, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] }
    const program = ts.createProgram([join(app, 'app.ts'), join(app, 'app.cts')], options)
    const errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => `${diagnostic.file?.fileName ?? ''}: TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`)
    expect(errors, errors.join('\n')).to.deep.equal([])
  })

  it('ships the IIFE a script tag loads: it defines the global Kandy', () => {
    const script = join(app, 'node_modules', 'kandy-rx', 'dist', 'kandy-rx.js')
    // A fresh global scope with only what a page has that the bundle reads at load.
    const page = `const vm = require('node:vm'); const context = { TextDecoder, TextEncoder, URL, console }; vm.runInNewContext(require('node:fs').readFileSync(${JSON.stringify(script)}, 'utf8'), context); console.log(typeof context.Kandy.create)`
    const loaded = node(app, ['-e', page])
    expect(loaded.stdout.trim(), loaded.stderr.slice(-500)).to.equal('function')
  })
})
