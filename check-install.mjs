// `npm start` and `npm test` right after `git clone`: when node_modules is missing or does not
// hold what package-lock.json pins, they run `npm ci` first and say so.
import { spawnSync } from 'node:child_process'
import { existsSync, lstatSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The locked packages node_modules lacks or holds at another version (optional ones, e.g. other platforms' binaries, aside). */
export function missingPackages(root = process.cwd()) {
  const { packages } = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'))
  return Object.entries(packages)
    .filter(([path, entry]) => path !== '' && !entry.optional && !entry.devOptional && !entry.link)
    .filter(([path, entry]) => {
      const manifest = join(root, path, 'package.json')
      return !existsSync(manifest) || JSON.parse(readFileSync(manifest, 'utf8')).version !== entry.version
    })
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
}

/** Runs `npm ci` when node_modules does not match the lockfile (never through a linked node_modules, which belongs to another checkout). */
export function ensureInstalled(root = process.cwd()) {
  const missing = missingPackages(root)
  if (missing.length === 0) return
  const modules = join(root, 'node_modules')
  const summary = `${missing.length} locked package(s) missing or at another version, e.g. ${missing.slice(0, 3).join(', ')}`
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    console.warn(`node_modules is a link to another checkout's install and ${summary}: not reinstalling it (run npm ci there)`)
    return
  }
  console.log(`node_modules is ${existsSync(modules) ? 'out of date' : 'missing'} (${summary}): running npm ci first`)
  const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' })
  if (ci.status !== 0) process.exit(ci.status ?? 1)
}
