import { expect } from 'chai'
import { createConfig } from '../../../streams/config/feature.js'
import type { UserConfig } from '../../../streams/config/state.js'
import { createLogs } from '../../../streams/logs/feature.js'
import { captureConsole } from './capture.js'

const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl'

const setup = (config: UserConfig = {}) => {
  const capture = captureConsole()
  const configFeature = createConfig(config)
  const logs = createLogs(configFeature, { console: capture.console })
  return { ...capture, config: configFeature, logger: logs.logger('call') }
}

describe('logs', () => {
  describe('levels', () => {
    it('logs everything at the default level, debug, each on its console method', () => {
      const { logger, calls } = setup()
      logger.error('e')
      logger.warn('w')
      logger.info('i')
      logger.debug('d')
      expect(calls.map(({ method, args }) => [method, args[0]])).to.deep.equal([
        ['error', '[kandy-rx:call] e'],
        ['warn', '[kandy-rx:call] w'],
        ['info', '[kandy-rx:call] i'],
        ['debug', '[kandy-rx:call] d'],
      ])
    })

    const expected: Record<string, string[]> = {
      silent: [],
      error: ['error'],
      warn: ['error', 'warn'],
      info: ['error', 'warn', 'info'],
      debug: ['error', 'warn', 'info', 'debug'],
    }
    for (const [level, methods] of Object.entries(expected)) {
      it(`at ${level} outputs ${methods.join(', ') || 'nothing'}`, () => {
        const { logger, calls } = setup({ logs: { logLevel: level as 'debug' } })
        logger.error('e')
        logger.warn('w')
        logger.info('i')
        logger.debug('d')
        logger.action({ type: 'callStarted' }, {}, {})
        expect(calls.filter(({ method }) => method !== 'group' && method !== 'groupEnd').map(({ method }) => method)).to.deep.equal(
          level === 'debug' ? [...methods, 'debug'] : methods,
        )
      })
    }

    it('accepts the level in any case', () => {
      const { logger, calls } = setup({ logs: { logLevel: 'WARN' as 'warn' } })
      logger.info('hidden')
      logger.warn('shown')
      expect(calls.map(({ method }) => method)).to.deep.equal(['warn'])
    })

    it('follows updateConfig at once', () => {
      const { logger, calls, config } = setup({ logs: { logLevel: 'error' } })
      logger.info('before')
      config.update({ logs: { logLevel: 'info' } })
      logger.info('after')
      expect(calls.map(({ args }) => args[0])).to.deep.equal(['[kandy-rx:call] after'])
    })

    it('passes details through as objects', () => {
      const { logger, calls } = setup()
      const detail = { callId: 'c1', state: 'Initiated' }
      logger.info('call made', detail)
      expect(calls[0]!.args).to.deep.equal(['[kandy-rx:call] call made', detail])
    })
  })

  describe('flatten', () => {
    it('outputs one string per line, details as JSON', () => {
      const { logger, calls } = setup({ logs: { flatten: true } })
      logger.info('call made', { callId: 'c1' }, 3, new Error('boom'))
      expect(calls[0]!.args).to.deep.equal(['[kandy-rx:call] call made {"callId":"c1"} 3 {"name":"Error","message":"boom"}'])
    })

    it('flattens action logs too', () => {
      const { logger, calls } = setup({ logs: { flatten: true, logActions: { actionOnly: false } } })
      logger.action({ type: 'callStarted' }, { calls: {} }, { calls: { c1: {} } })
      for (const { args } of calls.filter(({ method }) => method !== 'groupEnd')) {
        expect(args).to.have.length(1)
        expect(args[0]).to.be.a('string')
      }
      expect(calls.map(({ args }) => args[0])).to.include('next state {"calls":{"c1":{}}}')
    })
  })

  describe('action logs', () => {
    it('by default groups the action, showing only its type', () => {
      const { logger, calls } = setup()
      logger.action({ type: 'callStarted', callId: 'c1', to: 'bob@example.com' } as { type: string }, { a: 1 }, { a: 2 })
      expect(calls).to.deep.equal([
        { method: 'group', args: ['[kandy-rx:call] action callStarted'] },
        { method: 'debug', args: ['action', { type: 'callStarted' }] },
        { method: 'groupEnd', args: [] },
      ])
    })

    it('shows the whole event with exposePayloads', () => {
      const { logger, calls } = setup({ logs: { logActions: { exposePayloads: true } } })
      const event = { type: 'callStarted', callId: 'c1' }
      logger.action(event, {}, {})
      expect(calls[1]).to.deep.equal({ method: 'debug', args: ['action', event] })
    })

    it('adds the states before and after when actionOnly is false', () => {
      const { logger, calls } = setup({ logs: { logActions: { actionOnly: false } } })
      logger.action({ type: 'callEnded' }, { state: 'Connected' }, { state: 'Ended' })
      expect(calls.slice(1, 4)).to.deep.equal([
        { method: 'debug', args: ['prev state', { state: 'Connected' }] },
        { method: 'debug', args: ['action', { type: 'callEnded' }] },
        { method: 'debug', args: ['next state', { state: 'Ended' }] },
      ])
    })

    it('adds a diff of the changed keys when asked', () => {
      const { logger, calls } = setup({ logs: { logActions: { diff: true } } })
      logger.action({ type: 'callEnded' }, { c1: { state: 'Connected', to: 'bob' } }, { c1: { state: 'Ended', to: 'bob' } })
      expect(calls[2]).to.deep.equal({
        method: 'debug',
        args: ['diff', [{ kind: 'changed', path: 'c1.state', before: 'Connected', after: 'Ended' }]],
      })
    })

    it('uses a collapsed group when collapsed', () => {
      const { logger, calls } = setup({ logs: { logActions: { collapsed: true } } })
      logger.action({ type: 'x' }, {}, {})
      expect(calls.map(({ method }) => method)).to.deep.equal(['groupCollapsed', 'debug', 'groupEnd'])
    })

    it('does not group without enableGrouping', () => {
      const { logger, calls } = setup({ logs: { enableGrouping: false } })
      logger.action({ type: 'x' }, {}, {})
      expect(calls).to.deep.equal([
        { method: 'debug', args: ['[kandy-rx:call] action x'] },
        { method: 'debug', args: ['action', { type: 'x' }] },
      ])
    })

    it('writes action logs at logActions.level, shown when logLevel allows that level', () => {
      const { logger, calls, config } = setup({ logs: { logLevel: 'info', enableGrouping: false, logActions: { level: 'info' } } })
      logger.action({ type: 'x' }, {}, {})
      expect(calls).to.deep.equal([
        { method: 'info', args: ['[kandy-rx:call] action x'] },
        { method: 'info', args: ['action', { type: 'x' }] },
      ])
      config.update({ logs: { logLevel: 'warn' } })
      logger.action({ type: 'y' }, {}, {})
      config.update({ logs: { logLevel: 'debug', logActions: { level: 'silent' } } })
      logger.action({ type: 'z' }, {}, {})
      expect(calls).to.have.length(2)
    })

    it('outputs nothing when logActions is false, but keeps basic logs', () => {
      const { logger, calls } = setup({ logs: { logActions: false } })
      logger.action({ type: 'x' }, {}, {})
      logger.debug('still here')
      expect(calls.map(({ args }) => args[0])).to.deep.equal(['[kandy-rx:call] still here'])
    })

    it('takes the defaults of flags missing after logActions is turned back on', () => {
      const { logger, calls, config } = setup({ logs: { logActions: false } })
      config.update({ logs: { logActions: { diff: true } } })
      logger.action({ type: 'x', secret: 's' } as { type: string }, { a: 1 }, { a: 2 })
      expect(calls.map(({ args }) => args[0])).to.deep.equal(['[kandy-rx:call] action x', 'action', 'diff', undefined])
      expect(calls[1]!.args[1]).to.deep.equal({ type: 'x' })
    })
  })

  describe('secrets', () => {
    const state = { user: { username: 'bob', accessToken: 'opaque-access', idToken: jwt, password: 'hunter2' } }
    const event = { type: 'tokensSet', accessToken: 'opaque-access', idToken: jwt }

    it('never shows tokens in any line or action log without exposePayloads', () => {
      const { logger, text } = setup({ logs: { logActions: { actionOnly: false, diff: true } } })
      logger.info(`connecting to wss://host/ws?access_token=${jwt}`, state)
      logger.debug('headers', { headers: { Authorization: `Bearer ${jwt}` } })
      logger.error('failed', new Error(`token ${jwt} rejected`))
      logger.warn('token', { nested: [{ access_token: 'opaque-access' }] })
      logger.action(event, {}, state)
      const output = text()
      expect(output).not.to.include(jwt)
      expect(output).not.to.include('eyJ')
      expect(output).not.to.include('opaque-access')
      expect(output).not.to.include('hunter2')
      expect(output).to.include('[REDACTED]')
      expect(output).to.include('bob')
    })

    it('hides a secret that changed in the diff of an action log (a token refreshed, new TURN credentials)', () => {
      const { logger, text } = setup({ logs: { logActions: { diff: true } } })
      const refreshed = { user: { ...state.user, accessToken: 'opaque-newer', password: 'hunter3' }, turnCredentials: { username: 'u1', password: 'turn-newer' } }
      logger.action(event, { ...state, turnCredentials: { username: 'u1', password: 'turn-older' } }, refreshed)
      const output = text()
      for (const secret of ['opaque-access', 'opaque-newer', 'hunter2', 'hunter3', 'turn-older', 'turn-newer']) expect(output).not.to.include(secret)
      expect(output).to.include('user.accessToken')
      expect(output).to.include('turnCredentials.password')
    })

    it('hides tokens in flattened lines too', () => {
      const { logger, text } = setup({ logs: { flatten: true } })
      logger.info('set', state)
      expect(text()).not.to.include(jwt)
      expect(text()).not.to.include('opaque-access')
    })

    it('shows them with exposePayloads', () => {
      const { logger, text } = setup({ logs: { logActions: { exposePayloads: true } } })
      logger.info('set', state)
      logger.action(event, {}, {})
      expect(text()).to.include(jwt)
      expect(text()).to.include('opaque-access')
    })

    it('does not change the objects it logs', () => {
      const { logger } = setup()
      const detail = { accessToken: 'opaque-access' }
      logger.info('set', detail)
      expect(detail.accessToken).to.equal('opaque-access')
    })
  })

  it('never throws when the console does', () => {
    const configFeature = createConfig()
    const broken = new Proxy({} as Parameters<typeof createLogs>[1]['console'], {
      get: () => () => {
        throw new Error('console gone')
      },
    })
    const logger = createLogs(configFeature, { console: broken }).logger('call')
    expect(() => {
      logger.error('e')
      logger.action({ type: 'x' }, {}, {})
    }).not.to.throw()
  })
})
