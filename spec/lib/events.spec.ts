import { expect } from 'chai'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Subject } from 'rxjs'
import { createConfig } from '../../streams/config/feature.js'
import { createLogs } from '../../streams/logs/feature.js'
import { createEmitter, eventNames, isEventName, type Delivery, type PublicEvent } from '../../lib/events.js'
import { captureConsole } from '../streams/logs/capture.js'

// A full garbage collection, from V8's own `gc` (exposed at run time: mocha runs without --expose-gc).
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

/** Resolves after every event already queued for delivery (in a microtask) has been delivered. */
const delivered = (): Promise<void> => new Promise((resolve) => setTimeout(resolve))

const setup = () => {
  const capture = captureConsole()
  const logger = createLogs(createConfig(), { console: capture.console }).logger('events')
  const events$ = new Subject<PublicEvent>()
  const emitter = createEmitter(events$, logger)
  return { ...capture, events$, emitter }
}

/** A listener and a global listener added from a function of their own, so that only the emitter holds them: weak refs to both. */
const addHeldByEmitterOnly = (emitter: ReturnType<typeof setup>['emitter']): [WeakRef<object>, WeakRef<object>] => {
  const listener = (): void => undefined
  const global = (): void => undefined
  emitter.on('ws:change', listener)
  emitter.subscribe(global)
  return [new WeakRef(listener), new WeakRef(global)]
}

