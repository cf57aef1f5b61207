// Prints the size of what a browser downloads, raw and gzipped (zlib level 9): the IIFE bundle,
// the ES modules (one file per source module, dependencies external), the ESM entry as an app's bundler would
// ship it (dependencies included, tree-shaken, minified), and a chat + presence app built on
// `kandy-rx/streams` (bench/size/chat-presence.ts) as its bundler ships it. The reference SDK's
// bundle is 172 KB min+gzip.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { appGzipBytes } from './size/measure.js'

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`

const report = (label: string, content: Uint8Array): void => {
  const gzip = gzipSync(content, { level: 9 }).length
  console.log(`${label.padEnd(52)} raw ${kb(content.length).padStart(9)}   gzip ${kb(gzip).padStart(8)}`)
}

const modules = readdirSync('dist/esm', { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.js') && entry.name !== 'testing.js')
  .map((entry) => join(entry.parentPath, entry.name))

report('dist/kandy-rx.js (IIFE, minified)', readFileSync('dist/kandy-rx.js'))
report(`dist/esm: ${modules.length} modules (deps external)`, Buffer.concat(modules.map((file) => readFileSync(file))))

const app = await build({
  stdin: { contents: "export { create, sdpHandlers } from './dist/esm/index.js'", resolveDir: process.cwd(), loader: 'js' },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  write: false,
  logLevel: 'error',
})
report('dist/esm/index.js bundled by an app (deps, minified)', app.outputFiles[0]!.contents)

const chatPresence = await appGzipBytes('bench/size/chat-presence.ts')
console.log(`${'bench/size/chat-presence.ts bundled by an app (tree-shaken)'.padEnd(52)}${''.padStart(14)}   gzip ${kb(chatPresence).padStart(8)}`)
