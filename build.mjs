// Builds every output of package.json in one go (esbuild, then tsc for declarations):
//   dist/esm/index.js, dist/esm/streams.js   ES modules, one file per source module, dependencies external
//   dist/cjs/index.cjs, dist/cjs/streams.cjs CommonJS, dependencies external
//   dist/kandy-rx.js                         one minified IIFE defining the global `Kandy`
//   dist/platform.js                         the local platform for Node (when platform/main.ts exists)
//   dist/local.js                            npm start: the platform, its bots and the samples (samples/local.ts)
//   dist/esm/testing.js, dist/cjs/testing.cjs the testing kit (kandy-rx/testing) for Node
//   samples/angular/dist/main.js             the Angular sample (when samples/angular/main.ts exists)
//   dist/types/**.d.ts                       declarations of lib/ and streams/ (skipped with BUILD_TYPES=0)
//   dist/types/**.d.cts                      the same declarations for `require` (CommonJS) resolvers
// fp-ts is always bundled: plain Node ESM cannot resolve `fp-ts/Either` (TOOLING.md); the ES modules
// import the parts they use from dist/esm/vendor/fp-ts/.
// ws, selfsigned and @roamhq/wrtc are optional peer dependencies: the entries that use them
// (platform bin, testing kit) load them through a shim that names the package to install.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { browserBundle } from './browser-bundle.mjs'
import { ensureInstalled } from './check-install.mjs'

const started = Date.now()
ensureInstalled()
// After the install check: on a fresh clone esbuild is not there yet.
const { build } = await import('esbuild')
const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
const bundled = new Set(['fp-ts'])
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]
  .filter((name) => !bundled.has(name))
  .flatMap((name) => [name, `${name}/*`])
const peers = Object.keys(pkg.peerDependencies ?? {})

/**
 * Loads each optional peer dependency through a small CommonJS shim, so that an entry used
 * without it fails with the package to install rather than Node's bare ERR_MODULE_NOT_FOUND.
 */
const optionalPeers = (entry) => ({
  name: 'optional-peers',
  setup(plugin) {
    const filter = new RegExp(`^(${peers.map((name) => name.replace(/[/@.]/g, '\\$&')).join('|')})$`)
    plugin.onResolve({ filter }, ({ path, namespace }) => (namespace === 'peer' ? { path, external: true } : { path, namespace: 'peer' }))
    plugin.onLoad({ filter: /.*/, namespace: 'peer' }, ({ path }) => {
      const hint = `${entry} needs ${path}, an optional peer dependency of kandy-rx: npm install ${path}@'${pkg.peerDependencies[path]}'`
      return {
        loader: 'js',
        contents: `try { module.exports = require(${JSON.stringify(path)}) } catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(${JSON.stringify(path)})) throw new Error(${JSON.stringify(hint)}, { cause: error })
  throw error
}`,
      }
    })
  },
})

for (const dir of ['dist/esm', 'dist/cjs']) rmSync(dir, { recursive: true, force: true })

const entries = { index: 'lib/index.ts', streams: 'streams/index.ts' }
const library = { bundle: true, platform: 'neutral', target: 'es2020', sourcemap: true, external, logLevel: 'warning', mainFields: ['module', 'main'] }
/** The TypeScript sources below `dir`, declarations left out. */
const sourcesIn = (dir) =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name))

/**
 * The ES modules: each source module of lib/ and streams/ compiled on its own to dist/esm/<its path>.js, its imports
 * left as they are, so that an app's bundler keeps only the modules the app reaches ("sideEffects": false) where one
 * bundled file would keep every top-level codec, subject and table of every feature. `fp-ts/Either` and
 * `fp-ts/function` point at their ES build, bundled once into dist/esm/vendor/fp-ts/.
 */
function moduleBuilds() {
  const vendored = { 'fp-ts/Either': 'vendor/fp-ts/Either.js', 'fp-ts/function': 'vendor/fp-ts/function.js' }
  const ownModulesOnly = {
    name: 'own-modules-only',
    setup(plugin) {
      plugin.onResolve({ filter: /.*/ }, ({ path, kind, importer }) => {
        if (kind === 'entry-point') return undefined
        const vendor = vendored[path]
        if (vendor === undefined) return { path, external: true }
        const fromDir = join('dist/esm', relative('.', dirname(importer)))
        return { path: relative(fromDir, join('dist/esm', vendor)).replace(/^(?!\.)/, './'), external: true }
      })
    },
  }
  const entryFile = (name, source) => writeFile(`dist/esm/${name}.js`, `export * from './${source.replace(/\.ts$/, '.js')}'\n`)
  return [
    build({ ...library, entryPoints: [...sourcesIn('lib'), ...sourcesIn('streams')], outbase: '.', outdir: 'dist/esm', format: 'esm', plugins: [ownModulesOnly] }).then(() =>
      Promise.all(Object.entries(entries).map(([name, source]) => entryFile(name, source))),
    ),
    build({
      entryPoints: Object.fromEntries(Object.entries(vendored).map(([path, out]) => [out.replace(/\.js$/, ''), path])),
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2020',
      mainFields: ['module', 'main'],
      outdir: 'dist/esm',
      chunkNames: 'vendor/fp-ts/[name]-[hash]',
      logLevel: 'warning',
    }),
  ]
}

