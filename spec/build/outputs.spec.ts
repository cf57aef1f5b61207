import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'

// spec/run.mjs builds dist/ before mocha; these specs check what the build wrote.
type Target = string | { readonly [condition: string]: Target }
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, Target>; bin: Record<string, string> }

/** Every file path of an exports entry, with the conditions that lead to it. */
const pathsOf = (target: Target, conditions: string[] = []): [string, string][] =>
  typeof target === 'string' ? [[conditions.join('.') || 'default', target]] : Object.entries(target).flatMap(([condition, next]) => pathsOf(next, [...conditions, condition]))

/** Runs a script with plain Node (no tsx), so that Node's own ESM / CommonJS rules apply. */
const plainNode = (args: string[]): string => execFileSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })

describe('build outputs', () => {
  it('writes every path of the package.json exports map', () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      for (const [condition, path] of pathsOf(target)) expect(existsSync(path), `${entry} ${condition}: ${path}`).to.equal(true)
    }
  })

  it("import('kandy-rx') and 'kandy-rx/streams' give create, sdpHandlers and createStreams (ESM)", async () => {
    const sdk = (await import('kandy-rx')) as typeof import('../../lib/index.js')
    const streams = (await import('kandy-rx/streams')) as typeof import('../../streams/index.js')
    expect(sdk.create).to.be.a('function')
    expect(sdk.sdpHandlers.createCodecRemover).to.be.a('function')
    expect(streams.createStreams).to.be.a('function')
    const client = sdk.create()
    expect(client.getConfig().logs.logLevel).to.equal('debug')
    client.dispose()
  })

  it("require('kandy-rx') and 'kandy-rx/streams' give create, sdpHandlers and createStreams (CommonJS)", () => {
    const require = createRequire(import.meta.url)
    const sdk = require('kandy-rx') as typeof import('../../lib/index.js')
    const streams = require('kandy-rx/streams') as typeof import('../../streams/index.js')
    expect(require.resolve('kandy-rx')).to.match(/dist\/cjs\/index\.cjs$/)
    expect(sdk.create).to.be.a('function')
    expect(sdk.sdpHandlers.createCodecRemover).to.be.a('function')
    expect(streams.createStreams).to.be.a('function')
    sdk.create().dispose()
  })

  it('loads in plain Node, ESM and CommonJS, without touching window at import or create', () => {
    const trap = "Object.defineProperty(globalThis, 'window', { get() { throw new Error('window touched') } });"
    const esm = plainNode([
      '--input-type=module',
      '-e',
      `${trap} const { create, sdpHandlers } = await import('kandy-rx'); const { createStreams } = await import('kandy-rx/streams');` +
        ` const client = create(); client.dispose(); createStreams().dispose(); console.log(typeof create, typeof sdpHandlers.createCodecRemover)`,
    ])
    expect(esm.trim()).to.equal('function function')
    const cjs = plainNode(['-e', `${trap} const { create, sdpHandlers } = require('kandy-rx'); create().dispose(); console.log(typeof create, typeof sdpHandlers)`])
    expect(cjs.trim()).to.equal('function object')
  })

  it('writes one self-contained IIFE defining the global Kandy', () => {
    const iife = readFileSync('dist/kandy-rx.js', 'utf8')
    expect(iife).to.match(/^"use strict";var Kandy=\(\(\)=>/)
    expect(iife).not.to.match(/\brequire\(|\bimport\s*[{(*"']/)
  })

  it('writes type declarations for lib and streams, as ES modules (.d.ts) and CommonJS (.d.cts)', () => {
    const types = readFileSync('dist/types/lib/index.d.ts', 'utf8')
    expect(types).to.include('export declare function create(')
    expect(readFileSync('dist/types/streams/index.d.ts', 'utf8')).to.include('export declare function createStreams(')
    const commonJs = readFileSync('dist/types/lib/index.d.cts', 'utf8')
    expect(commonJs).to.include('export declare function create(')
    expect(commonJs).to.include("from './events.cjs'")
    expect(commonJs).not.to.match(/from '\.{1,2}\/[^']*\.js'/)
  })

  it('writes dist/platform.js as an executable node script that runs', () => {
    const path = pkg.bin['kandy-rx-platform']!
    expect(readFileSync(path, 'utf8').startsWith('#!/usr/bin/env node\n')).to.equal(true)
    expect(statSync(path).mode & 0o111).to.not.equal(0)
    expect(plainNode([path, '--help'])).to.include('Usage:')
  })
})
