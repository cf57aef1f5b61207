import { expect } from 'chai'
import { isObservable } from 'rxjs'
import { createCore, createStreams, isBasicError, withPresence } from '../../streams/index.js'
import { captureConsole, settled, useUncaught } from './logs/capture.js'

/** Arguments of the wrong type a JavaScript app may pass (no type checker stops it). */
const hostile: readonly unknown[] = [undefined, null, 42, 'x', {}, [], [null], Object.create(null)]

describe('createStreams', () => {
  it('builds config, environment and logs from the given configuration and environment', () => {
    const { console } = captureConsole()
    const streams = createStreams({ logs: { logLevel: 'info' } }, { console })
    expect(streams.config.current().logs.logLevel).to.equal('info')
    expect(streams.environment.console).to.equal(console)
    streams.dispose()
  })

  it('lets every logger follow config updates', () => {
    const { console, calls } = captureConsole()
    const streams = createStreams({ logs: { logLevel: 'silent' } }, { console })
    const logger = streams.logs.logger('test')
    logger.error('hidden')
    streams.config.update({ logs: { logLevel: 'error' } })
    logger.error('shown')
    expect(calls.map(({ args }) => args[0])).to.deep.equal(['[kandy-rx:test] shown'])
    streams.dispose()
  })

  it('completes the configuration stream on dispose, and dispose can be repeated', () => {
    const streams = createStreams()
    let completed = 0
    streams.config.config$.subscribe({ complete: () => completed++ })
    streams.dispose()
    streams.dispose()
    expect(completed).to.equal(1)
  })

  it('a feature built on a disposed core is disposed at once: its streams complete', () => {
    const core = createCore({ logs: { logLevel: 'silent' } })
    core.dispose()
    let completed = false
    withPresence(core).state$.subscribe({ complete: () => (completed = true) })
    expect(completed).to.equal(true)
  })

  describe('commands called from JavaScript with arguments of the wrong type', () => {
    const uncaught = useUncaught()

    it('throw nothing but a BasicError, and leave every state stream open', async () => {
      const streams = createStreams({ logs: { logLevel: 'silent' }, authentication: { server: { base: '127.0.0.1', port: 9 } } })
      const ended: string[] = []
      type Commanded = { readonly commands: Record<string, (...args: unknown[]) => unknown>; readonly state$: unknown }
      const features = (Object.entries(streams) as [string, unknown][]).filter((entry): entry is [string, Commanded] => typeof entry[1] === 'object' && entry[1] !== null && 'commands' in entry[1])
      for (const [name, feature] of features) {
        if (isObservable(feature.state$)) feature.state$.subscribe({ error: () => ended.push(`${name} errored`), complete: () => ended.push(`${name} completed`) })
      }
      const thrown: string[] = []
      for (const [name, { commands }] of features) {
        for (const [command, run] of Object.entries(commands)) {
          for (const value of hostile) {
            try {
              const result = run(value, value, value)
              if (isObservable(result)) result.subscribe({ error: () => undefined })
            } catch (error) {
              if (!isBasicError(error)) thrown.push(`${name}.${command}: ${String(error)}`)
            }
          }
        }
      }
      await settled()
      expect(thrown).to.deep.equal([])
      expect(uncaught).to.deep.equal([])
      expect(ended).to.deep.equal([])
      streams.dispose()
    })
  })
})
