import { expect } from 'chai'
import { BasicError, create, errorCodes, isBasicError, levels, sdpHandlers } from '../../lib/index.js'
import { defaultConfig } from '../../streams/config/state.js'

describe('create', () => {
  it('returns a client whose getConfig() holds every documented default', () => {
    const client = create()
    expect(client.getConfig()).to.deep.equal(defaultConfig)
    client.dispose()
  })

  it('merges the given configuration over the defaults', () => {
    const client = create({ authentication: { server: { base: 'localhost' }, clientCorrelator: 'cid' }, connectivity: { method: 'pingPong' } })
    const config = client.getConfig()
    expect(config.authentication).to.deep.equal({ server: { base: 'localhost', protocol: 'https', port: 443, version: 'v1' }, clientCorrelator: 'cid' })
    expect(config.connectivity.method).to.deep.equal({ type: 'pingPong', responsibleParty: 'client' })
    expect(config.connectivity.pingInterval).to.equal(30000)
    client.dispose()
  })

  for (const bad of [null, 'config', 42, [], true]) {
    it(`throws a BasicError BAD_INPUT for a configuration ${JSON.stringify(bad)}`, () => {
      let thrown: unknown
      try {
        create(bad as never)
      } catch (error) {
        thrown = error
      }
      expect(thrown).to.be.instanceOf(BasicError)
      expect(thrown).to.include({ name: 'BasicError', code: 'BAD_INPUT' })
    })
  }

  it('throws a BasicError BAD_INPUT for an environment that is not an object', () => {
    expect(() => create({}, 'window' as never)).to.throw(BasicError).with.property('code', 'BAD_INPUT')
  })

  describe('updateConfig', () => {
    it('merges nested objects, replaces arrays, and getConfig() shows the result', () => {
      const client = create({ call: { iceServers: [{ urls: 'turn:a' }] } })
      client.updateConfig({ call: { iceServers: [{ urls: 'stun:b' }] }, logs: { logLevel: levels.WARN }, connectivity: { method: 'pingPong' } })
      const config = client.getConfig()
      expect(config.call.iceServers).to.deep.equal([{ urls: 'stun:b' }])
      expect(config.call.removeH264Codecs).to.equal(true)
      expect(config.logs).to.deep.include({ logLevel: 'warn', flatten: false })
      expect(config.connectivity.method).to.deep.equal({ type: 'pingPong', responsibleParty: 'client' })
      client.dispose()
    })

    for (const section of ['logs', 'authentication', 'call', 'connectivity', 'notifications', 'subscription', 'messaging']) {
      it(`refuses ${section}: null, 5, "x", [] with a logged BasicError BAD_INPUT, leaving the config and the client working`, () => {
        const logged: unknown[][] = []
        const quiet = () => undefined
        const console = { debug: quiet, info: quiet, warn: quiet, log: quiet, group: quiet, groupCollapsed: quiet, groupEnd: quiet, error: (...args: unknown[]) => void logged.push(args) }
        const client = create({ logs: { logLevel: 'error' } }, { console })
        const before = client.getConfig()
        for (const bad of [null, 5, 'x', []]) {
          expect(() => client.updateConfig({ [section]: bad } as never)).to.throw(BasicError).with.property('code', 'BAD_INPUT')
        }
        expect(client.getConfig()).to.equal(before)
        expect(logged.some((line) => line.some((part) => typeof part === 'string' && part.includes('[kandy-rx:config] updateConfig refused its values')))).to.equal(true)
        client.updateConfig({ logs: { logLevel: 'silent' } })
        expect(client.getConfig().logs.logLevel).to.equal('silent')
        expect(() => client.dispose()).not.to.throw()
      })
    }

    it('refuses a configuration with a bad section at create with a BasicError BAD_INPUT', () => {
      expect(() => create({ logs: null } as never)).to.throw(BasicError).with.property('code', 'BAD_INPUT')
      expect(() => create({ connectivity: { pingInterval: 'soon' } } as never)).to.throw(BasicError).with.property('code', 'BAD_INPUT')
    })

    it('throws a BasicError BAD_INPUT for values that are not an object', () => {
      const client = create()
      expect(() => client.updateConfig('x' as never)).to.throw(BasicError).with.property('code', 'BAD_INPUT')
      client.dispose()
    })
  })

  it('exposes the documented logger levels', () => {
    const client = create()
    expect(client.logger.levels).to.deep.equal({ SILENT: 'silent', ERROR: 'error', WARN: 'warn', INFO: 'info', DEBUG: 'debug' })
    client.dispose()
  })

  it('throws the documented event API errors', () => {
    const client = create()
    expect(() => client.on('dummy:event' as never, () => undefined)).to.throw('Invalid event type')
    expect(() => client.off('dummy:event' as never, () => undefined)).to.throw('Invalid event type')
    expect(() => client.on('call:start', 'x' as never)).to.throw('Listener not a function')
    expect(() => client.subscribe(undefined as never)).to.throw('Listener not a function')
    expect(() => client.unsubscribe(undefined as never)).to.throw('Listener not a function')
    client.dispose()
  })

  it('getBrowserDetails() reports "Not a browser." in Node without throwing', () => {
    const client = create()
    expect(client.getBrowserDetails()).to.deep.equal({ browser: 'Not a browser.', version: null })
    client.dispose()
  })

  it('dispose() drops the events still waiting for delivery: no listener hears of them', async () => {
    const client = create({ logs: { logLevel: 'silent' } })
    const heard: string[] = []
    client.on('contacts:error', () => heard.push('contacts:error'))
    client.subscribe((type) => heard.push(type))
    client.contacts.remove('') // refused at once: contacts:error waits for the next microtask
    client.dispose()
    await Promise.resolve()
    expect(heard).to.deep.equal([])
  })

  it('dispose() in a listener: no other listener hears of that event or any later one', async () => {
    const client = create({ logs: { logLevel: 'silent' } })
    const heard: string[] = []
    client.on('contacts:error', () => {
      heard.push('first')
      client.dispose()
    })
    client.on('contacts:error', () => heard.push('second'))
    client.subscribe((type) => heard.push(type))
    client.contacts.remove('') // refused at once: contacts:error waits for the next microtask
    await new Promise((resolve) => setTimeout(resolve))
    expect(heard).to.deep.equal(['first'])

    // The same from a subscribe-listener: the global listeners after it are not called either.
    const other = create({ logs: { logLevel: 'silent' } })
    const globals: string[] = []
    other.subscribe(() => {
      globals.push('first')
      other.dispose()
    })
    other.subscribe(() => globals.push('second'))
    other.contacts.remove('')
    await new Promise((resolve) => setTimeout(resolve))
    expect(globals).to.deep.equal(['first'])
  })

  it('dispose() and destroy() can be called repeatedly', () => {
    const client = create()
    client.dispose()
    expect(() => {
      client.destroy()
      client.dispose()
    }).not.to.throw()
  })

  it('exports sdpHandlers with createCodecRemover', () => {
    expect(sdpHandlers.createCodecRemover).to.be.a('function')
    expect(sdpHandlers.createCodecRemover(['VP8'])).to.be.a('function')
  })
})

