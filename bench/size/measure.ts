// Bundle sizes as a browser downloads them: minified, gzip level 9, and where the bytes of
// dist/kandy-rx.js go (an esbuild metafile of the same IIFE build as build.mjs).
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { build, transform } from 'esbuild'
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

/** An app entry as its bundler would ship it: bundled, tree-shaken, minified; gzip bytes. */
export async function appGzipBytes(entry: string): Promise<number> {
  const app = await build({ entryPoints: [entry], bundle: true, minify: true, treeShaking: true, format: 'esm', platform: 'browser', target: 'es2020', write: false, logLevel: 'error', legalComments: 'none' })
  return gzipBytes(app.outputFiles[0]!.contents)
}

/** A script minified as it is shipped (the original SDK's dist file is not minified); gzip bytes. */
export async function minifiedGzipBytes(file: string): Promise<number> {
  const minified = await transform(readFileSync(file, 'utf8'), { minify: true, legalComments: 'none', logLevel: 'error' })
  return gzipBytes(minified.code)
}
