import { expect } from 'chai'
import { isEnabled, levels, normaliseLevel } from '../../../streams/logs/levels.js'

describe('log levels', () => {
  it('exposes the documented levels as valid logLevel values', () => {
    expect(levels).to.deep.equal({ SILENT: 'silent', ERROR: 'error', WARN: 'warn', INFO: 'info', DEBUG: 'debug' })
  })

  it('reads a level in any case and falls back to debug for unknown values', () => {
    expect(normaliseLevel('INFO')).to.equal('info')
    expect(normaliseLevel('Silent')).to.equal('silent')
    expect(normaliseLevel('verbose')).to.equal('debug')
    expect(normaliseLevel(undefined)).to.equal('debug')
    // Own levels only: a name of Object.prototype's is unknown too, not a level whose rank is a function.
    for (const name of ['constructor', 'toString', '__proto__']) expect(normaliseLevel(name)).to.equal('debug')
    expect(isEnabled('debug', 'constructor')).to.equal(true)
  })

  it('enables a line at or above the configured level', () => {
    expect(isEnabled('error', 'warn')).to.equal(true)
    expect(isEnabled('warn', 'warn')).to.equal(true)
    expect(isEnabled('info', 'warn')).to.equal(false)
    expect(isEnabled('error', 'silent')).to.equal(false)
  })
})
