// Steps the conformance scenarios share: opening the users' pages a script runs in.
import type { ConformancePage, OpenOptions, Scenario } from './harness.js'

/** A scenario script for Alice alone: opens her page with `options`, then runs `script` in it. */
export const asAlice =
  (options: OpenOptions, script: (alice: ConformancePage) => Promise<void>): Scenario['run'] =>
  async ({ open }) =>
    script(await open('alice@example.com', options))

/** A scenario script for Alice and Bob: opens her page, then his, both with `options`, then runs `script`. */
export const asAliceAndBob =
  (options: OpenOptions, script: (alice: ConformancePage, bob: ConformancePage) => Promise<void>): Scenario['run'] =>
  async ({ open }) => {
    const alice = await open('alice@example.com', options)
    const bob = await open('bob@example.com', options)
    await script(alice, bob)
  }
