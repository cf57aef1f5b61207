import { expect } from 'chai'
import { createStreams } from '../../streams/index.js'
import { captureConsole } from './logs/capture.js'

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
})
