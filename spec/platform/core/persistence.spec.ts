import { expect } from 'chai'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PlatformFeature, Persisted } from '../../../platform/context.js'
import { seededAccounts } from '../../../platform/index.js'
import { startTestPlatform, type TestPlatform } from '../../helpers/platform.js'

interface Notes {
  items: string[]
}
let notes: Persisted<Notes> | undefined
let installs = 0
/** A feature module keeping its state with ctx.persisted, as conversations and groups do. */
const notesFeature: PlatformFeature = (ctx) => {
  installs += 1
  notes = ctx.persisted('notes', () => ({ items: [] }))
}

describe('platform core: persisted state (--data)', () => {
  let dir: string
  let platform: TestPlatform | undefined
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kandy-platform-'))
  })
  afterEach(async () => {
    await platform?.stop()
    platform = undefined
    rmSync(dir, { recursive: true, force: true })
  })
  const start = async (options: Parameters<typeof startTestPlatform>[0] = {}) => {
    platform = await startTestPlatform({ dataDir: dir, features: [notesFeature], ...options })
    return platform
  }

  it('writes <dir>/<name>.json on save, with no temporary file left', async () => {
    await start()
    notes!.value.items.push('one')
    notes!.save()
    expect(JSON.parse(readFileSync(join(dir, 'notes.json'), 'utf8'))).to.deep.equal({ items: ['one'] })
    for (let i = 0; i < 50; i++) {
      notes!.value.items.push(`n${i}`)
      notes!.save()
      expect(JSON.parse(readFileSync(join(dir, 'notes.json'), 'utf8')).items).to.have.length(i + 2)
    }
    expect(readdirSync(dir).filter((file) => file.endsWith('.tmp'))).to.deep.equal([])
  })

  it('loads saved state in a new platform on the same directory, and keeps its tokens valid', async () => {
    const first = await start()
    const alice = await first.login('alice@example.com')
    notes!.value.items.push('kept')
    notes!.save()
    await first.stop()
    const second = await start()
    expect(notes!.value.items).to.deep.equal(['kept'])
    const response = await second.fetchAs(alice, 'GET', '/cpaas/notificationchannel/v1/alice@example.com/channels')
    expect(response.status).to.equal(200)
  })

  it('restart({ fresh: true }) rebuilds the modules from the saved files (unsaved changes are gone, as after a crash)', async () => {
    const running = await start()
    const before = installs
    notes!.value.items.push('saved')
    notes!.save()
    notes!.value.items.push('not saved')
    const port = running.port
    await running.restart({ fresh: true })
    expect(installs).to.equal(before + 1)
    expect(running.port).to.equal(port)
    expect(notes!.value.items).to.deep.equal(['saved'])
  })

  it('an in-process restart keeps in-memory state as it is', async () => {
    const running = await start()
    notes!.value.items.push('in memory')
    const kept = notes
    await running.restart()
    expect(notes).to.equal(kept)
    expect(notes!.value.items).to.deep.equal(['in memory'])
  })

  it('ignores and removes a leftover temporary file (a crash between write and rename)', async () => {
    writeFileSync(join(dir, 'notes.json'), JSON.stringify({ items: ['intact'] }))
    writeFileSync(join(dir, '.notes.json.4242.1.tmp'), '{"items": ["half writ')
    const running = await start()
    expect(notes!.value.items).to.deep.equal(['intact'])
    expect(readdirSync(dir).filter((file) => file.endsWith('.tmp'))).to.deep.equal([])
    expect(running.logs.some((line) => line.includes('.notes.json.4242.1.tmp'))).to.equal(true)
  })

  it('moves a corrupt file aside and starts from the initial value, with a log line', async () => {
    writeFileSync(join(dir, 'notes.json'), '{"items": [')
    const running = await start()
    expect(notes!.value.items).to.deep.equal([])
    expect(readdirSync(dir).some((file) => file.startsWith('notes.json.corrupt-'))).to.equal(true)
    expect(running.logs.some((line) => line.includes('notes.json is not valid JSON'))).to.equal(true)
  })

  it('refuses a validly signed token of a user who no longer exists (401 unknown user)', async () => {
    const eve = { ...seededAccounts[0]!, userId: 'eve@example.com', identity: 'eve@example.com', email: 'eve@example.com', phoneNumber: '+15551239999' }
    const first = await start({ users: [...seededAccounts, eve] })
    const tokens = await first.login('eve@example.com')
    await first.stop()
    const second = await start()
    const response = await second.fetchAs(tokens, 'GET', '/cpaas/notificationchannel/v1/eve@example.com/channels')
    expect(response.status).to.equal(401)
    expect(JSON.stringify(await response.json())).to.contain('unknown user')
  })

  it('replaces the seeded users with a --users file', async () => {
    const file = join(dir, 'users.json')
    writeFileSync(file, JSON.stringify([{ userId: 'zed@test.local', password: 'secret', firstName: 'Zed', lastName: 'Z', email: 'zed@test.local', phoneNumber: '+15550000000' }]))
    const running = await start({ users: file })
    expect(running.users.map((user) => user.userId)).to.deep.equal(['zed@test.local'])
    const zed = await running.login('zed@test.local', 'secret')
    expect(zed.identity).to.equal('zed@test.local')
    let refused = false
    await running.login('bob@example.com').catch(() => (refused = true))
    expect(refused).to.equal(true)
  })

  it('refuses a users file with a bad entry, naming it', async () => {
    const file = join(dir, 'users.json')
    writeFileSync(file, JSON.stringify([{ userId: 'x' }]))
    let message = ''
    await start({ users: file }).catch((error: Error) => (message = error.message))
    expect(message).to.contain('user #0')
  })
})