// Node's ESM loader gives bundled CommonJS code no `require`; platform.js gets one back.
const nodeRequire = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"

const jobs = [
  ...moduleBuilds(),
  ...Object.entries(entries).map(([name, entry]) =>
    build({ ...library, entryPoints: [entry], format: 'cjs', outfile: `dist/cjs/${name}.cjs` }),
  ),
  build({ ...browserBundle, sourcemap: true, outfile: 'dist/kandy-rx.js', logLevel: 'warning' }),
]
// kandy-rx/testing: the kit (with the local platform and the bots it starts) for Node; it and
// its bots import the SDK through the package's own entries (./index.js, ./streams.js), so apps,
// kit and bots share one copy.
if (existsSync('testing/index.ts')) {
  const sdkIndex = { [join(process.cwd(), 'lib', 'index.js')]: 'index', [join(process.cwd(), 'streams', 'index.js')]: 'streams' }
  const sdkEntries = (extension) => ({
    name: 'sdk-entries',
    setup(plugin) {
      plugin.onResolve({ filter: /\/(lib|streams)\/index\.js$/ }, ({ path, resolveDir }) => {
        const entry = sdkIndex[join(resolveDir, path)]
        return entry === undefined ? undefined : { path: `./${entry}.${extension}`, external: true }
      })
    },
  })
  const testing = { entryPoints: ['testing/index.ts'], bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', external }
  jobs.push(
    build({ ...testing, format: 'esm', outfile: 'dist/esm/testing.js', plugins: [sdkEntries('js'), optionalPeers('kandy-rx/testing')], banner: { js: nodeRequire } }),
    build({ ...testing, format: 'cjs', outfile: 'dist/cjs/testing.cjs', plugins: [sdkEntries('cjs'), optionalPeers('kandy-rx/testing')] }),
  )
}
// The Angular sample (JIT: @angular/compiler is bundled; its own tsconfig turns on decorators),
// served by the platform at /samples/angular/; kandy-rx/streams comes from the source.
if (existsSync('samples/angular/main.ts')) {
  jobs.push(
    build({
      entryPoints: ['samples/angular/main.ts'],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      tsconfig: 'samples/angular/tsconfig.json',
      alias: { 'kandy-rx/streams': './streams/index.ts' },
      outdir: 'samples/angular/dist',
      minify: true,
      sourcemap: true,
      legalComments: 'none',
      logLevel: 'warning',
    }),
  )
}
if (existsSync('platform/main.ts')) {
  jobs.push(
    build({
      entryPoints: ['platform/main.ts'],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outfile: 'dist/platform.js',
      plugins: [optionalPeers('kandy-rx-platform')],
      banner: { js: `#!/usr/bin/env node\n${nodeRequire}` },
      sourcemap: true,
      logLevel: 'warning',
    }).then(() => chmodSync('dist/platform.js', 0o755)),
  )
}
// The local system of `npm start` (samples/local.ts): the platform, its bots (Node SDK clients
// on @roamhq/wrtc) and the samples' URLs.
if (existsSync('samples/local.ts')) {
  jobs.push(
    build({
      entryPoints: ['samples/local.ts'],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outfile: 'dist/local.js',
      external: ['ws', 'selfsigned', '@roamhq/wrtc'],
      banner: { js: nodeRequire },
      sourcemap: true,
      logLevel: 'warning',
    }),
  )
}
await Promise.all(jobs)

/**
 * Writes a `.d.cts` beside every `.d.ts`, its relative imports pointing at `.cjs`: what
 * TypeScript reads for `require('kandy-rx')` (the `.d.ts` files are ES modules under "type": "module").
 */
function writeCommonJsDeclarations(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) writeCommonJsDeclarations(path)
    else if (entry.name.endsWith('.d.ts')) {
      const text = readFileSync(path, 'utf8').replace(/((?:from|import\()\s*['"]\.{1,2}\/[^'"]*)\.js(['"])/g, '$1.cjs$2')
      writeFileSync(path.replace(/\.d\.ts$/, '.d.cts'), text)
    }
  }
}

let failed = false
if (process.env.BUILD_TYPES !== '0') {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
  failed = tsc.status !== 0
  if (failed) console.error('build: type declarations failed (see the errors above)')
  else writeCommonJsDeclarations('dist/types')
}
console.log(`build: dist/ written in ${Date.now() - started} ms${process.env.BUILD_TYPES === '0' ? ' (declarations skipped)' : ''}`)
process.exit(failed ? 1 : 0)