describe('BasicError', () => {
  it('defaults to code NO_CODE and message "An error occured"', () => {
    const error = new BasicError()
    expect(error).to.include({ name: 'BasicError', code: 'NO_CODE', message: 'An error occured' })
    expect(error).to.be.instanceOf(Error)
    expect(isBasicError(error)).to.equal(true)
  })

  it('keeps the given code and message, and serialises as { name, code, message }', () => {
    const error = new BasicError(errorCodes.call.INVALID_STATE, 'Call is not in a state to be answered')
    expect(JSON.parse(JSON.stringify(error))).to.deep.equal({ name: 'BasicError', code: 'call:6', message: 'Call is not in a state to be answered' })
  })

  it('recognises a BasicError made by another copy of the SDK', () => {
    expect(isBasicError({ name: 'BasicError', code: 'x', message: 'y' })).to.equal(true)
    expect(isBasicError(new Error('x'))).to.equal(false)
  })

  it('exports the error code catalogue', () => {
    expect(errorCodes.subscription.CPAAS_WSREQUEST_FAIL).to.equal('subscription:2')
    expect(errorCodes.users.DIRECTORY_REQUEST_FAIL).to.equal('users:3')
    expect(errorCodes.general).to.deep.equal({ BAD_INPUT: 'BAD_INPUT', NO_CODE: 'NO_CODE' })
  })
})
