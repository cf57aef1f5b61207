import { expect } from 'chai'
import { Observable, Subject, Subscription, defer, of, throwError } from 'rxjs'
import type { AuthUser } from '../../streams/connection/link.js'
import { BasicError } from '../../streams/errors.js'
import { inOrder, userRequests } from '../../streams/outcome.js'
import { aliceUser } from './presence/link.js'

type Event = { readonly type: 'done'; readonly value: string }

/** A userRequests runner over a link with `user`, recording events and failures. */
const setup = (user: AuthUser | undefined) => {
  const running = new Subscription()
  const events: Event[] = []
  const failures: BasicError[] = []
  const request = userRequests(running, { user: () => user }, (event: Event) => events.push(event))
  const run = <A>(request$: (user: AuthUser) => Observable<A>, done: (value: A) => Event): void =>
    request('Test request', request$, done, (error) => failures.push(error))
  return { running, events, failures, run }
}

describe('userRequests', () => {
  it('sends the request as the signed-in user and dispatches the event its value makes', () => {
    const { events, failures, run } = setup(aliceUser)
    run((user) => of(user.username), (value) => ({ type: 'done', value }))
    expect(events).to.deep.equal([{ type: 'done', value: 'alice@example.com' }])
    expect(failures).to.deep.equal([])
  })

  it('without a user sends nothing and reports the missing user', () => {
    const { events, failures, run } = setup(undefined)
    let sent = false
    const request$ = defer(() => {
      sent = true
      return of('x')
    })
    run(() => request$, (value) => ({ type: 'done', value }))
    expect(sent).to.equal(false)
    expect(events).to.deep.equal([])
    expect(failures.map(({ code, message }) => ({ code, message }))).to.deep.equal([
      { code: 'BAD_INPUT', message: 'Test request failed: no user (set tokens first)' },
    ])
  })

  it("reports a failed request's error as a BasicError", () => {
    const { events, failures, run } = setup(aliceUser)
    run(() => throwError(() => new BasicError('SVC0002', 'refused')), (value: string) => ({ type: 'done', value }))
    run(() => throwError(() => new TypeError('broken')), (value: string) => ({ type: 'done', value }))
    expect(events).to.deep.equal([])
    expect(failures.map(({ code, message }) => ({ code, message }))).to.deep.equal([
      { code: 'SVC0002', message: 'refused' },
      { code: 'NO_CODE', message: 'broken' },
    ])
  })

  it("cancels the requests in flight when the feature's subscription is disposed", () => {
    const { running, run } = setup(aliceUser)
    let cancelled = false
    run(() => new Observable<string>(() => () => (cancelled = true)), (value) => ({ type: 'done', value }))
    running.unsubscribe()
    expect(cancelled).to.equal(true)
  })
})

describe('userRequests in order', () => {
  it('sends each request once the one before it is answered (failed ones too), and drops those waiting when disposed', () => {
    const running = new Subscription()
    const events: Event[] = []
    const request = userRequests(running, { user: () => aliceUser }, (event: Event) => events.push(event), inOrder(running))
    const sent: string[] = []
    const answers = new Map<string, Subject<string>>()
    const run = (name: string): void => {
      const answer = new Subject<string>()
      answers.set(name, answer)
      const send = defer(() => {
        sent.push(name)
        return answer
      })
      request('Test request', () => send, (value) => ({ type: 'done', value }), () => events.push({ type: 'done', value: `${name} failed` }))
    }
    run('add')
    run('update')
    run('remove')
    expect(sent).to.deep.equal(['add'])
    answers.get('add')!.error(new BasicError('SVC0001', 'down'))
    expect(sent).to.deep.equal(['add', 'update'])
    answers.get('update')!.next('updated')
    answers.get('update')!.complete()
    expect(sent).to.deep.equal(['add', 'update', 'remove'])
    expect(events).to.deep.equal([
      { type: 'done', value: 'add failed' },
      { type: 'done', value: 'updated' },
    ])
    run('fetch')
    running.unsubscribe()
    answers.get('remove')!.next('removed')
    expect(sent).to.deep.equal(['add', 'update', 'remove'])
    expect(events).to.have.length(2)
  })
})
