import { expect } from 'chai'
import { TestScheduler } from 'rxjs/testing'
import { awaitSession, type Held } from '../../../../streams/call/inbound/park.js'

// Frames for a session the client does not know yet wait for it, in virtual time.

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected)
  })

/** Marbles and their values. */
type Marbles<T> = readonly [marbles: string, values?: Record<string, T>]

/** A frame held for session s1 (or `sessionId`). */
const held = (frame: string, sessionId = 's1'): Held<string> => ({ frame, sessionId })

/** Expects awaitSession (lifetime 10 s) over frames held as `frames`, while sessions are created as `sessions`, to emit `emits`. */
function expectReleased(frames: Marbles<Held<string>>, sessions: Marbles<string>, emits: Marbles<string>): void {
  const scheduler = newScheduler()
  scheduler.run(({ hot, expectObservable }) => {
    expectObservable(hot(...frames).pipe(awaitSession(hot(...sessions), 10_000, scheduler))).toBe(...emits)
  })
}

describe('awaitSession: frames held until their session exists (streams/call/inbound/park.ts)', () => {
  it('emits the held frames of a session, in arrival order, when it is created; others keep waiting', () => {
    expectReleased(['-a-b-c------|', { a: held('ringing'), b: held('other', 's2'), c: held('answer') }], ['--------x----', { x: 's1' }], ['--------(ra)|', { r: 'ringing', a: 'answer' }])
  })

  it('drops frames held for the lifetime when the next frame is held', () => {
    expectReleased(['a 10s b 1s |', { a: held('stale'), b: held('fresh') }], ['- 10s - 500ms x', { x: 's1' }], ['- 10s - 500ms f 499ms |', { f: 'fresh' }])
  })

  it('emits nothing for a session no frame waits for, and ends with its source', () => {
    expectReleased(['-a--|', { a: held('ringing') }], ['--x-', { x: 's2' }], ['----|'])
  })

  it('drops a frame held exactly the lifetime ago when the next one is held', () => {
    expectReleased(['a 9999ms b', { a: held('stale'), b: held('fresh') }], ['- 10s x', { x: 's1' }], ['- 10s f', { f: 'fresh' }])
  })

  it('emits a held frame once, however often its session is named', () => {
    expectReleased(['-a----|', { a: held('ringing') }], ['--x-x--', { x: 's1' }], ['--r---|', { r: 'ringing' }])
  })

  it('fails with its source, and unsubscribing stops listening to both the frames and the sessions', () => {
    const scheduler = newScheduler()
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const failing = hot<Held<string>>('-a-#', { a: held('ringing') })
      expectObservable(failing.pipe(awaitSession(hot<string>('----'), 10_000, scheduler))).toBe('---#')
      const frames = hot<Held<string>>('-a------', { a: held('ringing') })
      const sessions = hot<string>('--------')
      expectObservable(frames.pipe(awaitSession(sessions, 10_000, scheduler)), '^--!').toBe('----')
      expectSubscriptions(frames.subscriptions).toBe('^--!')
      expectSubscriptions(sessions.subscriptions).toBe('^--!')
    })
  })
})
