import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// What npm users get: the tarball `npm pack` makes of the built package (spec/run.mjs builds
// dist/ first), and an app that installs it.

/** The packed package: its tarball and the files in it. */
export interface Packed {
  readonly tarball: string
  readonly files: readonly { readonly path: string; readonly size: number }[]
  readonly size: number
  readonly unpackedSize: number
}

interface LockEntry {
  readonly version?: string
  readonly dependencies?: Record<string, string>
  readonly peerDependencies?: Record<string, string>
  readonly peerDependenciesMeta?: Record<string, { readonly optional?: boolean }>
  readonly optionalDependencies?: Record<string, string>
  readonly dev?: boolean
  readonly [field: string]: unknown
}

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] })

let packed: Packed | undefined

/** Packs the package once per run, into a temporary folder. */
export function pack(): Packed {
  if (packed !== undefined) return packed
  const into = mkdtempSync(join(tmpdir(), 'kandy-pack-'))
  const [result] = JSON.parse(npm(['pack', '--json', '--pack-destination', into], process.cwd())) as {
    filename: string
    files: { path: string; size: number }[]
    size: number
    unpackedSize: number
  }[]
  packed = { tarball: join(into, result!.filename), files: result!.files, size: result!.size, unpackedSize: result!.unpackedSize }
  return packed
}

/**
 * The lockfile entries an app installing `kandy-rx` needs: the package's `dependencies` and what
 * they depend on, as this repository's lockfile pins them (so the install needs no registry
 * metadata, as `npm ci` does not). Optional peers are left out, as npm leaves them out.
 */
function closureOf(dependencies: Record<string, string>): Record<string, LockEntry> {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> }
  const entries: Record<string, LockEntry> = {}
  // Node's lookup: the dependent's own node_modules, then each folder up to the top.
  const lookup = (name: string, from: string): string | undefined => {
    for (let base = from; ; base = base.includes('/node_modules/') ? base.slice(0, base.lastIndexOf('/node_modules/')) : '') {
      const key = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`
      if (lock.packages[key] !== undefined) return key
      if (base === '') return undefined
    }
  }
  const visit = (name: string, from: string): void => {
    const key = lookup(name, from)
    if (key === undefined) throw new Error(`package-lock.json has no entry for ${name} (needed by ${from || 'kandy-rx'})`)
    if (entries[key] !== undefined) return
    const { dev: _dev, devOptional: _devOptional, ...entry } = lock.packages[key]!
    entries[key] = entry
    const required = { ...entry.dependencies, ...Object.fromEntries(Object.entries(entry.peerDependencies ?? {}).filter(([peer]) => entry.peerDependenciesMeta?.[peer]?.optional !== true)) }
    for (const dependency of Object.keys(required)) visit(dependency, key)
  }
  for (const name of Object.keys(dependencies)) visit(name, '')
  return entries
}

/**
 * An app (its own package.json and lockfile) that depends on the packed tarball, installed with
 * `npm ci --offline` from npm's cache: what a browser app's `npm install kandy-rx` puts on disk.
 */
export function installConsumer(): string {
  const { tarball } = pack()
  const app = mkdtempSync(join(tmpdir(), 'kandy-consumer-'))
  mkdirSync(app, { recursive: true })
  const manifest = JSON.parse(execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' })) as LockEntry & { name: string; version: string }
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`
  const from = `file:${tarball}`
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'browser-app', version: '1.0.0', private: true, dependencies: { 'kandy-rx': from } }, null, 2))
  const { name, version, dependencies = {}, peerDependencies, peerDependenciesMeta, engines, bin, license } = manifest
  const lock = {
    name: 'browser-app',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'browser-app', version: '1.0.0', dependencies: { 'kandy-rx': from } },
      'node_modules/kandy-rx': { name, version, resolved: from, integrity, license, dependencies, peerDependencies, peerDependenciesMeta, engines, bin },
      ...closureOf(dependencies),
    },
  }
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify(lock, null, 2))
  npm(['ci', '--offline', '--ignore-scripts'], app)
  return app
}
