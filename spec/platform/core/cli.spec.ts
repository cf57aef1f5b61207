import { expect } from 'chai'
import { spawn } from 'node:child_process'
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

  it('starts, logs one line with the URL first, prints the users and how to log in, and serves tokens', async function () {
    this.timeout(20000)
    const child = spawn(process.execPath, ['--import', 'tsx', 'platform/main.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      let output = ''
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString()
          const match = /^kandy-rx platform listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output)
          if (match && output.includes('curl')) resolve(match[1]!)
        })
        child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)))
      })
      expect(output.split('\n')[0]).to.match(/^kandy-rx platform listening on http:\/\/127\.0\.0\.1:\d+$/)
      for (const user of ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com']) expect(output).to.contain(`${user} (password)`)
      const response = await fetch(`${url}/cpaas/auth/v1/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=password&client_id=cli&username=bob@example.com&password=password&scope=openid',
      })
      expect(response.status).to.equal(200)
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  })
})
