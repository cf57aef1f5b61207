import { expect } from 'chai'
import { deepMerge, defaultConfig, mergeConfig, type SdpHandlerFunction, type UserConfig } from '../../../streams/config/state.js'

describe('config state', () => {
  describe('documented defaults (api-reference "config")', () => {
    const cases: Array<[string, unknown, unknown]> = [
      ['logs.logLevel', defaultConfig.logs.logLevel, 'debug'],
      ['logs.flatten', defaultConfig.logs.flatten, false],
      ['logs.logActions', defaultConfig.logs.logActions, { level: 'debug', actionOnly: true, collapsed: false, diff: false, exposePayloads: false }],
      ['logs.enableFcsLogs', defaultConfig.logs.enableFcsLogs, true],
      ['logs.enableGrouping', defaultConfig.logs.enableGrouping, true],
      ['authentication.server.base', defaultConfig.authentication.server.base, undefined],
      ['authentication.server.protocol', defaultConfig.authentication.server.protocol, 'https'],
      ['authentication.server.port', defaultConfig.authentication.server.port, 443],
      ['authentication.server.version', defaultConfig.authentication.server.version, 'v1'],
      ['authentication.clientCorrelator', defaultConfig.authentication.clientCorrelator, undefined],
      ['call.sdpSemantics', defaultConfig.call.sdpSemantics, 'unified-plan'],
      ['call.iceServers', defaultConfig.call.iceServers, undefined],
      ['call.serverTurnCredentials', defaultConfig.call.serverTurnCredentials, true],
      ['call.sdpHandlers', defaultConfig.call.sdpHandlers, []],
      ['call.removeH264Codecs', defaultConfig.call.removeH264Codecs, true],
      ['connectivity.method', defaultConfig.connectivity.method, { type: 'keepAlive', responsibleParty: 'client' }],
      ['connectivity.pingInterval', defaultConfig.connectivity.pingInterval, 30000],
      ['connectivity.reconnectLimit', defaultConfig.connectivity.reconnectLimit, 5],
      ['connectivity.reconnectDelay', defaultConfig.connectivity.reconnectDelay, 5000],
      ['connectivity.reconnectTimeMultiplier', defaultConfig.connectivity.reconnectTimeMultiplier, 1],
      ['connectivity.reconnectTimeLimit', defaultConfig.connectivity.reconnectTimeLimit, 640000],
      ['connectivity.autoReconnect', defaultConfig.connectivity.autoReconnect, true],
      ['connectivity.maxMissedPings', defaultConfig.connectivity.maxMissedPings, 3],
      // The original SDK's code default (its documentation says false).
      ['connectivity.checkConnectivity', defaultConfig.connectivity.checkConnectivity, true],
      ['call.normalizeDestination', defaultConfig.call.normalizeDestination, true],
      ['call.trickleIceMode', defaultConfig.call.trickleIceMode, 'NONE'],
      ['messaging.features', defaultConfig.messaging.features, ['base', 'history', 'rich', 'parts', 'isTyping']],
      ['notifications.idCacheLength', defaultConfig.notifications.idCacheLength, 100],
      ['subscription.channelLifetime', defaultConfig.subscription.channelLifetime, 3600],
      ['subscription.timeout', defaultConfig.subscription.timeout, 20],
    ]
    for (const [path, actual, expected] of cases) {
      it(`${path} defaults to ${JSON.stringify(expected) ?? 'undefined'}`, () => {
        expect(actual).to.deep.equal(expected)
      })
    }
  })

  describe('mergeConfig', () => {
    it('merges nested objects, keeping the siblings of what changed', () => {
      const merged = mergeConfig(defaultConfig, { authentication: { server: { base: 'localhost', port: 8443 } } })
      expect(merged.authentication.server).to.deep.equal({ base: 'localhost', protocol: 'https', port: 8443, version: 'v1' })
      expect(merged.logs).to.equal(defaultConfig.logs)
    })

    it('replaces arrays instead of merging them', () => {
      const first = mergeConfig(defaultConfig, { call: { iceServers: [{ urls: 'turn:a' }, { urls: 'turn:b' }] } })
      const second = mergeConfig(first, { call: { iceServers: [{ urls: 'stun:c' }] } })
      expect(second.call.iceServers).to.deep.equal([{ urls: 'stun:c' }])
    })

    it('keeps SDP handler functions as they are', () => {
      const handler: SdpHandlerFunction = (sdp) => sdp
      expect(mergeConfig(defaultConfig, { call: { sdpHandlers: [handler] } }).call.sdpHandlers[0]).to.equal(handler)
    })

    it('accepts connectivity.method as a string', () => {
      const merged = mergeConfig(defaultConfig, { connectivity: { method: 'pingPong' } })
      expect(merged.connectivity.method).to.deep.equal({ type: 'pingPong', responsibleParty: 'client' })
    })

    it('merges connectivity.method given as an object', () => {
      const merged = mergeConfig(defaultConfig, { connectivity: { method: { responsibleParty: 'server' } } })
      expect(merged.connectivity.method).to.deep.equal({ type: 'keepAlive', responsibleParty: 'server' })
    })

    it('ignores undefined values', () => {
      expect(mergeConfig(defaultConfig, { logs: { logLevel: undefined } }).logs.logLevel).to.equal('debug')
    })

    it('lets logActions be turned off with false', () => {
      expect(mergeConfig(defaultConfig, { logs: { logActions: false } }).logs.logActions).to.equal(false)
    })

    it('does not modify the configuration it merges into', () => {
      const before = JSON.stringify(defaultConfig)
      mergeConfig(defaultConfig, { logs: { logLevel: 'warn' }, connectivity: { method: 'pingPong' } })
      expect(JSON.stringify(defaultConfig)).to.equal(before)
    })
  })
})

