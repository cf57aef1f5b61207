import { expect } from 'chai'
import { isObservable, map, Subject } from 'rxjs'
import { contained } from '../../streams/contained.js'
import { createStreams } from '../../streams/index.js'
import { captureConsole, settled, useUncaught } from './logs/capture.js'

describe('contained Observables (kandy-rx/streams)', () => {
  const uncaught = useUncaught()

  it("reports an app's subscriber that throws, keeps calling the others, and re-throws nothing", async () => {
    const capture = captureConsole()
    const streams = createStreams({ logs: { logLevel: 'error' } }, { console: capture.console })
    const seen: string[] = []
    streams.config.config$.subscribe(() => {
      throw new Error('app bug')
    })
    streams.config.config$.subscribe({
      next: (config) => {
        seen.push(config.logs.logLevel)
      },
    })
    streams.config.update({ logs: { logLevel: 'warn' } })
    await settled()
    expect(seen).to.deep.equal(['error', 'warn'])
    expect(uncaught).to.deep.equal([])
    expect(capture.calls.filter(({ args }) => String(args[0]).includes('A subscriber threw'))).to.have.length(2)
    streams.dispose()
  })

  it("contains an app's subscriber that throws on every Observable the streams hand out, nested ones (call.quality.quality$) included", async () => {
    const capture = captureConsole()
    const streams = createStreams({ logs: { logLevel: 'error' } }, { console: capture.console })
    const reached: string[] = []
    const visit = (path: string, value: unknown, depth: number): void => {
      if (typeof value !== 'object' || value === null || depth > 2) return
      for (const [key, member] of Object.entries(value)) {
        if (key.endsWith('$') && isObservable(member)) {
          reached.push(`${path}.${key}`)
          member.subscribe(() => {
            throw new Error(`app bug in ${path}.${key}`)
          })
        } else if (key !== 'environment') visit(`${path}.${key}`, member, depth + 1)
      }
    }
    visit('streams', streams, 0)
    await settled()
    expect(reached).to.include.members(['streams.call.calls$', 'streams.call.quality.quality$', 'streams.presence.presence$'])
    expect(uncaught).to.deep.equal([])
    streams.dispose()
  })

  it('passes operators through untouched: unsubscribing a piped subscription unsubscribes from the source', () => {
    const source = new Subject<number>()
    const values: number[] = []
    const subscription = contained(source, () => undefined)
      .pipe(map((value) => value * 2))
      .subscribe((value) => values.push(value))
    source.next(1)
    subscription.unsubscribe()
    source.next(2)
    expect(values).to.deep.equal([2])
    expect(source.observed).to.equal(false)
  })
})
