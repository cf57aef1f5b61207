import { expect } from 'chai'
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { pack } from './pack.js'

// The tarball npm users get (`npm pack` of the built package): what it holds, and what the two
// tools npm users' toolchains trust (publint, arethetypeswrong) say about it.
describe('package: the npm tarball', function () {
  this.timeout(300000)

  it('ships the builds, the declarations for import and require, the bin, README and LICENSE, and nothing else', () => {
    const paths = pack().files.map(({ path }) => path)
    expect(paths).to.include.members([
      'package.json',
      'README.md',
      'LICENSE',
      'dist/esm/index.js',
      'dist/cjs/index.cjs',
      'dist/types/lib/index.d.ts',
      'dist/types/lib/index.d.cts',
      'dist/types/lib/event-map.d.ts',
      'dist/kandy-rx.js',
      'dist/platform.js',
    ])
    const unwanted = paths.filter((path) => path.endsWith('.map') || path.endsWith('.tsbuildinfo') || path === 'dist/local.js' || /^(lib|streams|platform|samples|spec|bench|testing)\//.test(path))
    expect(unwanted, 'source maps, dist/local.js, sources').to.deep.equal([])
  })

  it('passes publint with no error, warning or suggestion', async () => {
    const { tarball } = pack()
    const file = readFileSync(tarball)
    const { messages, pkg } = await publint({ pack: { tarball: file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer }, level: 'suggestion' })
    expect(messages.map((message) => formatMessage(message, pkg) ?? message.code)).to.deep.equal([])
  })

  it('passes @arethetypeswrong/cli (strict profile): every entry typed for node10, node16 CJS and ESM, and bundlers', () => {
    const attw = spawnSync(process.execPath, [join('node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js'), pack().tarball, '--format', 'json', '--no-definitely-typed'], { encoding: 'utf8' })
    const report = JSON.parse(attw.stdout) as { analysis: { problems: unknown[]; entrypoints: Record<string, unknown> } }
    expect(report.analysis.problems, JSON.stringify(report.analysis.problems, null, 2)).to.deep.equal([])
    expect(Object.keys(report.analysis.entrypoints)).to.include.members(['.', './streams', './testing'])
    expect(attw.status).to.equal(0)
  })

  it('declares only what a browser or Node app runs as dependencies; ws, wrtc and selfsigned are optional peers', () => {
    const manifest = JSON.parse(execFileSync('tar', ['-xOzf', pack().tarball, 'package/package.json'], { encoding: 'utf8' })) as {
      dependencies: Record<string, string>
      peerDependencies: Record<string, string>
      peerDependenciesMeta: Record<string, { optional: boolean }>
      sideEffects: boolean
    }
    expect(Object.keys(manifest.dependencies).sort()).to.deep.equal(['@types/sdp-transform', 'fp-ts', 'io-ts', 'rxjs', 'rxjs-websockets', 'sdp-transform', 'webrtc-adapter'])
    for (const peer of ['ws', '@roamhq/wrtc', 'selfsigned']) expect(manifest.peerDependenciesMeta[peer]?.optional, peer).to.equal(true)
    expect(manifest.sideEffects).to.equal(false)
  })
})
