import { expect } from 'chai'
import { resolve } from 'node:path'
import ts from 'typescript'
import { unexportedTypes } from './reachable.js'

// Public types are exported: every named type that the exports of `kandy-rx` and `kandy-rx/streams` reach (a namespace's
// argument, a call object, a feature's state, events and commands) can be imported by name from that entry; those that
// `kandy-rx/testing` reaches, from it or from the SDK's entries.

const entries = ['lib/index.ts', 'streams/index.ts', 'testing/index.ts', 'spec/types/fixtures/entry.ts']

describe('the public types of the entries', function () {
  this.timeout(60000)
  let program: ts.Program
  before(() => {
    const config = ts.getParsedCommandLineOfConfigFile('tsconfig.json', {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })
    if (config === undefined) throw new Error('tsconfig.json could not be read')
    program = ts.createProgram(entries.map((entry) => resolve(entry)), config.options)
  })

  it('finds, in an entry that hides them, the types reached through return values, their properties and parameters, and not those behind private members', () => {
    const names = unexportedTypes(program, 'spec/types/fixtures/entry.ts').map(({ name, via }) => `${name} via ${via}`)
    expect(names).to.deep.equal(['Argument via make(argument)', 'Nested via make().inner', 'Returned via make()'])
  })

  const cases: [name: string, entry: string, alongside: string[]][] = [
    ['kandy-rx', 'lib/index.ts', []],
    ['kandy-rx/streams', 'streams/index.ts', []],
    ['kandy-rx/testing', 'testing/index.ts', ['lib/index.ts', 'streams/index.ts']],
  ]
  for (const [name, entry, alongside] of cases) {
    it(`${name} exports every named type its exports reach${alongside.length > 0 ? ', or the SDK exports it' : ''}`, () => {
      const missing = unexportedTypes(program, entry, alongside).map(({ name: type, file, via }) => `${type} (${file}), reached by ${via}`)
      expect(missing, missing.join('\n')).to.deep.equal([])
    })
  }
})
