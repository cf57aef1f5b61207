import { expect } from 'chai'
import * as E from 'fp-ts/Either'
import { NEVER, Subject, concat, defer, ignoreElements, of, tap, throwError, timer, type Observable } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { createConfig, type ConfigFeature } from '../../../streams/config/feature.js'
import type { UserConfig } from '../../../streams/config/state.js'
import type { AuthUser, RequestSpec } from '../../../streams/connection/link.js'
import { withHttpStatus } from '../../../streams/connection/request.js'
import type { ConnectionEvent } from '../../../streams/connection/state.js'
import { createEnvironment, type Environment } from '../../../streams/environment.js'
import { BasicError } from '../../../streams/errors.js'
import { createLogs } from '../../../streams/logs/feature.js'
import { createSubscription, requestedServices } from '../../../streams/subscription/feature.js'
import { captureConsole } from '../logs/capture.js'
import type { SubscriptionEvent } from '../../../streams/subscription/state.js'

// The subscription feature in virtual time. The platform is played by a scripted link (each
// request answers with a cold Observable the spec chooses) and the socket by a scripted
// connection: only the timing here cannot be produced for real without waiting; the same
// flows run against the real local platform in spec/integration/connection/.

const user: AuthUser = { username: 'alice@example.com', identity: 'alice@example.com', domain: 'example.com', accessToken: 'a', idToken: 'i' }


type Platform = (spec: RequestSpec<unknown>) => Observable<unknown>
/** Answers one request; `platform` answers as the scripted platform normally does. */
type Responder = (spec: RequestSpec<unknown>, platform: Platform) => Observable<unknown>

const label = (event: SubscriptionEvent): string => {
  switch (event.type) {
    case 'servicesSubscribed':
      return `subscribed[${event.subscriptions.map((s) => s.service).join(',')}] failed[${event.failed.map((f) => f.service).join(',')}]`
    case 'servicesUnsubscribed':
      return `unsubscribed[${event.services.join(',')}]${event.channelDeleted ? ' channel deleted' : ''}`
    case 'operationFailed':
    case 'requestRejected':
      return `${event.type} ${event.operation} ${String(event.error.code)}${event.type === 'operationFailed' && event.channelDropped ? ' channel dropped' : ''}`
    case 'channelRefreshed':
      return `refreshed${event.attemptNum}/${event.lifetime}`
    case 'channelRefreshFailed':
      return `refreshFailed${event.attemptNum} ${String(event.error.code)}`
    case 'channelCreated':
    case 'channelReplaced':
      return `${event.type} ${event.channel.id}${event.type === 'channelReplaced' ? ` [${event.subscriptions.map((s) => s.service).join(',')}]` : ''}`
    case 'channelLost':
      return `channelLost ${String(event.error.code)}`
    default:
      return event.type
  }
}

