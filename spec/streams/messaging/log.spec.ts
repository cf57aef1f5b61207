import { expect } from 'chai'
import fc from 'fast-check'
import { MessageLog } from '../../../streams/messaging/log.js'
import type { Message } from '../../../streams/messaging/model.js'

const message = (id: string | undefined, isPending = false, text = id ?? 'pending'): Message => ({
  messageId: id,
  sender: 'bob@example.com',
  timestamp: 1,
  parts: [{ type: 'text', text }],
  ...(isPending ? { isPending: true } : {}),
})

type Step =
  | { readonly op: 'push'; readonly id: string | undefined; readonly pending: boolean }
  | { readonly op: 'insert'; readonly at: number; readonly id: string | undefined; readonly pending: boolean }
  | { readonly op: 'set'; readonly at: number; readonly id: string | undefined; readonly pending: boolean }
  | { readonly op: 'read'; readonly what: 'array' | 'holds' }

// Ids from a small pool, so that steps often add or replace an id held, and some messages have none (pending sends).
const id = fc.option(fc.integer({ min: 0, max: 80 }).map((n) => `m-${n}`), { freq: 4, nil: undefined })
// The messages to start from have ids of their own, mostly unique: a step that replaces the one message with an id takes it out.
const startId = fc.option(fc.integer({ min: 0, max: 100_000 }).map((n) => `s-${n}`), { freq: 4, nil: undefined })
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('push' as const), id, pending: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), id, pending: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), id, pending: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('read' as const), what: fc.constantFrom('array' as const, 'holds' as const) }) },
)

/** Runs `steps` on a log and on a plain array side by side; returns every version of both. */
function run(start: readonly Message[], steps: readonly Step[]): Array<{ log: MessageLog; model: readonly Message[] }> {
  const versions = [{ log: MessageLog.from(start), model: start }]
  for (const next of steps) {
    const { log, model } = versions.at(-1)!
    if (next.op === 'read') {
      if (next.what === 'array') log.toArray()
      else log.holds('m-1')
      continue
    }
    const added = message(next.id, next.pending)
    if (next.op === 'push') versions.push({ log: log.push(added), model: [...model, added] })
    else if (next.op === 'insert') {
      const at = next.at % (model.length + 1)
      versions.push({ log: log.insert(at, added), model: [...model.slice(0, at), added, ...model.slice(at)] })
    } else if (model.length > 0) {
      const at = next.at % model.length
      versions.push({ log: log.set(at, added), model: model.map((held, index) => (index === at ? added : held)) })
    }
  }
  return versions
}

// Up to 1,100 messages to start from: a trie of two levels (1,024 and more) as often as one of a leaf or none.
const startArray = fc.array(fc.tuple(startId, fc.boolean()), { maxLength: 1100, size: 'max' }).map((made) => made.map(([messageId, pending]) => message(messageId, pending)))

describe('MessageLog: a conversation’s messages as a persistent vector', () => {
  it('holds, after any pushes, inserts and replacements, the messages an array would, in every version, old ones included', () => {
    fc.assert(
      fc.property(startArray, fc.array(step, { maxLength: 80, size: 'max' }), (start, steps) => {
        for (const { log, model } of run(start, steps)) {
          expect(log.length).to.equal(model.length)
          expect(log.toArray()).to.deep.equal(model)
          expect(log.at(model.length - 1)).to.equal(model.at(-1))
          expect(log.at(0)).to.equal(model[0])
          expect(log.at(model.length)).to.equal(undefined)
          expect(log.pending).to.equal(model.filter((held) => held.isPending === true).length)
        }
      }),
      { numRuns: 40 },
    )
  })

  it('knows the platform ids it holds in every version, the older versions whose id set a newer one grew included', () => {
    fc.assert(
      fc.property(startArray, fc.array(step, { maxLength: 80, size: 'max' }), fc.array(id, { maxLength: 10, size: 'max' }), (start, steps, pool) => {
        const versions = run(start, steps)
        // The ids the steps added and those their replacements took out, and some never seen.
        const replaced = versions.flatMap(({ model }, index) => model.filter((held, at) => versions[index + 1] !== undefined && versions[index + 1]!.model[at] !== held))
        const asked = new Set([...pool, ...steps.map((made) => ('id' in made ? made.id : undefined)), ...replaced.map((held) => held.messageId ?? undefined)])
        // Newest first, so that each older version asks after the newer ones grew the set they share.
        for (const { log, model } of [...versions].reverse()) {
          const held = new Set(model.map((message) => message.messageId))
          for (const wanted of asked) if (wanted !== undefined) expect(log.holds(wanted), wanted).to.equal(held.has(wanted))
        }
      }),
      { numRuns: 40 },
    )
  })

  it('reads the message at any index of a log of thousands, across several levels of the trie', () => {
    const messages = Array.from({ length: 40_000 }, (_, index) => message(`m-${index}`))
    let log = MessageLog.empty
    for (const held of messages) log = log.push(held)
    for (const index of [0, 31, 32, 1023, 1024, 1055, 32_767, 32_768, 39_999]) expect(log.at(index), String(index)).to.equal(messages[index])
    expect(log.toArray()).to.deep.equal(messages)
    expect(MessageLog.from(messages).at(32_768)).to.equal(messages[32_768])
  })

  it('finds the newest message that matches, or -1', () => {
    const log = MessageLog.from([message('a'), message('b'), message('a', false, 'again')])
    expect(log.findLastIndex((held) => held.messageId === 'a')).to.equal(2)
    expect(log.findLastIndex((held) => held.messageId === 'z')).to.equal(-1)
  })

  it('builds its array once: the same array each time it is read', () => {
    const log = MessageLog.empty.push(message('a')).push(message('b'))
    expect(log.toArray()).to.equal(log.toArray())
  })

  it('hands out a frozen array, built or given: an app that reorders it cannot reorder the log', () => {
    const built = MessageLog.empty.push(message('a')).push(message('b'))
    expect(() => (built.toArray() as Message[]).reverse()).to.throw(TypeError)
    expect(() => (MessageLog.from([message('a'), message('b')]).toArray() as Message[]).reverse()).to.throw(TypeError)
    expect(built.push(message('c')).toArray().map((held) => held.messageId)).to.deep.equal(['a', 'b', 'c'])
  })
})
