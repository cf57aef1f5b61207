import { expect } from 'chai'
import { NEVER, asyncScheduler, catchError, map, of, startWith, type Observable } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { ConnectionLost, connectivityCheck, type ConnectivityOptions } from '../../../streams/connection/connectivityCheck.js'
import type { SocketSignal } from '../../../streams/connection/socket.js'

// Marble specs in virtual time. Source: 'o' the socket opened, 'k' a connAck, 'c' a platform
// connCheck (interval 10 s), 'x' one without interval, 'n' a notification. The output shows the
// signals passing through and "L" when the check declares the connection lost.

const options = (values: Partial<ConnectivityOptions> = {}): ConnectivityOptions => ({
  enabled: true,
  method: { type: 'keepAlive', responsibleParty: 'client' },
  pingInterval: 30000,
  maxMissedPings: 3,
  ...values,
})
const pingPong = { type: 'pingPong', responsibleParty: 'client' } as const
const server = { type: 'keepAlive', responsibleParty: 'server' } as const

describe('streams/connection/connectivityCheck', () => {
  let scheduler: TestScheduler
  let sent: Array<[number, string]>
  let accepts: (now: number) => boolean
  let signals: Record<string, SocketSignal>

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected)
    })
    sent = []
    accepts = () => true
    const send = (frame: string): boolean => {
      const now = scheduler.now()
      if (!accepts(now)) return false
      sent.push([now, frame])
      return true
    }
    signals = {
      o: { type: 'opened', send },
      k: { type: 'frame', value: { connAck: {} } },
      c: { type: 'frame', value: { connCheck: { interval: 10 } } },
      x: { type: 'frame', value: { connCheck: {} } },
      n: { type: 'frame', value: { chatMessageNotification: { id: '1' } } },
    }
  })

  /** The output as letters: the source's own, and "L" for a declared loss. */
  const letters = (output$: Observable<SocketSignal>): Observable<string> =>
    output$.pipe(
      map((signal) => Object.keys(signals).find((key) => signals[key] === signal) ?? '?'),
      catchError((error: unknown) => of(error instanceof ConnectionLost ? 'L' : `unexpected ${String(error)}`)),
    )
  const times = (frame: string): number[] => sent.filter(([, sentFrame]) => sentFrame === frame).map(([time]) => time)
  const keepAlive = '{"message_type":"ping"}'
  const connCheck = '{"connCheck":{"interval":30}}'
  const connAck = '{"connAck":{}}'

  describe('keepAlive (client responsible, the default)', () => {
    it('pings at once and every pingInterval, expecting no answer', () => {
      scheduler.run(({ hot, cold, expectObservable }) => {
        const socket$ = hot<SocketSignal>('o', signals)
        expectObservable(letters(socket$.pipe(connectivityCheck(cold('a', { a: options() }), scheduler))), '^ 100s !').toBe('o', { o: 'o' })
      })
      expect(times(keepAlive)).to.deep.equal([0, 30000, 60000, 90000])
    })

    it('declares the connection lost when a ping cannot be sent', () => {
      accepts = (now) => now < 65000
      scheduler.run(({ hot, cold, expectObservable }) => {
        const socket$ = hot<SocketSignal>('o', signals)
        expectObservable(letters(socket$.pipe(connectivityCheck(cold('a', { a: options() }), scheduler)))).toBe('o 89999ms (L|)', { o: 'o', L: 'L' })
      })
      expect(times(keepAlive)).to.deep.equal([0, 30000, 60000])
    })

    it('does not answer a platform connCheck', () => {
      scheduler.run(({ hot, cold, expectObservable }) => {
        const socket$ = hot<SocketSignal>('o 5s c', signals)
        expectObservable(letters(socket$.pipe(connectivityCheck(cold('a', { a: options() }), scheduler))), '^ 10s !').toBe('o 5s c', { o: 'o', c: 'c' })
      })
      expect(times(connAck)).to.deep.equal([])
    })
  })

  describe('pingPong (client responsible)', () => {
    it('sends connCheck with the interval in seconds at once and every pingInterval while connAcks come', () => {
      scheduler.run(({ hot, cold, expectObservable }) => {
        const socket$ = hot<SocketSignal>('o 9ms k 29999ms k 29999ms k 29999ms k', signals)
        const output$ = letters(socket$.pipe(connectivityCheck(cold('a', { a: options({ method: pingPong }) }), scheduler)))
        expectObservable(output$, '^ 119s !').toBe('o 9ms k 29999ms k 29999ms k 29999ms k', { o: 'o', k: 'k' })
      })
      expect(times(connCheck)).to.deep.equal([0, 30000, 60000, 90000])
    })

    it('declares the connection lost pingInterval × maxMissedPings after the last connAck, at the next ping', () => {
      scheduler.run(({ hot, cold, expectObservable }) => {
        const socket$ = hot<SocketSignal>('o 30s k', signals)
        const output$ = letters(socket$.pipe(connectivityCheck(cold('a', { a: options({ method: pingPong }) }), scheduler)))
        // Last connAck at 30 s; pings at 60, 90, 120 s go unanswered; at 150 s 120 s of silence ≥ 90 s.
        expectObservable(output$).toBe('o 30s k 119998ms (L|)', { o: 'o', k: 'k', L: 'L' })
      })
      expect(times(connCheck)).to.deep.equal([0, 30000, 60000, 90000, 120000])
    })

    it('declares the connection lost after maxMissedPings intervals when no connAck ever comes', () => {
      scheduler.run(({ hot, cold, expectObservable }) => {
        const output$ = letters(hot<SocketSignal>('o', signals).pipe(connectivityCheck(cold('a', { a: options({ method: pingPong, pingInterval: 200, maxMissedPings: 2 }) }), scheduler)))
        expectObservable(output$).toBe('o 399ms (L|)', { o: 'o', L: 'L' })
      })
      expect(times('{"connCheck":{"interval":0.2}}')).to.deep.equal([0, 200])
    })

    it('keeps a connection whose connAcks come when maxMissedPings is 0 (at least one interval is tolerated)', () => {
      scheduler.run(({ hot, cold, expectObservable }) => {
        const socket$ = hot<SocketSignal>('o 1ms k 199ms k 199ms k', signals)
        const output$ = letters(socket$.pipe(connectivityCheck(cold('a', { a: options({ method: pingPong, pingInterval: 200, maxMissedPings: 0 }) }), scheduler)))
        expectObservable(output$, '^ 500ms !').toBe('o 1ms k 199ms k 199ms k', { o: 'o', k: 'k' })
      })
      expect(times('{"connCheck":{"interval":0.2}}')).to.deep.equal([0, 200, 400])
    })

    it('declares the connection lost when a connCheck cannot be sent', () => {
      accepts = (now) => now < 1000
      scheduler.run(({ hot, cold, expectObservable }) => {
        const socket$ = hot<SocketSignal>('o 1ms k', signals)
        const output$ = letters(socket$.pipe(connectivityCheck(cold('a', { a: options({ method: pingPong }) }), scheduler)))
        expectObservable(output$).toBe('o 1ms k 29997ms (L|)', { o: 'o', k: 'k', L: 'L' })
      })
    })
  })

  describe('server responsible', () => {
    it('sends nothing on its own and answers every platform connCheck with one connAck at once', () => {
      scheduler.run(({ hot, cold, expectObservable }) => {
        const socket$ = hot<SocketSignal>('o 5s c 9999ms c 9999ms n', signals)
        const output$ = letters(socket$.pipe(connectivityCheck(cold('a', { a: options({ method: server }) }), scheduler)))
        expectObservable(output$, '^ 30s !').toBe('o 5s c 9999ms c 9999ms n', { o: 'o', c: 'c', n: 'n' })
      })
      expect(sent).to.deep.equal([
        [5001, connAck],
        [15001, connAck],
      ])
    })

    it('tolerates 120 s × maxMissedPings of silence before the first connCheck, ignoring pingInterval', () => {
      scheduler.run(({ hot, cold, expectObservable }) => {
        const output$ = letters(hot<SocketSignal>('o', signals).pipe(connectivityCheck(cold('a', { a: options({ method: server, pingInterval: 1000 }) }), scheduler)))
        expectObservable(output$).toBe('o 359999ms (L|)', { o: 'o', L: 'L' })
      })
      expect(sent).to.deep.equal([])
    })

    it("adopts the platform's interval: lost when no connCheck came for interval × maxMissedPings", () => {
      scheduler.run(({ hot, cold, expectObservable }) => {
        // connCheck with interval 10 s at 5.001 s: the next one is due within 30 s.
        const output$ = letters(hot<SocketSignal>('o 5s c', signals).pipe(connectivityCheck(cold('a', { a: options({ method: server }) }), scheduler)))
        expectObservable(output$).toBe('o 5s c 29999ms (L|)', { o: 'o', c: 'c', L: 'L' })
      })
    })

    it('keeps the last interval when a connCheck carries none', () => {
      scheduler.run(({ hot, cold, expectObservable }) => {
        const output$ = letters(hot<SocketSignal>('o 5s c 20s x', signals).pipe(connectivityCheck(cold('a', { a: options({ method: server }) }), scheduler)))
        expectObservable(output$).toBe('o 5s c 20s x 29999ms (L|)', { o: 'o', c: 'c', x: 'x', L: 'L' })
      })
      expect(times(connAck)).to.deep.equal([5001, 25002])
    })
  })

  it('pings at most every 2^31 − 1 ms: a longer pingInterval on the host timers would ping every millisecond', async () => {
    // Host timers, not virtual time: only they fire a longer timer at once.
    const running = NEVER.pipe(startWith(signals.o!), connectivityCheck(of(options({ pingInterval: 3e9 })), asyncScheduler)).subscribe({ error: () => undefined })
    await new Promise((resolve) => setTimeout(resolve, 30))
    running.unsubscribe()
    expect(times(keepAlive)).to.have.length(1)
  })

  describe('switching at run time', () => {
    it('stops checking when disabled and starts again, both ways', () => {
      scheduler.run(({ hot, expectObservable }) => {
        // The options replay their current value, as the feature's state does.
        const options$ = hot('- 45s d 55s a', { a: options(), d: options({ enabled: false }) }).pipe(startWith(options()))
        const output$ = letters(hot<SocketSignal>('o', signals).pipe(connectivityCheck(options$, scheduler)))
        expectObservable(output$, '^ 140s !').toBe('o', { o: 'o' })
      })
      expect(times(keepAlive)).to.deep.equal([0, 30000, 100002, 130002])
    })

    it('sends nothing and never declares a loss while disabled', () => {
      scheduler.run(({ hot, cold, expectObservable }) => {
        const output$ = letters(hot<SocketSignal>('o', signals).pipe(connectivityCheck(cold('a', { a: options({ enabled: false, method: pingPong }) }), scheduler)))
        expectObservable(output$, '^ 1000s !').toBe('o', { o: 'o' })
      })
      expect(sent).to.deep.equal([])
    })

    it('restarts with the new mode when the method changes', () => {
      scheduler.run(({ hot, expectObservable }) => {
        const options$ = hot('- 40s p', { p: options({ method: pingPong }) }).pipe(startWith(options()))
        const output$ = letters(hot<SocketSignal>('o 40s k', signals).pipe(connectivityCheck(options$, scheduler)))
        expectObservable(output$, '^ 75s !').toBe('o 40s k', { o: 'o', k: 'k' })
      })
      expect(times(keepAlive)).to.deep.equal([0, 30000])
      expect(times(connCheck)).to.deep.equal([40001, 70001])
    })

    it('keeps its timing through an equal options value, and restarts when the interval, party or missed-ping count changes', () => {
      scheduler.run(({ hot, expectObservable }) => {
        const values = { s: options(), i: options({ pingInterval: 20000 }), m: options({ pingInterval: 20000, maxMissedPings: 2 }), r: options({ pingInterval: 20000, maxMissedPings: 2, method: server }) }
        const options$ = hot('- 10s s 9s i 9s m 9s r', values).pipe(startWith(options()))
        const output$ = letters(hot<SocketSignal>('o', signals).pipe(connectivityCheck(options$, scheduler)))
        expectObservable(output$, '^ 50s !').toBe('o', { o: 'o' })
      })
      // Equal options at 10 s change nothing; pingInterval at 19 s and maxMissedPings at 28 s restart at once; the server is responsible from 37 s.
      expect(times(keepAlive)).to.deep.equal([0, 19002, 28003])
    })

    it('starts checking only once the socket has opened, and again on the next open', () => {
      scheduler.run(({ hot, cold, expectObservable }) => {
        const output$ = letters(hot<SocketSignal>('10s o 5s o', signals).pipe(connectivityCheck(cold('a', { a: options({ pingInterval: 10000 }) }), scheduler)))
        expectObservable(output$, '^ 40s !').toBe('10s o 5s o', { o: 'o' })
      })
      expect(times(keepAlive)).to.deep.equal([10000, 15001, 25001, 35001])
    })
  })
})