describe('mergeConfig, edge cases', () => {
  it('turns action logs back on from false with the documented defaults for the flags not given', () => {
    const off = mergeConfig(defaultConfig, { logs: { logActions: false } })
    const on = mergeConfig(off, { logs: { logActions: { diff: true } } })
    expect(on.logs.logActions).to.deep.equal({ level: 'debug', actionOnly: true, collapsed: false, diff: true, exposePayloads: false })
  })

  it('returns a configuration that cannot be changed behind the SDK', () => {
    const config = mergeConfig(defaultConfig, { logs: { logLevel: 'warn' } })
    expect(() => {
      ;(config.logs as { logLevel: string }).logLevel = 'debug'
    }).to.throw(TypeError)
    expect(config.logs.logLevel).to.equal('warn')
  })

  it('leaves the application its own arrays unfrozen', () => {
    const iceServers = [{ urls: 'stun:127.0.0.1:3478' }]
    const config = mergeConfig(defaultConfig, { call: { iceServers } })
    expect(config.call.iceServers).to.equal(iceServers)
    expect(Object.isFrozen(iceServers)).to.equal(false)
  })

  it('keeps the other connectivity values given with a method string', () => {
    const merged = mergeConfig(defaultConfig, { connectivity: { method: 'pingPong', pingInterval: 1000 } })
    expect(merged.connectivity).to.include({ pingInterval: 1000 })
    expect(merged.connectivity.method).to.deep.equal({ type: 'pingPong', responsibleParty: 'client' })
  })

  it('keeps action logs off when an update does not name them, and keeps earlier flags when they were on', () => {
    const off = mergeConfig(defaultConfig, { logs: { logActions: false } })
    expect(mergeConfig(off, { logs: { logLevel: 'warn' } }).logs.logActions).to.equal(false)
    const on = mergeConfig(defaultConfig, { logs: { logActions: { diff: true } } })
    expect(mergeConfig(on, { logs: { logActions: { collapsed: true } } }).logs.logActions).to.include({ diff: true, collapsed: true })
  })

  it('takes a __proto__ key as data: the object given is the value and the prototype is untouched', () => {
    const update = JSON.parse('{"logs":{"__proto__":{"polluted":true}}}') as { logs: Record<string, unknown> }
    const merged = mergeConfig(defaultConfig, update as UserConfig)
    expect(Object.getPrototypeOf(merged.logs)).to.equal(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(merged.logs, '__proto__')?.value).to.deep.equal({ polluted: true })
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined)
  })

  it('copies the application\'s own objects, under any key: they stay the app\'s to change, and changing them changes no config', () => {
    const mine = { level: 1, nested: { deep: true } }
    const merged = mergeConfig(defaultConfig, { extra: mine } as UserConfig) as unknown as { extra: typeof mine }
    expect(Object.isFrozen(mine)).to.equal(false)
    expect(Object.isFrozen(mine.nested)).to.equal(false)
    mine.level = 2
    mine.nested.deep = false
    expect(merged.extra).to.deep.equal({ level: 1, nested: { deep: true } })
    expect(Object.isFrozen(merged.extra.nested)).to.equal(true)
  })

  it('takes an object that refers to itself, as often as it is given', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic['self'] = cyclic
    const once = mergeConfig(defaultConfig, { extra: cyclic } as UserConfig)
    const twice = mergeConfig(once, { extra: cyclic } as UserConfig) as unknown as { extra: { name: string; self: { name: string; self: unknown } } }
    expect(twice.extra.name).to.equal('loop')
    expect(twice.extra.self.name).to.equal('loop')
    expect(Object.isFrozen(cyclic)).to.equal(false)
  })
})

describe('deepMerge', () => {
  it('keeps the base for an undefined update and takes any other non-object update as it is', () => {
    const base = { a: 1 }
    expect(deepMerge(base, undefined)).to.equal(base)
    expect(deepMerge(base, null)).to.equal(null)
    expect(deepMerge(base, [2])).to.deep.equal([2])
  })

  it('returns an ordinary object whose merged fields can be changed', () => {
    const merged = deepMerge<Record<string, number>>({ a: 1 }, { a: 2 })
    merged['a'] = 3
    expect(merged).to.deep.equal({ a: 3 })
  })
})
