// Mocha hooks for an integration spec file: records every unhandled promise rejection and every
// uncaught exception while the file's tests run, and fails after them if there was any.
import { expect } from 'chai'

/** Installs the guard for the enclosing `describe`. */
export function noUnhandledErrors(): void {
  const seen: unknown[] = []
  const record = (error: unknown): void => {
    seen.push(error)
  }
  before(() => {
    process.on('unhandledRejection', record)
    process.on('uncaughtExceptionMonitor', record)
  })
  after(() => {
    process.off('unhandledRejection', record)
    process.off('uncaughtExceptionMonitor', record)
  })
  afterEach(async () => {
    // Rejections are reported after the microtask queue drains: give them a turn.
    await new Promise((resolve) => setImmediate(resolve))
    expect(seen.map((error) => (error instanceof Error ? error.stack : String(error)))).to.deep.equal([])
  })
}
