import { expect } from 'chai'
import { BasicError, create, errorCodes } from '../../../lib/index.js'
import { apiPaths, invoke, watchUncaught } from '../../reliability/api-calls.js'

/** Lets due timers run: RxJS re-throws a subscriber's error in one. */
const settled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5))

// The values that broke the API with plain TypeErrors (issue 16): objects without a prototype
// ("Cannot convert object to primitive value"), prototype keys looked up on plain records.
const hostile: Record<string, () => unknown> = {
  'an object without a prototype': () => Object.create(null),
  'an array holding one': () => [Object.create(null)],
  '"__proto__"': () => '__proto__',
  '"toString"': () => 'toString',
  'a part of such objects': () => ({ type: Object.create(null), text: Object.create(null) }),
  'an object whose toString throws': () => ({
    toString: () => {
      throw new Error('no')
    },
  }),
}

describe('public API arguments', () => {
  for (const [label, make] of Object.entries(hostile)) {
    it(`answers ${label} in any argument of every function by a BasicError or a result, never a TypeError`, async () => {
      const uncaught = watchUncaught()
      const client = create({ logs: { logLevel: 'silent' } })
      try {
        const failures = apiPaths.flatMap((path) =>
          [0, 1, 2].flatMap((position) => {
            const verdict = invoke(client, { path, args: [...Array<string>(position).fill('x'), make()] })
            return verdict.ok ? [] : [`${path} (argument ${position + 1}): ${verdict.thrown}`]
          }),
        )
        await settled()
        expect(failures).to.deep.equal([])
        expect(uncaught.seen.map(String)).to.deep.equal([])
        expect(client.getConfig().logs.logLevel).to.equal('silent')
      } finally {
        uncaught.stop()
        client.dispose()
      }
    })
  }

  it('finds nothing under prototype keys: call.getById, media.getById, media.getTrackById, user.get, contacts.get', () => {
    const client = create({ logs: { logLevel: 'silent' } })
    for (const key of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) {
      expect(client.call.getById(key), `call.getById(${key})`).to.equal(undefined)
      expect(client.media.getById(key), `media.getById(${key})`).to.equal(undefined)
      expect(client.media.getTrackById(key), `media.getTrackById(${key})`).to.equal(undefined)
      expect(client.user.get(key), `user.get(${key})`).to.equal(undefined)
      expect(client.contacts.get(key), `contacts.get(${key})`).to.equal(undefined)
    }
    client.dispose()
  })

  it('answers a lookup of undefined with undefined, as the original SDK (the first track of a call with none), and refuses other non-strings', () => {
    const client = create({ logs: { logLevel: 'silent' } })
    const getters: Array<[string, (id: unknown) => unknown, string]> = [
      ['call.getById', (id) => client.call.getById(id as string), 'BAD_INPUT'],
      ['media.getById', (id) => client.media.getById(id as string), 'BAD_INPUT'],
      ['media.getTrackById', (id) => client.media.getTrackById(id as string), 'BAD_INPUT'],
      ['user.get', (id) => client.user.get(id as string), 'users:4'],
      ['contacts.get', (id) => client.contacts.get(id as string), 'users:4'],
      ['groups.get', (id) => client.groups.get(id as string), 'BAD_INPUT'],
      ['groups.getParticipants', (id) => client.groups.getParticipants(id as string), 'BAD_INPUT'],
    ]
    for (const [name, get, code] of getters) {
      expect(get(undefined), `${name}(undefined)`).to.equal(undefined)
      expect(() => get(42), `${name}(42)`).to.throw(BasicError).with.property('code', code)
    }
    client.dispose()
  })

  it('keeps a __proto__ key of updateConfig as data, never as the configuration\'s prototype', () => {
    const client = create({ logs: { logLevel: 'silent' } })
    client.updateConfig(JSON.parse('{ "logs": { "__proto__": { "polluted": true } } }') as never)
    expect((client.getConfig().logs as unknown as { polluted?: unknown }).polluted).to.equal(undefined)
    expect(Object.getPrototypeOf(client.getConfig().logs)).to.equal(Object.prototype)
    client.dispose()
  })

  it('throws a BasicError where the reference throws for a value of the wrong type', () => {
    const client = create({ logs: { logLevel: 'silent' } })
    const cases: Array<[string, () => unknown, string]> = [
      ['call.make(42)', () => client.call.make(42 as never, { audio: true }), 'call:7'],
      ['call.answer({})', () => client.call.answer({} as never, { audio: true }), 'call:7'],
      ['call.replaceTrack(null, …)', () => client.call.replaceTrack(null as never, 't'), 'call:7'],
      ['call.replaceTrack(id, 5)', () => client.call.replaceTrack('c', 5 as never), 'call:7'],
      ["services.subscribe('chat')", () => client.services.subscribe('chat' as never), 'BAD_INPUT'],
      ['services.unsubscribe(undefined)', () => client.services.unsubscribe(undefined as never), 'BAD_INPUT'],
    ]
    for (const [what, run, code] of cases) expect(run, what).to.throw(BasicError).with.property('code', code)
    expect(client.call.getAll()).to.deep.equal([])
    client.dispose()
  })

  it('names the argument in the message, with the code of its namespace', () => {
    const client = create({ logs: { logLevel: 'silent' } })
    expect(() => client.user.get(42 as never)).to.throw(BasicError, 'user.get: the user id must be a string').with.property('code', errorCodes.users.INVALID_PARAM)
    expect(() => client.contacts.get(42 as never)).to.throw(BasicError).with.property('code', errorCodes.users.INVALID_PARAM)
    expect(() => client.call.make(42 as never, { audio: true })).to.throw(BasicError, /^call\.make\(destination\): /)
    client.dispose()
  })
})
