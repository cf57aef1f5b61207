import { expect } from 'chai'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// A plain .mjs script (it runs before dependencies exist), so typed here.
const { missingPackages } = (await import(`${'../../check-install.mjs'}`)) as { missingPackages: (root: string) => string[] }

/** A checkout with this lockfile and these installed packages (name → version). */
function checkout(locked: Record<string, { version: string; optional?: boolean }>, installed: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kandy-install-'))
  const packages = Object.fromEntries(Object.entries(locked).map(([name, entry]) => [`node_modules/${name}`, entry]))
  writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'app' }, ...packages } }))
  for (const [name, version] of Object.entries(installed)) {
    mkdirSync(join(root, 'node_modules', name), { recursive: true })
    writeFileSync(join(root, 'node_modules', name, 'package.json'), JSON.stringify({ name, version }))
  }
  return root
}

// What decides that `npm start` / `npm test` run `npm ci` first (check-install.mjs).
describe('install check before npm start and npm test', () => {
  const roots: string[] = []
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })))
  const made = (root: string): string => (roots.push(root), root)

  it('finds nothing to do when node_modules holds every locked version (optional packages of other platforms aside)', () => {
    const root = made(checkout({ rxjs: { version: '7.8.2' }, '@esbuild/darwin-arm64': { version: '0.28.2', optional: true } }, { rxjs: '7.8.2' }))
    expect(missingPackages(root)).to.deep.equal([])
  })

  it('names the packages a fresh clone lacks, and those installed at another version', () => {
    const root = made(checkout({ rxjs: { version: '7.8.2' }, '@types/node': { version: '20.19.43' }, tslib: { version: '2.9.1' } }, { tslib: '2.8.0' }))
    expect(missingPackages(root)).to.deep.equal(['rxjs', '@types/node', 'tslib'])
  })
})
