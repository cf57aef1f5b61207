import { expect } from 'chai'
import * as E from 'fp-ts/Either'
import { checkedConfig } from '../../../streams/config/codecs.js'

describe('config codecs', () => {
  const sections = ['logs', 'authentication', 'call', 'connectivity', 'notifications', 'subscription', 'messaging']
  for (const section of sections) {
    for (const bad of [null, 5, 'x', [], true]) {
      it(`refuses ${section}: ${JSON.stringify(bad)} with a BasicError BAD_INPUT naming the section`, () => {
        const result = checkedConfig({ [section]: bad }, 'updateConfig')
        expect(E.isLeft(result)).to.equal(true)
        if (E.isLeft(result)) {
          expect(result.left).to.include({ name: 'BasicError', code: 'BAD_INPUT' })
          expect(result.left.message).to.contain(section)
        }
      })
    }
  }

  const wrongFields: Array<[string, unknown]> = [
    ['logs.logLevel', { logs: { logLevel: 7 } }],
    ['logs.logLevel', { logs: { logLevel: 'verbose' } }],
    ['logs.logActions', { logs: { logActions: 'on' } }],
    ['authentication.server', { authentication: { server: 'localhost' } }],
    ['authentication.server.port', { authentication: { server: { port: {} } } }],
    ['call.iceServers', { call: { iceServers: { urls: 'stun:a' } } }],
    ['call.sdpHandlers', { call: { sdpHandlers: ['not a function'] } }],
    ['call.automaticMediaRestart', { call: { automaticMediaRestart: false } }],
    ['call.automaticMediaRestart.attempts', { call: { automaticMediaRestart: { attempts: -1 } } }],
    ['call.automaticMediaRestart.timeout', { call: { automaticMediaRestart: { timeout: 0 } } }],
    ['connectivity.pingInterval', { connectivity: { pingInterval: 0 } }],
    ['connectivity.reconnectDelay', { connectivity: { reconnectDelay: Number.NaN } }],
    ['connectivity.method', { connectivity: { method: 'carrierPigeon' } }],
    ['notifications.idCacheLength', { notifications: { idCacheLength: -1 } }],
    ['subscription.timeout', { subscription: { timeout: '20' } }],
    ['messaging.smsFrom', { messaging: { smsFrom: 15551234567 } }],
  ]
  for (const [field, values] of wrongFields) {
    it(`refuses a wrong ${field} (${JSON.stringify(values)}) without quoting the value`, () => {
      const result = checkedConfig(values, 'create')
      expect(E.isLeft(result)).to.equal(true)
      if (E.isLeft(result)) expect(result.left.message).to.contain(field.split('.').at(-1)).and.not.contain('verbose').and.not.contain('carrierPigeon')
    })
  }

  it('accepts every documented value, any-case log levels, undefined fields and unknown keys, as they are', () => {
    const handler = () => ({ version: 0 }) as never
    const values = {
      logs: { logLevel: 'WARN', flatten: true, logActions: false, enableFcsLogs: false, enableGrouping: undefined },
      authentication: { server: { base: 'localhost', protocol: 'http', port: '8080', version: 'v1' }, clientCorrelator: 'cid' },
      call: { sdpSemantics: 'plan-b', iceServers: [{ urls: ['stun:a'], username: 'u', credential: 'c' }], sdpHandlers: [handler], normalizeDestination: false, automaticMediaRestart: { enabled: false, attempts: 2 } },
      connectivity: { method: { type: 'pingPong', responsibleParty: 'server' }, pingInterval: 1000, reconnectLimit: 0 },
      notifications: { idCacheLength: 0 },
      subscription: { channelLifetime: 60, timeout: 5, expires: 30 },
      messaging: { smsFrom: '+15551234567' },
      anotherSection: { kept: true },
    }
    const result = checkedConfig(values, 'create')
    expect(result).to.deep.equal(E.right(values))
    if (E.isRight(result)) expect(result.right.call?.sdpHandlers?.[0]).to.equal(handler)
  })
})