describe('events', () => {
  it('lists every event of protocol/events.md, the never-emitted ones included', () => {
    expect([...eventNames].sort()).to.deep.equal(
      [
        'auth:change', 'auth:error', 'auth:resub', 'subscription:change', 'subscription:error', 'ws:change',
        'notification:received', 'notifications:change', 'notifications:error', 'call:start', 'call:receive',
        'call:stateChange', 'call:newMedia', 'call:removedMedia', 'call:newTrack', 'call:trackEnded',
        'call:statsReceived', 'call:trackReplaced', 'call:join', 'call:mediaConnectionChange', 'call:mediaRestart', 'call:qualityWarning', 'call:error', 'devices:change', 'media:muted',
        'media:unmuted', 'conversations:new', 'conversations:change', 'messages:change', 'messages:error',
        'isTypingList:change', 'presence:change', 'presence:selfChange', 'presence:error', 'group:new',
        'group:change', 'group:delete', 'group:refresh', 'group:invitation_received', 'group:error',
        'contacts:new', 'contacts:change', 'contacts:error', 'directory:change', 'directory:error',
      ].sort(),
    )
    expect(isEventName('call:error')).to.equal(true)
    expect(isEventName('dummy:event')).to.equal(false)
  })

  describe('argument errors', () => {
    const { emitter } = setup()
    const listener = (): void => undefined

    it('on throws "Invalid event type" for an unknown type', () => {
      expect(() => emitter.on('dummy:event' as never, listener)).to.throw(Error, 'Invalid event type: dummy:event')
    })
    it('off throws "Invalid event type" for an unknown type', () => {
      expect(() => emitter.off('call:nope' as never, listener)).to.throw(Error, 'Invalid event type')
    })
    it('on and off throw "Invalid event type" for a type that is not a string', () => {
      expect(() => emitter.on(42 as never, listener)).to.throw(Error, 'Invalid event type')
      expect(() => emitter.off(undefined as never, listener)).to.throw(Error, 'Invalid event type')
    })
    it('on and off throw "Listener not a function" for a listener that is not a function', () => {
      expect(() => emitter.on('call:start', 'nope' as unknown as () => void)).to.throw(Error, 'Listener not a function')
      expect(() => emitter.off('call:start', {} as unknown as () => void)).to.throw(Error, 'Listener not a function')
    })
    it('subscribe and unsubscribe throw "Listener not a function"', () => {
      expect(() => emitter.subscribe(null as unknown as () => void)).to.throw(Error, 'Listener not a function')
      expect(() => emitter.unsubscribe(1 as unknown as () => void)).to.throw(Error, 'Listener not a function')
    })
  })

  it('calls on-listeners with the payload, and only for their type', async () => {
    const { emitter, events$ } = setup()
    const seen: unknown[] = []
    emitter.on('call:start', (payload) => seen.push(payload))
    events$.next({ type: 'call:receive', payload: { callId: 'c0', error: undefined } })
    events$.next({ type: 'call:start', payload: { callId: 'c1', error: undefined } })
    await delivered()
    expect(seen).to.deep.equal([{ callId: 'c1', error: undefined }])
  })

  it('calls subscribe-listeners with (type, [payload]) for every event, in order', async () => {
    const { emitter, events$ } = setup()
    const seen: unknown[] = []
    emitter.subscribe((type, args) => seen.push([type, args]))
    events$.next({ type: 'ws:change', payload: { platform: 'cpaas' } })
    events$.next({ type: 'subscription:change', payload: {} })
    await delivered()
    expect(seen).to.deep.equal([
      ['ws:change', [{ platform: 'cpaas' }]],
      ['subscription:change', [{}]],
    ])
  })

  it('gives {} to listeners of an event without payload', async () => {
    const { emitter, events$ } = setup()
    const seen: unknown[] = []
    emitter.on('devices:change', (payload) => seen.push(payload))
    events$.next({ type: 'devices:change', payload: undefined as never })
    await delivered()
    expect(seen).to.deep.equal([{}])
  })

  it('gives {} to subscribe-listeners of an event without payload too', async () => {
    const { emitter, events$ } = setup()
    const seen: unknown[] = []
    emitter.subscribe((type, args) => seen.push([type, args]))
    events$.next({ type: 'devices:change', payload: undefined as never })
    await delivered()
    expect(seen).to.deep.equal([['devices:change', [{}]]])
  })

  it('delivers asynchronously, after the change that caused the event is complete', async () => {
    const { emitter, events$ } = setup()
    let state = 'Initiated'
    const seen: string[] = []
    emitter.on('call:stateChange', () => seen.push(state))
    events$.next({ type: 'call:stateChange', payload: { callId: 'c1', error: undefined, transition: undefined, previous: undefined } })
    state = 'Connected'
    expect(seen).to.deep.equal([])
    await delivered()
    expect(seen).to.deep.equal(['Connected'])
  })

  it('delivers a burst of events in one scheduled delivery, in order; those a listener causes come in the next', async () => {
    const capture = captureConsole()
    const logger = createLogs(createConfig(), { console: capture.console }).logger('events')
    const events$ = new Subject<PublicEvent>()
    let deliveries = 0
    const counting: Delivery = (flush) => {
      deliveries++
      queueMicrotask(flush)
    }
    const emitter = createEmitter(events$, logger, counting)
    const change = (id: string): PublicEvent => ({ type: 'group:new', payload: { id, groupId: id } })
    const seen: string[] = []
    emitter.on('group:new', ({ id }) => {
      seen.push(String(id))
      if (id === 'g1') events$.next(change('g3'))
    })
    events$.next(change('g1'))
    events$.next(change('g2'))
    expect(deliveries).to.equal(1)
    expect(seen).to.deep.equal([])
    await delivered()
    await delivered()
    expect(seen).to.deep.equal(['g1', 'g2', 'g3'])
    expect(deliveries).to.equal(2)
  })

  it('stops calling a listener after off / unsubscribe', async () => {
    const { emitter, events$ } = setup()
    const seen: string[] = []
    const listener = (): void => void seen.push('on')
    const global = (): void => void seen.push('subscribe')
    emitter.on('media:muted', listener)
    emitter.subscribe(global)
    emitter.off('media:muted', listener)
    emitter.unsubscribe(global)
    events$.next({ type: 'media:muted', payload: { tracks: [] } })
    await delivered()
    expect(seen).to.deep.equal([])
  })

  it('keeps calling the other listeners when one throws, and logs the error', async () => {
    const { emitter, events$, calls } = setup()
    const seen: string[] = []
    emitter.on('presence:change', () => {
      throw new Error('listener bug')
    })
    emitter.on('presence:change', () => seen.push('second'))
    emitter.subscribe(() => seen.push('global'))
    events$.next({ type: 'presence:change', payload: { userId: 'bob', status: 'open', activity: 'available', note: undefined } })
    events$.next({ type: 'presence:change', payload: { userId: 'alice', status: 'open', activity: 'available', note: undefined } })
    await delivered()
    expect(seen).to.deep.equal(['second', 'global', 'second', 'global'])
    const errors = calls.filter(({ method }) => method === 'error')
    expect(errors).to.have.length(2)
    expect(errors[0]!.args[0]).to.include('presence:change')
    expect((errors[0]!.args[1] as Error).message).to.equal('listener bug')
  })

  it('lets a listener remove itself while the event is delivered', async () => {
    const { emitter, events$ } = setup()
    const seen: string[] = []
    const once = (): void => {
      seen.push('once')
      emitter.off('group:new', once)
    }
    emitter.on('group:new', once)
    emitter.on('group:new', () => seen.push('other'))
    events$.next({ type: 'group:new', payload: { id: 'g1', groupId: 'g1' } })
    events$.next({ type: 'group:new', payload: { id: 'g2', groupId: 'g2' } })
    await delivered()
    expect(seen).to.deep.equal(['once', 'other', 'other'])
  })

  it('calls a listener added twice once per event, and off removes it', async () => {
    const { emitter, events$ } = setup()
    const seen: string[] = []
    const listener = (): void => void seen.push('called')
    emitter.on('group:new', listener)
    emitter.on('group:new', listener)
    events$.next({ type: 'group:new', payload: { id: 'g1', groupId: 'g1' } })
    await delivered()
    emitter.off('group:new', listener)
    events$.next({ type: 'group:new', payload: { id: 'g2', groupId: 'g2' } })
    await delivered()
    expect(seen).to.deep.equal(['called'])
  })

  it('delivers an event to the listeners there were when its delivery began', async () => {
    const { emitter, events$ } = setup()
    const seen: string[] = []
    const later = (): void => void seen.push('later')
    const added = (): void => void seen.push('added')
    emitter.on('group:new', () => {
      seen.push('first')
      emitter.off('group:new', later)
      emitter.on('group:new', added)
    })
    emitter.on('group:new', later)
    events$.next({ type: 'group:new', payload: { id: 'g1', groupId: 'g1' } })
    await delivered()
    expect(seen).to.deep.equal(['first', 'later'])
  })

  it('stops delivering after dispose', async () => {
    const { emitter, events$ } = setup()
    const seen: unknown[] = []
    emitter.subscribe((type) => seen.push(type))
    emitter.dispose()
    events$.next({ type: 'ws:change', payload: { platform: 'cpaas' } })
    await delivered()
    expect(seen).to.deep.equal([])
    expect(events$.observed).to.equal(false)
  })

  it('forgets its listeners on dispose, so that the app objects they hold can be collected while the client is still referenced', async () => {
    const { emitter } = setup()
    const refs = addHeldByEmitterOnly(emitter)
    emitter.dispose()
    // A WeakRef holds its target until the current task ends.
    await delivered()
    collectGarbage()
    expect(refs.map((ref) => ref.deref())).to.deep.equal([undefined, undefined])
  })

  it('keeps no listener added after dispose, so that the app objects it holds can be collected', async () => {
    const { emitter } = setup()
    emitter.dispose()
    const refs = addHeldByEmitterOnly(emitter)
    await delivered()
    collectGarbage()
    expect(refs.map((ref) => ref.deref())).to.deep.equal([undefined, undefined])
  })

  it('delivers nothing emitted before dispose, not even to a listener added after it', async () => {
    const { emitter, events$ } = setup()
    const seen: unknown[] = []
    events$.next({ type: 'ws:change', payload: { platform: 'cpaas' } })
    emitter.dispose()
    emitter.on('ws:change', (payload) => seen.push(payload))
    emitter.subscribe((type) => seen.push(type))
    await delivered()
    expect(seen).to.deep.equal([])
  })

  it('logs a failure of the event stream instead of throwing it', async () => {
    const { emitter, events$, calls } = setup()
    const uncaught: unknown[] = []
    const record = (error: unknown): void => void uncaught.push(error)
    process.on('uncaughtExceptionMonitor', record)
    try {
      events$.error(new Error('stream bug'))
      await delivered()
    } finally {
      process.off('uncaughtExceptionMonitor', record)
    }
    const errors = calls.filter(({ method }) => method === 'error')
    expect(errors).to.have.length(1)
    expect(errors[0]!.args[0]).to.include('The event stream failed')
    expect((errors[0]!.args[1] as Error).message).to.equal('stream bug')
    expect(uncaught).to.deep.equal([])
    emitter.dispose()
  })
})
