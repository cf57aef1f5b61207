import { expect } from 'chai'
import { TestScheduler } from 'rxjs/testing'
import { awaitSession, type Held } from '../../../../streams/call/inbound/park.js'

// Frames for a session the client does not know yet wait for it, in virtual time.

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected)
  })

describe('awaitSession: frames held until their session exists (streams/call/inbound/park.ts)', () => {
  it('emits the held frames of a session, in arrival order, when it is created; others keep waiting', () => {
    const scheduler = newScheduler()
    scheduler.run(({ hot, expectObservable }) => {
      const held = hot<Held<string>>('-a-b-c------|', { a: { frame: 'ringing', sessionId: 's1' }, b: { frame: 'other', sessionId: 's2' }, c: { frame: 'answer', sessionId: 's1' } })
      const sessions = hot<string>('--------x----', { x: 's1' })
      expectObservable(held.pipe(awaitSession(sessions, 10_000, scheduler))).toBe('--------(ra)|', { r: 'ringing', a: 'answer' })
    })
  })

  it('drops frames held for the lifetime when the next frame is held', () => {
    const scheduler = newScheduler()
    scheduler.run(({ hot, expectObservable }) => {
      const held = hot<Held<string>>('a 10s b 1s |', { a: { frame: 'stale', sessionId: 's1' }, b: { frame: 'fresh', sessionId: 's1' } })
      const sessions = hot<string>('- 10s - 500ms x', { x: 's1' })
      expectObservable(held.pipe(awaitSession(sessions, 10_000, scheduler))).toBe('- 10s - 500ms f 499ms |', { f: 'fresh' })
    })
  })

  it('emits nothing for a session no frame waits for, and ends with its source', () => {
    const scheduler = newScheduler()
    scheduler.run(({ hot, expectObservable }) => {
      const held = hot<Held<string>>('-a--|', { a: { frame: 'ringing', sessionId: 's1' } })
      expectObservable(held.pipe(awaitSession(hot<string>('--x-', { x: 's2' }), 10_000, scheduler))).toBe('----|')
    })
  })

  it('drops a frame held exactly the lifetime ago when the next one is held', () => {
    const scheduler = newScheduler()
    scheduler.run(({ hot, expectObservable }) => {
      const held = hot<Held<string>>('a 9999ms b', { a: { frame: 'stale', sessionId: 's1' }, b: { frame: 'fresh', sessionId: 's1' } })
      const sessions = hot<string>('- 10s x', { x: 's1' })
      expectObservable(held.pipe(awaitSession(sessions, 10_000, scheduler))).toBe('- 10s f', { f: 'fresh' })
    })
  })

  it('emits a held frame once, however often its session is named', () => {
    const scheduler = newScheduler()
    scheduler.run(({ hot, expectObservable }) => {
      const held = hot<Held<string>>('-a----|', { a: { frame: 'ringing', sessionId: 's1' } })
      const sessions = hot<string>('--x-x--', { x: 's1' })
      expectObservable(held.pipe(awaitSession(sessions, 10_000, scheduler))).toBe('--r---|', { r: 'ringing' })
    })
  })

  it('fails with its source, and unsubscribing stops listening to both the frames and the sessions', () => {
    const scheduler = newScheduler()
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const failing = hot<Held<string>>('-a-#', { a: { frame: 'ringing', sessionId: 's1' } })
      expectObservable(failing.pipe(awaitSession(hot<string>('----'), 10_000, scheduler))).toBe('---#')
      const held = hot<Held<string>>('-a------', { a: { frame: 'ringing', sessionId: 's1' } })
      const sessions = hot<string>('--------')
      expectObservable(held.pipe(awaitSession(sessions, 10_000, scheduler)), '^--!').toBe('----')
      expectSubscriptions(held.subscriptions).toBe('^--!')
      expectSubscriptions(sessions.subscriptions).toBe('^--!')
    })
  })
})