describe('streams/subscription/feature', () => {
  let scheduler: TestScheduler
  let requests: string[]
  let seen: string[]
  let connects: string[]
  let connectionEvents: Subject<ConnectionEvent>
  let config: ConfigFeature

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected)
    })
    requests = []
    seen = []
    connects = []
    connectionEvents = new Subject()
  })

  /**
   * A feature over a scripted platform and socket; the socket opens 5 ms after `connect` unless `socket` says otherwise.
   * Its configuration is left in `config`; it logs to `console` when given one.
   */
  const make = (options: { respond?: Responder; config?: UserConfig; socket?: () => Observable<void>; until?: number; console?: Environment['console'] } = {}) => {
    config = createConfig({ logs: { logLevel: 'silent' }, authentication: { server: { base: 'platform.test' }, clientCorrelator: 'cid' }, ...options.config })
    const normal = shaped()
    const answer: Platform = (spec) => (options.respond === undefined ? normal(spec) : options.respond(spec, normal))
    let open: string | undefined
    const feature = createSubscription({
      config,
      environment: { scheduler },
      logs: createLogs(config, createEnvironment(options.console === undefined ? {} : { console: options.console })),
      link: {
        user: () => user,
        request: <A>(spec: RequestSpec<A>): Observable<A> =>
          defer(() => {
            requests.push(`${scheduler.now()} ${spec.method} ${spec.path.replace('/cpaas/', '')}`)
            return answer(spec as RequestSpec<unknown>) as Observable<A>
          }),
      },
      connection: {
        commands: {
          connect: (channelURL) =>
            defer(() => {
              if (open === channelURL) return of(undefined)
              connects.push(`${scheduler.now()} connect ${channelURL}`)
              return (options.socket?.() ?? scheduler.createColdObservable<void>('5ms (o|)', { o: undefined })).pipe(tap(() => (open = channelURL)))
            }),
          disconnect: () => {
            open = undefined
            connects.push(`${scheduler.now()} disconnect`)
          },
        },
        events$: connectionEvents,
      },
    })
    // TURN credentials have their own specs below; every other event is recorded with its time.
    feature.events$.subscribe((event) => event.type !== 'turnCredentialsReceived' && seen.push(`${scheduler.now()} ${label(event)}`))
    scheduler.schedule(() => feature.dispose(), options.until ?? 100_000)
    return feature
  }

  /** Runs `script` in virtual time on a feature made with `options`; returns the feature. */
  const played = (script: (feature: ReturnType<typeof make>) => void, options: Parameters<typeof make>[0] = {}): ReturnType<typeof make> => {
    let feature!: ReturnType<typeof make>
    scheduler.run(() => {
      feature = make(options)
      script(feature)
    })
    return feature
  }

  /**
   * The scripted platform: answers shaped as the wire codecs want (decoded with the request's
   * own codec, as the real request layer does), 10 ms after each request.
   */
  const shaped = (): Platform => {
    let channels = 0
    return (spec) => {
      const path = spec.path
      const value = ((): unknown => {
        if (spec.method === 'POST' && path.endsWith('/channels')) {
          channels += 1
          const id = `ch${channels}`
          return { notificationChannel: { callbackURL: `cb-${id}`, channelData: { channelURL: `/ws/${id}` }, resourceURL: `${path}/${id}` } }
        }
        if (spec.method === 'PUT') return {}
        if (spec.method === 'DELETE') return undefined
        if (path.endsWith('/turn')) return { wrtcsTurnCredentials: { username: 'u', password: 'p' } }
        if (spec.method === 'GET' && path.endsWith('/presenceLists')) return { presenceListCollection: { presenceList: [] } }
        if (spec.method === 'POST' && path.endsWith('/presenceLists')) return { presenceList: { resourceURL: `${path}/list1` } }
        if (path.includes('presenceListSubscriptions')) return { presenceListSubscription: { resourceURL: `${path}/presence-sub`, presenceListId: 'list1' } }
        const service = path.includes('webrtcsignaling') ? 'call' : path.includes('/chat/') ? 'chat' : 'smsinbound'
        const resource = { callbackReference: { notifyURL: 'cb' }, resourceURL: `${path}/${service}-sub` }
        return service === 'call' ? { wrtcsNotificationSubscription: resource } : service === 'chat' ? { chatNotificationSubscription: resource } : { subscription: resource }
      })()
      const decoded = spec.response === undefined ? E.right(undefined) : spec.response.decode(value)
      if (E.isLeft(decoded)) return throwError(() => new Error(`the scripted answer for ${path} does not decode`))
      return scheduler.createColdObservable('10ms (r|)', { r: decoded.right })
    }
  }

  it('subscribes each service in parallel on a new channel, then ends with servicesSubscribed', () => {
    played((feature) => feature.commands.subscribe(['Call', 'chat', 'presence', 'smsinbound', 'call']))
    expect(seen.slice(0, 3)).to.deep.equal(['0 operationStarted', '10 channelCreated ch1', '45 subscribed[call,chat,presence,smsinbound] failed[]'])
    expect(requests.slice(0, 8)).to.deep.equal([
      `0 POST notificationchannel/v1/alice@example.com/channels`,
      '15 POST webrtcsignaling/v1/alice@example.com/subscriptions',
      '15 POST chat/v1/alice@example.com/subscriptions',
      '15 GET presence/v1/alice@example.com/presenceLists',
      '15 POST smsmessaging/v1/alice@example.com/inbound/subscriptions',
      '25 POST webrtcsignaling/v1/alice@example.com/turn',
      '25 POST presence/v1/alice@example.com/presenceLists',
      '35 POST presence/v1/alice@example.com/subscriptions/presenceListSubscriptions/list1',
    ])
    expect(connects).to.deep.equal(['10 connect /ws/ch1'])
  })

  it('bounds the request by subscription.timeout: a service still unanswered is simply not subscribed', () => {
    const respond: Responder = (spec, platform) => (spec.path.includes('/chat/') ? NEVER : platform(spec))
    played((feature) => feature.commands.subscribe(['call', 'chat']), { respond, config: { subscription: { timeout: 3 } } })
    expect(seen.slice(0, 3)).to.deep.equal(['0 operationStarted', '10 channelCreated ch1', '3000 subscribed[call] failed[chat]'])
  })

  it('fails with subscription:2 when the channel is not created within subscription.timeout', () => {
    played((feature) => feature.commands.subscribe(['chat']), { respond: (spec, platform) => (spec.method === 'POST' ? NEVER : platform(spec)), config: { subscription: { timeout: 5 } } })
    expect(seen).to.deep.equal(['0 operationStarted', '5000 operationFailed subscribe subscription:2'])
  })

  it('fails with subscription:1, closes the socket and deletes the channel when the socket does not open in time', () => {
    played((feature) => feature.commands.subscribe(['chat']), { socket: () => NEVER, config: { subscription: { timeout: 4 } } })
    expect(seen.slice(0, 3)).to.deep.equal(['0 operationStarted', '10 channelCreated ch1', '4000 operationFailed subscribe subscription:1 channel dropped'])
    expect(connects).to.deep.equal(['10 connect /ws/ch1', '4000 disconnect'])
    expect(requests).to.include('4000 DELETE notificationchannel/v1/alice@example.com/channels/ch1')
  })

  it('reports a socket that failed to open with its error and drops the channel', () => {
    const error = new BasicError('subscription:1', 'WebSocket could not be opened: every attempt failed')
    played((feature) => feature.commands.subscribe(['chat']), { socket: () => throwError(() => error) })
    expect(seen.slice(0, 3)).to.deep.equal(['0 operationStarted', '10 channelCreated ch1', '10 operationFailed subscribe subscription:1 channel dropped'])
  })

  it('queues requests: the next one starts when the previous one ended', () => {
    played((feature) => {
      feature.commands.subscribe(['chat'])
      feature.commands.subscribe(['call'])
      feature.commands.unsubscribe(['chat'])
    })
    expect(seen.slice(0, 7)).to.deep.equal([
      '0 operationStarted',
      '10 channelCreated ch1',
      '25 subscribed[chat] failed[]',
      '25 operationStarted',
      '35 subscribed[call] failed[]',
      '35 operationStarted',
      '45 unsubscribed[chat]',
    ])
  })

  it('subscribes on the channel it holds only the services not subscribed yet', () => {
    played((feature) => {
      feature.commands.subscribe(['chat'])
      feature.commands.subscribe(['chat', 'call'])
    })
    expect(seen.slice(0, 5)).to.deep.equal(['0 operationStarted', '10 channelCreated ch1', '25 subscribed[chat] failed[]', '25 operationStarted', '35 subscribed[call] failed[]'])
    expect(requests.filter((request) => request.startsWith('25 '))).to.deep.equal(['25 POST webrtcsignaling/v1/alice@example.com/subscriptions'])
  })

  it('removes only the named services; the last one closes the socket and deletes the channel', () => {
    const feature = played((feature) => {
      feature.commands.subscribe(['chat', 'call'])
      scheduler.schedule(() => feature.commands.unsubscribe(['CHAT']), 100)
      scheduler.schedule(() => expect(feature.subscriptions().subscribed).to.deep.equal(['call']), 200)
      scheduler.schedule(() => feature.commands.unsubscribe(['call']), 300)
    })
    expect(seen.filter((line) => line.includes('unsubscribed'))).to.deep.equal(['110 unsubscribed[chat]', '320 unsubscribed[call] channel deleted'])
    expect(requests.filter((line) => line.includes('DELETE'))).to.deep.equal([
      '100 DELETE chat/v1/alice@example.com/subscriptions/chat-sub',
      '300 DELETE webrtcsignaling/v1/alice@example.com/subscriptions/call-sub',
      '310 DELETE notificationchannel/v1/alice@example.com/channels/ch1',
    ])
    expect(connects).to.deep.equal(['10 connect /ws/ch1', '310 disconnect'])
    expect(feature.current().channel).to.equal(undefined)
  })

  it('warns about the unknown services it drops from a request', () => {
    const warned: unknown[][] = []
    const { warn } = console
    console.warn = (...args: unknown[]) => void warned.push(args)
    try {
      played((feature) => feature.commands.subscribe(['chat', 'fax']), { config: { logs: { logLevel: 'warn' } } })
    } finally {
      console.warn = warn
    }
    expect(warned.map((args) => String(args[0]))).to.include('[kandy-rx:subscription] services.subscribe: unknown services dropped from [chat, fax]')
  })

  it('refuses bad requests with a BAD_INPUT BasicError (never a bare boolean)', () => {
    played((feature) => {
      feature.commands.subscribe([])
      feature.commands.subscribe('chat' as never) // bad input, as an app without types may pass it
      feature.commands.subscribe(['sms', 'smsoutbound'])
      feature.commands.subscribe(['chat'], 'push')
      feature.commands.unsubscribe(['chat'])
    })
    expect(seen).to.deep.equal([
      '0 requestRejected subscribe BAD_INPUT',
      '0 requestRejected subscribe BAD_INPUT',
      '0 requestRejected subscribe BAD_INPUT',
      '0 requestRejected subscribe BAD_INPUT',
      '0 requestRejected unsubscribe BAD_INPUT',
    ])
    expect(requests).to.deep.equal([])
  })

  it('names the services of a request: lowercased, known ones only, each once', () => {
    expect(requestedServices('subscribe', ['Chat', 'PRESENCE', 'bogus', 7, 'chat'])).to.deep.equal({ _tag: 'Right', right: ['chat', 'presence'] })
    const empty = requestedServices('subscribe', [])
    expect(empty._tag === 'Left' && [empty.left.code, empty.left.message]).to.deep.equal(['BAD_INPUT', 'services.subscribe: no services given; available: call, chat, smsinbound, presence'])
  })

  it('refreshes the channel at half its granted lifetime and reports each attempt', () => {
    const respond: Responder = (spec, platform) => {
      if (spec.method !== 'PUT') return platform(spec)
      return requests.filter((line) => line.includes(' PUT ')).length === 2
        ? throwError(() => new BasicError('subscription:4', 'Refresh notification channel request failed: Unauthorized'))
        : scheduler.createColdObservable('10ms (g|)', { g: { notificationChannelLifetime: { channelLifetime: 600 } } })
    }
    played((feature) => feature.commands.subscribe(['chat']), { respond, config: { subscription: { channelLifetime: 1200 } }, until: 2_000_000 })
    // Created at 10 ms for 1200 s: PUT at 600.01 s, 600 s granted; PUT at 900.02 s fails; again at half of the 300 s left.
    expect(seen.filter((line) => line.includes('refresh')).slice(0, 4)).to.deep.equal([
      '600020 refreshed1/600',
      '900020 refreshFailed1 subscription:4',
      '1050030 refreshed2/600',
      '1350040 refreshed1/600',
    ])
  })

  it('replaces a channel the platform lost (404 on refresh) and subscribes its services again', () => {
    const respond: Responder = (spec, platform) =>
      spec.method === 'PUT' ? throwError(() => withHttpStatus(new BasicError('SVC0004', 'No such channel'), 404)) : platform(spec)
    played((feature) => feature.commands.subscribe(['chat', 'call']), { respond, config: { subscription: { channelLifetime: 100 } }, until: 60_000 })
    expect(seen.filter((line) => !line.includes('operation'))).to.deep.equal([
      '10 channelCreated ch1',
      '25 subscribed[chat,call] failed[]',
      '50010 refreshFailed1 SVC0004',
      '50035 channelReplaced ch2 [chat,call]',
    ])
    expect(connects).to.deep.equal(['10 connect /ws/ch1', '50010 disconnect', '50020 connect /ws/ch2'])
  })

  it('asks the platform whether the channel exists when a reconnection attempt fails, and replaces it if not', () => {
    const respond: Responder = (spec, platform) =>
      spec.method === 'PUT' ? scheduler.createColdObservable('10ms #', undefined, withHttpStatus(new BasicError('SVC0004', 'gone'), 404)) : platform(spec)
    played((feature) => {
      feature.commands.subscribe(['smsinbound'])
      scheduler.schedule(() => connectionEvents.next({ type: 'attemptFailed', failures: 1, delay: 5000, error: new BasicError('subscription:1', 'refused') }), 1000)
    }, { respond })
    expect(seen.filter((line) => line.includes('channel'))).to.deep.equal(['10 channelCreated ch1', '1035 channelReplaced ch2 [smsinbound]'])
  })

  it('keeps a channel the platform still answers for, asking once per running check, and reports a refresh failing without a code as subscription:4', () => {
    const respond: Responder = (spec, platform) =>
      spec.method === 'PUT' ? scheduler.createColdObservable('10ms #', undefined, new Error('down')) : platform(spec)
    const error = new BasicError('subscription:1', 'refused')
    played((feature) => {
      feature.commands.subscribe(['smsinbound'])
      scheduler.schedule(() => connectionEvents.next({ type: 'attemptFailed', failures: 1, delay: 5000, error }), 1000)
      scheduler.schedule(() => connectionEvents.next({ type: 'attemptFailed', failures: 2, delay: 5000, error }), 1005)
    }, { respond, config: { subscription: { channelLifetime: 100 } }, until: 60_000 })
    expect(requests.filter((line) => line.includes(' PUT ')).map((line) => line.split(' ')[0])).to.deep.equal(['1000', '50010'])
    expect(seen.filter((line) => line.includes('channel') || line.includes('refresh'))).to.deep.equal([
      '10 channelCreated ch1',
      '50020 refreshFailed1 subscription:4',
    ])
  })

  it('asks only when a reconnection attempt failed, not when the socket is lost, reconnects or opens again', () => {
    scheduler.run(() => {
      make({}).commands.subscribe(['chat'])
      const error = new BasicError('subscription:1', 'closed')
      scheduler.schedule(() => connectionEvents.next({ type: 'lost', error, reconnecting: true }), 1000)
      scheduler.schedule(() => connectionEvents.next({ type: 'reconnecting' }), 1001)
      scheduler.schedule(() => connectionEvents.next({ type: 'opened' }), 1002)
    })
    expect(requests.filter((line) => line.includes(' PUT '))).to.deep.equal([])
  })

  it('asks for the channel lifetime configured when it refreshes, not the one configured when the channel was made', () => {
    const asked: unknown[] = []
    scheduler.run(() => {
      const respond: Responder = (spec, platform) => {
        if (spec.method === 'PUT') asked.push(spec.body)
        return platform(spec)
      }
      make({ respond, config: { subscription: { channelLifetime: 100 } }, until: 60_000 }).commands.subscribe(['chat'])
      scheduler.schedule(() => config.update({ subscription: { channelLifetime: 300 } }), 1000)
    })
    expect(asked).to.deep.equal([{ notificationChannelLifetime: { channelLifetime: 300 } }])
  })

  it('refreshes a lost channel no more while its replacement is being made', () => {
    scheduler.run(() => {
      let channels = 0
      const respond: Responder = (spec, platform) => {
        if (spec.method === 'PUT') return scheduler.createColdObservable('10ms #', undefined, withHttpStatus(new BasicError('SVC0004', 'No such channel'), 404))
        const slow = spec.method === 'POST' && spec.path.endsWith('/channels') && ++channels === 2
        return slow ? concat(timer(30_000, scheduler).pipe(ignoreElements()), platform(spec)) : platform(spec)
      }
      make({ respond, config: { subscription: { channelLifetime: 100, timeout: 40 } }, until: 90_000 }).commands.subscribe(['chat'])
    })
    // The 404 came at 50.02 s with 50 s of ch1's lifetime left: a retry would have been at 75.015 s, before ch2 came.
    expect(requests.filter((line) => line.includes(' PUT ')).map((line) => line.split(' ')[0])).to.deep.equal(['50010'])
    expect(seen.filter((line) => line.includes('channel'))).to.deep.equal(['10 channelCreated ch1', '80045 channelReplaced ch2 [chat]'])
  })

  it('warns in the log of each refresh that failed', () => {
    const captured = captureConsole()
    scheduler.run(() => {
      const respond: Responder = (spec, platform) =>
        spec.method === 'PUT' ? scheduler.createColdObservable('10ms #', undefined, new BasicError('subscription:4', 'Refresh notification channel request failed: Forbidden')) : platform(spec)
      make({ respond, config: { logs: { logLevel: 'warn' }, subscription: { channelLifetime: 100 } }, until: 60_000, console: captured.console }).commands.subscribe(['chat'])
    })
    expect(captured.calls.map(({ method, args }) => [method, ...args])).to.deep.equal([
      ['warn', '[kandy-rx:subscription] Channel refresh failed: Refresh notification channel request failed: Forbidden'],
    ])
  })

  it('forgets the channel and every subscription when reconnection gave up', () => {
    const error = new BasicError('subscription:1', 'WebSocket could not be opened: every attempt failed')
    const feature = played((feature) => {
      feature.commands.subscribe(['chat'])
      scheduler.schedule(() => connectionEvents.next({ type: 'gaveUp', channelURL: '/ws/other', error }), 500)
      scheduler.schedule(() => connectionEvents.next({ type: 'gaveUp', channelURL: '/ws/ch1', error }), 1000)
    })
    expect(seen.slice(3)).to.deep.equal(['1000 channelLost subscription:1'])
    expect(feature.current()).to.include({ channel: undefined, isPending: false })
    expect(feature.current().subscriptions).to.deep.equal([])
  })

  it('fetches TURN credentials after a call subscription unless ICE servers are null or server credentials are off', () => {
    const turnRequests = (config: UserConfig): string[] => {
      requests = []
      scheduler = new TestScheduler(() => undefined)
      played((feature) => feature.commands.subscribe(['call']), { config })
      return requests.filter((line) => line.endsWith('/turn'))
    }
    expect(turnRequests({})).to.have.length(1)
    expect(turnRequests({ call: { iceServers: [] } })).to.have.length(1)
    expect(turnRequests({ call: { iceServers: null } } as unknown as UserConfig)).to.deep.equal([])
    expect(turnRequests({ call: { serverTurnCredentials: false } })).to.deep.equal([])
  })

  it('publishes the TURN credentials on turnCredentials$', () => {
    const values: unknown[] = []
    played((feature) => {
      feature.turnCredentials$.subscribe((credentials) => values.push(credentials))
      feature.commands.subscribe(['call'])
    })
    expect(values).to.deep.equal([undefined, { username: 'u', password: 'p' }])
  })
})

