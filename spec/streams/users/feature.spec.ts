import { expect } from 'chai'
import { of } from 'rxjs'
import { createConfig } from '../../../streams/config/feature.js'
import { createEnvironment } from '../../../streams/environment.js'
import { createLogs } from '../../../streams/logs/feature.js'
import { createUsers, type UsersFeature } from '../../../streams/users/feature.js'
import type { SearchFilters, UserEvent } from '../../../streams/users/state.js'
import { recordedFeature, streamsCompletedByDispose } from '../features.js'
import { captureConsole } from '../logs/capture.js'
import { answering, quietCore, recordingLink, type RecordingLink } from '../presence/link.js'

/** A directory item with these attributes. */
const item = (attributes: Record<string, string>) => ({ attribute: Object.entries(attributes).map(([name, value]) => ({ name, value })) })

describe('users feature: arguments and queries', () => {
  let link: RecordingLink, users: UsersFeature, events: UserEvent[]
  beforeEach(() => {
    ;({ link, feature: users, events } = recordedFeature((link) => createUsers({ logs: quietCore().logs, link })))
  })
  afterEach(() => users.dispose())

  it('fetches a user by its full id and the current user by the local part of its identity, sorted by name', () => {
    users.commands.fetch('jane@example.com')
    users.commands.fetchSelfInfo()
    expect(link.requests.map(({ method, path, query, operation, fixedCode }) => ({ method, path, query, operation, fixedCode }))).to.deep.equal([
      {
        method: 'GET',
        path: '/cpaas/directory/v1/alice@example.com/default/search',
        query: { order: 'asc', sortBy: 'name', userName: 'jane@example.com' },
        operation: 'User Request',
        fixedCode: 'users:3',
      },
      {
        method: 'GET',
        path: '/cpaas/directory/v1/alice@example.com/default/search',
        query: { order: 'asc', sortBy: 'name', userName: 'alice' },
        operation: 'User Request',
        fixedCode: 'users:3',
      },
    ])
  })

  it('searches the directory named by directoryId with the filters and options', () => {
    // directoryId: an option the documented types leave out
    users.commands.search({ userId: 'jane', directoryId: 'default' } as SearchFilters, { sortBy: 'firstName', order: 'desc', max: 10, next: 'p10' })
    expect(link.requests[0]?.query).to.deep.include({ userName: 'jane', sortBy: 'firstName', order: 'desc', max: 10, next: 'p10' })
  })

  it('rejects a fetch without a user id, and bad search arguments, with users:4 and nothing sent', () => {
    users.commands.fetch(undefined as never) // bad input, as an app without types may pass it
    users.commands.fetch('')
    users.commands.search('jane' as never)
    users.commands.search({}, { max: -1 })
    expect(events.map((event) => (event.type === 'directoryFailed' ? event.error.code : event.type))).to.deep.equal(['users:4', 'users:4', 'users:4', 'users:4'])
    expect(link.requests).to.deep.equal([])
  })

  it('keeps every user a search found and its next token, but only the first user for fetch and fetchSelfInfo; warns of items without a primaryContact', () => {
    const captured = captureConsole()
    const config = createConfig({ logs: { logLevel: 'warn' } })
    const page = { directoryItemList: { directoryItem: [item({ firstName: 'Nobody' }), item({ primaryContact: 'jane@example.com' }), item({ primaryContact: 'jim@example.com' })], next: 'p2' } }
    const answered = createUsers({ logs: createLogs(config, createEnvironment({ console: captured.console })), link: answering(recordingLink(), () => of(page)) })
    const found: UserEvent[] = []
    answered.events$.subscribe((event) => found.push(event))
    answered.commands.search({ name: 'j' })
    answered.commands.fetch('jane@example.com')
    answered.commands.fetchSelfInfo()
    expect(found).to.deep.equal([
      { type: 'usersFound', operation: 'search', results: [{ userId: 'jane@example.com' }, { userId: 'jim@example.com' }], next: 'p2' },
      { type: 'usersFound', operation: 'fetch', results: [{ userId: 'jane@example.com' }], next: undefined },
      { type: 'usersFound', operation: 'fetchSelfInfo', results: [{ userId: 'jane@example.com' }], next: undefined },
    ])
    expect(captured.calls.map(({ method, args }) => [method, ...args])).to.deep.equal(
      Array.from({ length: 3 }, () => ['warn', '[kandy-rx:users] Dropped 1 directory item(s) without a primaryContact']),
    )
    answered.dispose()
  })

  it('completes its streams on dispose', () => {
    expect(streamsCompletedByDispose(users)).to.equal(2)
  })
})
