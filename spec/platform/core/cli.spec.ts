import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArguments } from '../../../platform/cli.js'

describe('platform core: command line', () => {
  it('parses --port, --host, --users, --data, --tls, --verbose and PORT / TLS from the environment', () => {
    const { options } = parseArguments(['--port', '9000', '--host', '127.0.0.2', '--users', 'u.json', '--data', '/tmp/d', '--tls', '--verbose'], {})
    expect(options).to.include({ port: 9000, host: '127.0.0.2', users: 'u.json', dataDir: '/tmp/d', tls: true, logRequests: true })
    expect(parseArguments([], { PORT: '7001' }).options.port).to.equal(7001)
    expect(parseArguments([], {}).options.port).to.equal(8080)
    expect(parseArguments([], { TLS: '1' }).options.tls).to.equal(true)
    expect(parseArguments(['--no-admin'], {}).options.admin).to.equal(false)
    expect(parseArguments(['--admin-secret', 's3'], {}).options.adminSecret).to.equal('s3')
    expect(parseArguments(['--help'], {}).help).to.equal(true)
  })

  it('refuses unknown options, missing values, bad ports and --cert without --key', () => {
    for (const argv of [['--nope'], ['--port'], ['--admin-secret'], ['--port', 'abc'], ['--port', '70000'], ['--cert', 'c.pem']]) {
      expect(() => parseArguments(argv, {}), argv.join(' ')).to.throw()
    }
  })

  /** Runs platform/main.ts until its start-up text is complete; returns the child, its output and URL. */
  async function started(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'platform/main.ts', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
    let output = ''
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        const match = /^kandy-rx platform listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output)
        if (match && output.includes('SDK configuration')) resolve(match[1]!)
      })
      child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)))
    })
    const stop = async (): Promise<void> => {
      const exited = new Promise((resolve) => child.on('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    return { output, url, stop }
  }

  it('starts, logs one line with the URL first, prints the users (no password, where to find them), the admin secret once and how to log in', async function () {
    this.timeout(20000)
    const platform = await started([])
    try {
      const { output, url } = platform
      expect(output.split('\n')[0]).to.match(/^kandy-rx platform listening on http:\/\/127\.0\.0\.1:\d+$/)
      for (const user of ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com']) expect(output).to.match(new RegExp(`${user} +[A-Z]`))
      expect(output).to.include('passwords: see platform/users.json')
      expect(output).to.not.match(/\(password\)|password=password\b/)
      expect(output).to.include('curl -X POST').and.include('password=YOUR_PASSWORD')
      const secret = /Authorization: Bearer ([\w-]{43})/.exec(output)?.[1]
      expect(output.split(secret!).length - 1, 'the secret is printed once').to.equal(1)
      expect((await fetch(`${url}/_admin/state`, { headers: { Authorization: `Bearer ${secret}` } })).status).to.equal(200)
      const response = await fetch(`${url}/cpaas/auth/v1/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=password&client_id=cli&username=bob@example.com&password=password&scope=openid',
      })
      expect(response.status).to.equal(200)
    } finally {
      await platform.stop()
    }
  })

  it('never prints the passwords of a --users file, nor an admin secret the operator chose', async function () {
    this.timeout(20000)
    const folder = mkdtempSync(join(tmpdir(), 'kandy-cli-'))
    const file = join(folder, 'people.json')
    writeFileSync(file, JSON.stringify([{ userId: 'ann@example.com', password: 'Tr0ub4dor&3-ann', firstName: 'Ann', lastName: 'Able', email: 'ann@example.com', phoneNumber: '+15559990001' }]))
    const platform = await started(['--users', file], { KANDY_ADMIN_SECRET: 'chosen-admin-secret-value' })
    try {
      expect(platform.output).to.include(`passwords: see ${file}`).and.include('ann@example.com  Ann Able  +15559990001')
      expect(platform.output).to.not.include('Tr0ub4dor').and.not.include('chosen-admin-secret-value')
      expect(platform.output).to.include('with the secret from --admin-secret / KANDY_ADMIN_SECRET')
      expect((await fetch(`${platform.url}/_admin/state`, { headers: { 'X-Admin-Secret': 'chosen-admin-secret-value' } })).status).to.equal(200)
    } finally {
      await platform.stop()
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
