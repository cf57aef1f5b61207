import { expect } from 'chai'
import { asBasicError, BasicError, errorCodes } from '../../streams/errors.js'
import { createStore, echoing } from '../../streams/store.js'

type Event = { readonly type: 'added'; readonly n: number } | { readonly type: 'ignored' }
const sum = (state: number, event: Event): number => (event.type === 'added' ? state + event.n : state)
const actions: string[] = []
const logger = { action: (event: { readonly type: string }) => void actions.push(event.type) }

describe('createStore', () => {
  it('reduces, logs the action, emits a changed state then each output', () => {
    const store = createStore(0, echoing(sum), logger)
    const seen: string[] = []
    store.state$.subscribe((state) => seen.push(`state ${state}`))
    store.outputs$.subscribe((event) => seen.push(`output ${event.type}`))
    store.dispatch({ type: 'added', n: 2 })
    store.dispatch({ type: 'ignored' })
    expect(seen).to.deep.equal(['state 0', 'state 2', 'output added', 'output ignored'])
    expect(store.current()).to.equal(2)
    expect(actions.slice(-2)).to.deep.equal(['added', 'ignored'])
  })

  it('returns the step, with the outputs a machine chose', () => {
    const store = createStore(0, (state: number, event: Event) => ({ state: sum(state, event), outputs: event.type === 'added' ? [`+${event.n}`] : [] }), logger)
    expect(store.dispatch({ type: 'added', n: 3 })).to.deep.equal({ state: 3, outputs: ['+3'] })
  })

  it('logs each action with the state before it and the state after it', () => {
    const logged: unknown[] = []
    const store = createStore(1, echoing(sum), { action: (event, before, after) => void logged.push([event.type, before, after]) })
    store.dispatch({ type: 'added', n: 2 })
    expect(logged).to.deep.equal([['added', 1, 3]])
  })

  it('completes both streams', () => {
    const store = createStore(0, echoing(sum), logger)
    let completed = 0
    store.state$.subscribe({ complete: () => completed++ })
    store.outputs$.subscribe({ complete: () => completed++ })
    store.complete()
    expect(completed).to.equal(2)
  })
})

describe('asBasicError', () => {
  it('keeps a BasicError and wraps anything else under the code given', () => {
    const basic = new BasicError(errorCodes.general.BAD_INPUT, 'bad')
    expect(asBasicError(basic, errorCodes.call.GENERIC_ERROR)).to.equal(basic)
    const wrapped = asBasicError(new TypeError('boom'), errorCodes.call.GENERIC_ERROR)
    expect([wrapped.code, wrapped.message]).to.deep.equal([errorCodes.call.GENERIC_ERROR, 'boom'])
    expect(asBasicError('text').code).to.equal(errorCodes.general.NO_CODE)
  })
})
