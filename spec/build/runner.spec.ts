import { expect } from 'chai'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const sample = 'spec/build/fixtures/runner-sample.ts'
// The nested run stays in this process's network namespace.
const env: NodeJS.ProcessEnv = { ...process.env, KANDY_NO_NETNS: '1', NODE_OPTIONS: '' }

/** Runs spec/run.mjs; `onLine` sees each line of its output as it arrives. */
function runner(args: string[], onLine: (line: string) => void = () => undefined): Promise<{ status: number | null; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['spec/run.mjs', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    const lines: string[] = []
    let partial = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n')
      partial = parts.pop() ?? ''
      // Mocha colours its output where it thinks a CI shows colours (CI=true): compare plain text.
      for (const line of parts.map((part) => part.replace(/\x1b\[[0-9;]*m/g, ''))) {
        lines.push(line)
        onLine(line)
      }
    })
    child.on('close', (status) => resolve({ status, lines: partial === '' ? lines : [...lines, partial] }))
  })
}

// spec/run.mjs, what `npm test` runs: help, selection, streaming and the summary line CI reads.
describe('spec runner (spec/run.mjs)', function () {
  this.timeout(120000)
  const folder = mkdtempSync(join(tmpdir(), 'kandy-runner-'))
  after(() => rmSync(folder, { recursive: true, force: true }))

  it('prints its help and exits 0 without building', () => {
    const help = spawnSync(process.execPath, ['spec/run.mjs', '--help'], { env, encoding: 'utf8' })
    expect(help.status).to.equal(0)
    expect(help.stdout).to.include('Usage: npm test -- [options]')
    expect(help.stdout).to.include('--no-build')
    expect(help.stdout).not.to.include('build: dist/ written')
  })

  it('refuses an unknown option with exit code 2 and the usage', () => {
    const wrong = spawnSync(process.execPath, ['spec/run.mjs', '--frobnicate'], { env, encoding: 'utf8' })
    expect(wrong.status).to.equal(2)
    expect(wrong.stderr).to.include('unknown option --frobnicate')
  })

  it('streams each result as it happens, and ends with "N passed, N failed" and a failing exit code', async () => {
    const signal = join(folder, 'first-line-seen')
    env.RUNNER_SIGNAL = signal
    // The second test waits for this file: it only passes if the first line reached us while mocha still ran.
    const { status, lines } = await runner(['--no-build', sample], (line) => {
      if (line.includes('✔ passes first')) writeFileSync(signal, '')
    })
    expect(lines.some((line) => line.includes('✔ passes once the reader of the output has seen the first line'))).to.equal(true)
    expect(lines.at(-1)).to.equal('2 passed, 1 failed')
    expect(status).to.equal(1)
  })

  it('runs only the tests --grep selects, with or without files', async () => {
    const withFile = await runner(['--no-build', '--grep', 'passes first', sample])
    expect(withFile.lines.at(-1)).to.equal('1 passed, 0 failed')
    expect(withFile.status).to.equal(0)
    const withoutFile = await runner(['--no-build', '-g', 'refuses an unknown option with exit code 2'])
    expect(withoutFile.lines.at(-1)).to.equal('1 passed, 0 failed')
    expect(withoutFile.status).to.equal(0)
  })
})
