// Bundle sizes as a browser downloads them: minified, gzip level 9, and where the bytes of
// dist/kandy-rx.js go (an esbuild metafile of the same IIFE build as build.mjs).
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build, transform, type Plugin } from 'esbuild'
import { browserBundle } from '../../browser-bundle.mjs'

export const gzipBytes = (content: Uint8Array | string): number => gzipSync(content, { level: 9 }).length

/** Minified bytes per module group (`streams/call`, `rxjs`, …), largest first. */
export async function moduleBreakdown(): Promise<Array<{ readonly module: string; readonly bytes: number }>> {
  const result = await build({ ...browserBundle, metafile: true, write: false, logLevel: 'error' })
  const output = Object.values(result.metafile.outputs)[0]!
  const groups = new Map<string, number>()
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) groups.set(groupOf(path), (groups.get(groupOf(path)) ?? 0) + bytesInOutput)
  return [...groups].map(([module, bytes]) => ({ module, bytes })).sort((a, b) => b.bytes - a.bytes)
}

/** `node_modules/<package>` (scoped too), else the first two folders of our own sources. */
function groupOf(path: string): string {
  const packaged = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  if (packaged) return packaged[1]!
  const [top, second] = path.split('/')
  return second !== undefined && !second.endsWith('.ts') ? `${top}/${second}` : (top ?? path)
}

/**
 * An app's imports of the SDK's entries (`lib/index.js`, `streams/index.js`, as the sample apps write them) resolved to
 * the built package's ES modules (`dist/esm/index.js`, `dist/esm/streams.js`), as they resolve for an app that installed it.
 */
const fromPackage: Plugin = {
  name: 'from-package',
  setup(plugin) {
    const built = new Map([
      [resolve('lib/index.js'), resolve('dist/esm/index.js')],
      [resolve('streams/index.js'), resolve('dist/esm/streams.js')],
    ])
    plugin.onResolve({ filter: /\/(lib|streams)\/index\.js$/ }, ({ path, resolveDir }) => {
      const entry = built.get(resolve(resolveDir, path))
      return entry === undefined ? undefined : { path: entry }
    })
  },
}

/** An app entry as its bundler would ship it with the built package installed: bundled, tree-shaken, minified; gzip bytes, and the files it kept. */
export async function appBundle(entry: string): Promise<{ readonly gzipBytes: number; readonly inputs: readonly string[] }> {
  const app = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'error',
    legalComments: 'none',
    metafile: true,
    plugins: [fromPackage],
  })
  const output = Object.values(app.metafile.outputs)[0]!
  return { gzipBytes: gzipBytes(app.outputFiles[0]!.contents), inputs: Object.keys(output.inputs).filter((path) => output.inputs[path]!.bytesInOutput > 0) }
}

/** `appBundle`'s gzip bytes. */
export const appGzipBytes = async (entry: string): Promise<number> => (await appBundle(entry)).gzipBytes

/** A script minified as it is shipped (the original SDK's dist file is not minified); gzip bytes. */
export async function minifiedGzipBytes(file: string): Promise<number> {
  const minified = await transform(readFileSync(file, 'utf8'), { minify: true, legalComments: 'none', logLevel: 'error' })
  return gzipBytes(minified.code)
}
