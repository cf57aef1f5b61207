// The messaging feature's own logic in virtual time, over a recording link (the wire itself is
// covered by spec/integration/messaging against the local platform).
import { expect } from 'chai'
import { NEVER, Subject, VirtualTimeScheduler, asyncScheduler, defer, type Observable, type SchedulerLike } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { createConfig } from '../../../streams/config/feature.js'
import type { UserConfig } from '../../../streams/config/state.js'
import type { AuthUser, InboundNotification, PlatformLink, RequestSpec } from '../../../streams/connection/link.js'
import { createEnvironment, type Environment } from '../../../streams/environment.js'
import { createLogs } from '../../../streams/logs/feature.js'
import { createMessaging, socketReopened, type MessagingFeature } from '../../../streams/messaging/feature.js'
import { findConversation, type MessagingEvent } from '../../../streams/messaging/state.js'
import { captureConsole } from '../logs/capture.js'

interface Call {
  readonly spec: RequestSpec<unknown>
  readonly reply: Subject<unknown>
}

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, log: () => undefined, group: () => undefined, groupCollapsed: () => undefined, groupEnd: () => undefined }

const alice: AuthUser = { username: 'alice@example.com', identity: 'alice@example.com', domain: 'example.com', accessToken: 'token', idToken: 'id' }

/** `signedIn` says who is signed in at each moment (default: `user`, else alice); logs at `logLevel` go to `console` (default: none). */
function setup(
  scheduler?: SchedulerLike,
  reconnected$?: Observable<number>,
  options: { user?: AuthUser; signedIn?: () => AuthUser | undefined; config?: UserConfig; console?: Environment['console'] } = {},
) {
  const calls: Call[] = []
  const notifications$ = new Subject<InboundNotification>()
  const link: PlatformLink = {
    user$: NEVER,
    user: options.signedIn ?? (() => options.user ?? alice),
    request: <A>(spec: RequestSpec<A>) =>
      defer(() => {
        const reply = new Subject<unknown>()
        calls.push({ spec: spec as RequestSpec<unknown>, reply })
        return reply as Observable<A>
      }),
    notifications$,
  }
  const config = createConfig({ logs: { logLevel: 'silent' }, ...options.config })
  const environment = createEnvironment({ console: options.console ?? quiet, ...(scheduler ? { scheduler } : {}), randomId: (() => { let n = 0; return () => `local-${++n}` })() })
  const messaging = createMessaging({ link, config, environment, logs: createLogs(config, environment), ...(reconnected$ ? { reconnected$ } : {}) })
  const events: MessagingEvent[] = []
  messaging.events$.subscribe((event) => events.push(event))
  return { messaging, calls, notifications$, events }
}

const bob = ['bob@example.com']
/** The platform answers `call` with `body`, and that request is done. */
const answer = (call: Call, body: unknown): void => {
  call.reply.next(body)
  call.reply.complete()
}
const text = (value: string) => [{ type: 'text' as const, text: value }]
const messagesOf = (messaging: MessagingFeature) => findConversation(messaging.current(), bob, 'chat-oneToOne')?.messages ?? []

/** A feature whose conversation with Bob has asked for its first page of 2 (the request waits in `calls[0]`). */
function fetchingBob() {
  const feature = setup()
  feature.messaging.commands.create(bob, 'chat-oneToOne')
  feature.messaging.commands.fetchMessages(bob, 'chat-oneToOne', 2)
  return feature
}

describe('messaging feature', () => {
  it('shows a send at once as pending and sends one conversation\'s messages in order, one at a time', () => {
    const { messaging, calls } = setup()
    messaging.commands.create(bob, 'chat-oneToOne')
    messaging.commands.send(bob, 'chat-oneToOne', text('one'))
    messaging.commands.send(bob, 'chat-oneToOne', text('two'))
    expect(messagesOf(messaging).map((message) => message.isPending)).to.deep.equal([true, true])
    expect(calls).to.have.length(1)
    expect(calls[0]!.spec).to.deep.include({ method: 'POST', path: '/cpaas/chat/v1/alice@example.com/oneToOne/bob@example.com/adhoc/messages', body: { chatMessage: { text: 'one' } } })
    answer(calls[0]!, { chatMessage: { resourceURL: '/x/messages/m-1', senderAddress: 'alice@example.com', status: 'Sent' } })
    expect(calls).to.have.length(2)
    expect(calls[1]!.spec.body).to.deep.equal({ chatMessage: { text: 'two' } })
    expect(messagesOf(messaging).map((message) => [message.messageId, message.isPending])).to.deep.equal([
      ['m-1', false],
      [undefined, true],
    ])
    messaging.dispose()
  })

  it('marks a send failed with the request\'s error, and the next send still goes', () => {
    const { messaging, calls, events } = setup()
    messaging.commands.create(bob, 'chat-oneToOne')
    messaging.commands.send(bob, 'chat-oneToOne', text('one'))
    messaging.commands.send(bob, 'chat-oneToOne', text('two'))
    calls[0]!.reply.error(Object.assign(new Error('Send chat message request failed: Service Unavailable'), { name: 'BasicError', code: 503 }))
    expect(messagesOf(messaging)[0]).to.deep.include({ isPending: false, messageId: null })
    expect(messagesOf(messaging)[0]!.error).to.include({ code: 503 })
    expect(events.at(-1)).to.include({ type: 'messageSendFailed', localId: 'local-1' })
    expect(calls).to.have.length(2)
    messaging.dispose()
  })

  it('refuses a message without text, reporting it and storing nothing', () => {
    const { messaging, calls, events } = setup()
    messaging.commands.create(bob, 'chat-oneToOne')
    expect(messaging.commands.send(bob, 'chat-oneToOne', [{ type: 'json', json: {} }])).to.equal(undefined)
    expect(calls).to.deep.equal([])
    expect(messagesOf(messaging)).to.deep.equal([])
    expect(events.at(-1)).to.deep.include({ type: 'messagingFailed', operation: 'send' })
    messaging.dispose()
  })

  it('sends a typing state once, again only after 30 s, and idle once', () => {
    const scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected)
    })
    scheduler.run(({ flush }) => {
      const { messaging, calls } = setup(scheduler)
      const typing = () => calls.map((call) => (call.spec.body as { isComposing: { state: string } }).isComposing.state)
      const answered = (isTyping: boolean) => () => {
        messaging.commands.setIsTyping(bob, 'chat-oneToOne', isTyping)
        calls.forEach((call) => call.reply.complete())
      }
      answered(true)()
      answered(true)()
      scheduler.schedule(answered(true), 29_999)
      scheduler.schedule(answered(true), 30_000)
      scheduler.schedule(answered(false), 31_000)
      scheduler.schedule(answered(false), 32_000)
      flush()
      expect(typing()).to.deep.equal(['active', 'active', 'idle'])
      expect(calls[0]!.spec.body).to.deep.equal({ isComposing: { contenttype: 'text/plain', refresh: '60', state: 'active', lastactive: 0 } })
      expect(calls[0]!.spec).to.include({ fixedCode: 'messaging:11' })
      messaging.dispose()
    })
  })

  it('sends idle once however long after, sends again a state whose request failed, and refuses typing in SMS', () => {
    const scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected)
    })
    scheduler.run(({ flush }) => {
      const { messaging, calls, events } = setup(scheduler)
      const typing = () => calls.map((call) => (call.spec.body as { isComposing: { state: string } }).isComposing.state)
      messaging.commands.setIsTyping(bob, 'chat-oneToOne', false)
      calls[0]!.reply.complete()
      scheduler.schedule(() => messaging.commands.setIsTyping(bob, 'chat-oneToOne', false), 60_000)
      scheduler.schedule(() => messaging.commands.setIsTyping(bob, 'chat-oneToOne', true), 61_000)
      scheduler.schedule(() => calls[1]!.reply.error(new Error('Set is typing request failed')), 62_000)
      scheduler.schedule(() => messaging.commands.setIsTyping(bob, 'chat-oneToOne', true), 63_000)
      flush()
      expect(typing()).to.deep.equal(['idle', 'active', 'active'])
      expect(calls[1]!.spec).to.deep.include({ path: '/cpaas/chat/v1/alice@example.com/oneToOne/bob@example.com/adhoc/messages' })
      expect(calls[1]!.spec.body).to.deep.include({ isComposing: { contenttype: 'text/plain', refresh: '60', state: 'active', lastactive: 61_000 } })
      messaging.commands.setIsTyping(['+15550002'], 'sms', true)
      expect(calls).to.have.length(3)
      expect(events.at(-1)).to.deep.include({ type: 'messagingFailed', operation: 'setIsTyping' })
      expect((events.at(-1) as { error: { code: string } }).error.code).to.equal('messaging:11')
      messaging.dispose()
    })
  })

  it('sends a conversation\'s typing states in order: each waits for the answer to the one before (two in flight may swap on the way)', () => {
    const { messaging, calls } = setup()
    const typing = () => calls.map((call) => [call.spec.path.split('/')[6], (call.spec.body as { isComposing: { state: string } }).isComposing.state])
    messaging.commands.setIsTyping(bob, 'chat-oneToOne', true)
    messaging.commands.setIsTyping(bob, 'chat-oneToOne', false)
    messaging.commands.setIsTyping(['carol@example.com'], 'chat-oneToOne', true)
    expect(typing()).to.deep.equal([['bob@example.com', 'active'], ['carol@example.com', 'active']])
    calls[0]!.reply.complete()
    expect(typing()).to.deep.equal([['bob@example.com', 'active'], ['carol@example.com', 'active'], ['bob@example.com', 'idle']])
    messaging.dispose()
  })

  it('refuses to fetch the messages of a conversation it does not hold, as bad input', () => {
    const { messaging, calls, events } = setup()
    messaging.commands.fetchMessages(bob, 'chat-oneToOne', 2)
    expect(calls).to.have.length(0)
    expect(events.at(-1)).to.deep.include({ type: 'messagingFailed', operation: 'fetchMessages' })
    expect((events.at(-1) as { error: { code: string } }).error.code).to.equal('BAD_INPUT')
    messaging.dispose()
  })

  it('addresses a chat conversation from the user\'s identity, and an SMS one without smsFrom with no address', () => {
    const { messaging, events } = setup(undefined, undefined, { user: { ...alice, username: 'u-123' } })
    messaging.commands.create(bob, 'chat-oneToOne')
    messaging.commands.create(['+15550001111'], 'sms')
    expect(events).to.deep.equal([
      { type: 'conversationCreated', destination: bob, chatType: 'chat-oneToOne', address: 'alice@example.com' },
      { type: 'conversationCreated', destination: ['+15550001111'], chatType: 'sms' },
    ])
    messaging.dispose()
  })

  it('sends an SMS with the configured clientCorrelator', () => {
    const { messaging, calls } = setup(undefined, undefined, { config: { authentication: { clientCorrelator: 'corr-1' } } })
    messaging.commands.create(['+15550001111'], 'sms')
    messaging.commands.send(['+15550001111'], 'sms', text('hi'))
    expect(calls[0]!.spec.body).to.deep.equal({ outboundSMSMessageRequest: { address: ['+15550001111'], clientCorrelator: 'corr-1', outboundSMSTextMessage: { message: 'hi' } } })
    messaging.dispose()
  })

  it('dates an inbound SMS that carries no dateTime at the environment scheduler\'s now', () => {
    const scheduler = new VirtualTimeScheduler()
    const { messaging, notifications$ } = setup(scheduler)
    const body = { id: 's', inboundSMSMessage: { senderAddress: '+15552223333', destinationAddress: '+15550001111', message: 'hi', messageId: 'sms-1' } }
    scheduler.schedule(() => notifications$.next({ kind: 'inboundSMSMessageNotification', id: 's', body, frame: { inboundSMSMessageNotification: body } }), 5000)
    scheduler.flush()
    expect(findConversation(messaging.current(), ['+15552223333'], 'sms')?.messages[0]?.timestamp).to.equal(5000)
    messaging.dispose()
  })

  it('reports a malformed notification as an error and keeps handling the next ones', () => {
    const { messaging, notifications$, events } = setup()
    notifications$.next({ kind: 'chatMessageNotification', id: 'n1', body: { id: 'n1', chatMessage: 'nonsense' }, frame: {} })
    expect(events.at(-1)).to.deep.include({ type: 'messagingFailed', operation: 'notification' })
    const body = {
      id: 'n2',
      chatMessage: { senderAddress: 'bob@example.com', text: 'hi', dateTime: 5, 'x-type': 'inbound' },
      link: [{ rel: 'chatMessage', href: '/cpaas/chat/v1/alice/oneToOne/bob@example.com/adhoc/messages/m-1' }],
    }
    notifications$.next({ kind: 'chatMessageNotification', id: 'n2', body, frame: { chatMessageNotification: body } })
    notifications$.next({ kind: 'chatMessageNotification', id: 'n3', body: { ...body, id: 'n3' }, frame: {} })
    expect(messagesOf(messaging).map((message) => message.messageId)).to.deep.equal(['m-1'])
    expect(events.filter((event) => event.type === 'messageReceived')).to.have.length(1)
    messaging.dispose()
  })

  it('orders a reply sent within the second of the message it answers after that message, also once history is merged', () => {
    let clock = 1_700_000_000_300
    const { messaging, notifications$, calls } = setup(Object.assign(Object.create(asyncScheduler) as SchedulerLike, { now: () => clock }))
    const question = { senderAddress: 'bob@example.com', text: 'question', dateTime: clock, 'x-type': 'inbound' }
    const body = { id: 'n1', chatMessage: question, link: [{ rel: 'chatMessage', href: '/cpaas/chat/v1/alice/oneToOne/bob@example.com/adhoc/messages/m-1' }] }
    notifications$.next({ kind: 'chatMessageNotification', id: 'n1', body, frame: { chatMessageNotification: body } })
    clock += 400
    messaging.commands.send(bob, 'chat-oneToOne', text('reply'))
    const texts = () => messagesOf(messaging).map((message) => message.parts.map((part) => (part.type === 'text' ? part.text : '')).join())
    expect(texts()).to.deep.equal(['question', 'reply'])
    messaging.commands.fetchMessages(bob, 'chat-oneToOne', 10)
    const page = calls.find((call) => call.spec.method === 'GET')!
    page.reply.next({ chatMessageList: { chatMessage: [{ resourceURL: '/x/messages/m-1', ...question }] } })
    page.reply.complete()
    expect(texts()).to.deep.equal(['question', 'reply'])
    messaging.dispose()
  })

  it('pages history with the token of the previous page', () => {
    const { messaging, calls } = fetchingBob()
    expect(calls[0]!.spec).to.deep.include({ method: 'GET', query: { max: 2, next: undefined } })
    answer(calls[0]!, { chatMessageList: { chatMessage: [{ resourceURL: '/x/messages/m-3', dateTime: 3 }], next: 'tok' } })
    messaging.commands.fetchMessages(bob, 'chat-oneToOne', 2)
    expect(calls[1]!.spec).to.deep.include({ query: { max: 2, next: 'tok' } })
    messaging.dispose()
  })

  it('shows the conversation pending while a page is fetched, drops history items without a message id, and keeps the cursor for a newest page', () => {
    const { messaging, calls, events } = fetchingBob()
    expect(findConversation(messaging.current(), bob, 'chat-oneToOne')!.isPending).to.equal(true)
    answer(calls[0]!, { chatMessageList: { chatMessage: [{ resourceURL: '/x/no-id', dateTime: 2 }, { resourceURL: '/x/messages/m-3', dateTime: 3 }], next: 'tok' } })
    expect(events.at(-1)).to.deep.include({ type: 'historyFetched', page: 'latest', recovered: false, newMessageIds: ['m-3'] })
    expect(messagesOf(messaging).map((message) => message.messageId)).to.deep.equal(['m-3'])
    messaging.commands.fetchMessages(bob, 'chat-oneToOne', 2)
    answer(calls[1]!, { chatMessageList: { chatMessage: [], next: undefined } })
    expect(events.at(-1)).to.deep.include({ type: 'historyFetched', page: 'older' })
    messaging.dispose()
  })

  it('fetches an SMS thread\'s pages at its thread path with the sender address, the asked size and the previous page\'s token, dropping items without a message id', () => {
    const { messaging, calls, events } = setup(undefined, undefined, { config: { messaging: { smsFrom: '+15550001' } } })
    const thread = ['+15550002']
    messaging.commands.create(thread, 'sms')
    messaging.commands.fetchMessages(thread, 'sms', 2)
    expect(calls[0]!.spec).to.deep.include({ method: 'GET', path: '/cpaas/smsmessaging/v1/alice@example.com/remoteAddresses/+15550002/localAddresses/+15550001/messages', query: { max: 2, next: undefined } })
    answer(calls[0]!, { smsMessageList: { smsMessage: [{ resourceURL: '/x/no-id', message: 'lost' }, { resourceURL: '/x/messages/s-2', message: 'hi', dateTime: 2 }], next: 'tok' } })
    expect(events.at(-1)).to.deep.include({ type: 'historyFetched', next: 'tok', newMessageIds: ['s-2'] })
    expect(findConversation(messaging.current(), thread, 'sms')!.messages.map((message) => message.messageId)).to.deep.equal(['s-2'])
    messaging.commands.fetchMessages(thread, 'sms', 2)
    expect(calls[1]!.spec).to.deep.include({ query: { max: 2, next: 'tok' } })
    messaging.dispose()
  })

  it('fetches one conversation\'s pages one after another, and counts as new only the messages it did not hold when the page came', () => {
    const { messaging, calls, events, notifications$ } = fetchingBob()
    messaging.commands.fetchMessages(bob, 'chat-oneToOne', 2)
    expect(calls).to.have.length(1)
    const body = {
      id: 'n1',
      chatMessage: { senderAddress: 'bob@example.com', text: 'hi', dateTime: 4, 'x-type': 'inbound' },
      link: [{ rel: 'chatMessage', href: '/cpaas/chat/v1/alice/oneToOne/bob@example.com/adhoc/messages/m-4' }],
    }
    notifications$.next({ kind: 'chatMessageNotification', id: 'n1', body, frame: { chatMessageNotification: body } })
    answer(calls[0]!, { chatMessageList: { chatMessage: [{ resourceURL: '/x/messages/m-3', dateTime: 3 }, { resourceURL: '/x/messages/m-4', dateTime: 4 }], next: 'tok' } })
    expect(events.find((event) => event.type === 'historyFetched')).to.deep.include({ newMessageIds: ['m-3'] })
    expect(calls).to.have.length(2)
    expect(calls[1]!.spec).to.deep.include({ query: { max: 2, next: 'tok' } })
    messaging.dispose()
  })

  it('tells a page that failed as historyFailed with its error and leaves the conversation no longer pending', () => {
    const { messaging, calls, events } = fetchingBob()
    calls[0]!.reply.error(Object.assign(new Error('Fetch messages request failed: Service Unavailable'), { name: 'BasicError', code: 503 }))
    expect(events.at(-1)).to.deep.include({ type: 'historyFailed', destination: bob, chatType: 'chat-oneToOne' })
    expect((events.at(-1) as { error: { code: unknown } }).error.code).to.equal(503)
    expect(findConversation(messaging.current(), bob, 'chat-oneToOne')!.isPending).to.equal(false)
    messaging.dispose()
  })

  it('lists the chat sessions of the known types only, and names the operation of a list or a conversation deletion that failed', () => {
    const { messaging, calls, events } = setup()
    messaging.commands.fetchConversations('chat-oneToOne')
    calls[0]!.reply.next({
      chatSessionList: {
        chatSession: [
          { sessionType: 'oneToOne', remoteAddress: 'bob@example.com', sessionDetails: {} },
          { sessionType: 'broadcast', remoteAddress: 'carol@example.com', sessionDetails: {} },
          { sessionType: 'oneToOne', sessionDetails: {} },
        ],
      },
    })
    calls[0]!.reply.complete()
    expect(messaging.current().conversations.values().map((conversation) => conversation.destination)).to.deep.equal([bob])
    messaging.commands.fetchConversations('sms')
    calls[1]!.reply.error(new Error('down'))
    messaging.commands.deleteConversation(bob, 'chat-oneToOne')
    calls[2]!.reply.error(new Error('down'))
    expect(events.filter((event) => event.type === 'messagingFailed').map((event) => event.type === 'messagingFailed' && event.operation)).to.deep.equal(['fetchConversations', 'deleteConversation'])
    messaging.dispose()
  })

  it('deletes a message and an SMS conversation at their own paths, and tells the group send apart by its operation', () => {
    const { messaging, calls } = setup(undefined, undefined, { config: { messaging: { smsFrom: '+15550001' } } })
    messaging.commands.deleteMessages(bob, 'chat-oneToOne', ['m-1', 'm:2'])
    messaging.commands.deleteMessages(['+15550002'], 'sms', ['s-1'])
    messaging.commands.deleteConversation(['+15550002'], 'sms')
    messaging.commands.create(['team-1'], 'chat-group')
    messaging.commands.send(['team-1'], 'chat-group', text('all'))
    expect(calls.map((call) => [call.spec.method, call.spec.path])).to.deep.equal([
      ['DELETE', '/cpaas/chat/v1/alice@example.com/oneToOne/bob@example.com/adhoc/messages/m-1'],
      ['DELETE', '/cpaas/chat/v1/alice@example.com/oneToOne/bob@example.com/adhoc/messages/m:2'],
      ['DELETE', '/cpaas/smsmessaging/v1/alice@example.com/remoteAddresses/+15550002/localAddresses/+15550001/messages/s-1'],
      ['DELETE', '/cpaas/smsmessaging/v1/alice@example.com/remoteAddresses/+15550002/localAddresses/+15550001'],
      ['POST', '/cpaas/chat/v1/alice@example.com/group/team-1/messages'],
    ])
    expect(calls[4]!.spec.operation).to.equal('Send group chat message')
    messaging.dispose()
  })

  it('a deletion the user asked for is told once the platform has done it, as their own (remote: false, where a notification says true)', () => {
    const { messaging, calls, events, notifications$ } = setup()
    const body = {
      id: 'n1',
      chatMessage: { senderAddress: 'bob@example.com', text: 'hi', dateTime: 5, 'x-type': 'inbound' },
      link: [{ rel: 'chatMessage', href: '/cpaas/chat/v1/alice/oneToOne/bob@example.com/adhoc/messages/m-1' }],
    }
    notifications$.next({ kind: 'chatMessageNotification', id: 'n1', body, frame: { chatMessageNotification: body } })
    const deletions = () => events.filter((event) => event.type === 'messageDeleted' || event.type === 'conversationDeleted')
    messaging.commands.deleteMessages(bob, 'chat-oneToOne', ['m-1'])
    messaging.commands.deleteConversation(bob, 'chat-oneToOne')
    expect(deletions()).to.deep.equal([])
    for (const call of calls) answer(call, undefined)
    expect(deletions()).to.deep.equal([
      { type: 'messageDeleted', destination: bob, chatType: 'chat-oneToOne', messageId: 'm-1', remote: false },
      { type: 'conversationDeleted', destination: bob, chatType: 'chat-oneToOne', remote: false },
    ])
    messaging.dispose()
  })

  it('after a reconnect re-fetches the conversations with activity since the last sync', () => {
    const reconnected$ = new Subject<number>()
    const { messaging, calls, events } = setup(undefined, reconnected$)
    messaging.commands.create(bob, 'chat-oneToOne')
    reconnected$.next(Date.now() - 1000)
    const lists = calls.splice(0)
    expect(lists.map((call) => call.spec.path)).to.deep.equal([
      '/cpaas/chat/v1/alice@example.com/oneToOne/sessions',
      '/cpaas/chat/v1/alice@example.com/group/sessions',
      '/cpaas/smsmessaging/v1/alice@example.com/remoteAddresses',
    ])
    const now = Date.now()
    lists[0]!.reply.next({ chatSessionList: { chatSession: [{ sessionType: 'oneToOne', remoteAddress: 'bob@example.com', sessionDetails: { lastMessageTime: now } }] } })
    lists[1]!.reply.next({ chatSessionList: { chatSession: [] } })
    lists[2]!.reply.next({ smsThreadList: { smsThread: [] } })
    lists.forEach((call) => call.reply.complete())
    expect(calls).to.have.length(1)
    expect(calls[0]!.spec).to.deep.include({ query: { max: 50, next: undefined } })
    answer(calls[0]!, { chatMessageList: { chatMessage: [{ resourceURL: '/x/messages/m-9', senderAddress: 'bob@example.com', text: 'while away', dateTime: now }] } })
    expect(messagesOf(messaging).map((message) => message.messageId)).to.deep.equal(['m-9'])
    expect(events.at(-1)).to.deep.include({ type: 'historyFetched', recovered: true, newMessageIds: ['m-9'] })
    messaging.dispose()
  })

  it('after a reconnect pages back to the time the socket was lost', () => {
    const reconnected$ = new Subject<number>()
    const { messaging, calls, notifications$ } = setup(undefined, reconnected$)
    const now = Date.now()
    const body = {
      id: 'n1',
      chatMessage: { senderAddress: 'bob@example.com', text: 'before', dateTime: now - 1000, 'x-type': 'inbound' },
      link: [{ rel: 'chatMessage', href: '/cpaas/chat/v1/alice/oneToOne/bob@example.com/adhoc/messages/m-1' }],
    }
    notifications$.next({ kind: 'chatMessageNotification', id: 'n1', body, frame: { chatMessageNotification: body } })
    reconnected$.next(now + 30_000 - 500)
    const lists = calls.splice(0)
    lists[0]!.reply.next({ chatSessionList: { chatSession: [{ sessionType: 'oneToOne', remoteAddress: 'bob@example.com', sessionDetails: { lastMessageTime: now + 2 } }] } })
    lists[1]!.reply.next({ chatSessionList: { chatSession: [] } })
    lists[2]!.reply.next({ smsThreadList: { smsThread: [] } })
    lists.forEach((call) => call.reply.complete())
    const item = (id: string, time: number) => ({ resourceURL: `/x/messages/${id}`, senderAddress: 'bob@example.com', dateTime: time })
    answer(calls[0]!, { chatMessageList: { chatMessage: [item('m-3', now + 1), item('m-4', now + 2)], next: 'older' } })
    expect(calls[1]!.spec).to.deep.include({ query: { max: 50, next: 'older' } })
    answer(calls[1]!, { chatMessageList: { chatMessage: [item('m-1', now - 1000), item('m-2', now)], next: 'older-still' } })
    expect(calls).to.have.length(2)
    expect(messagesOf(messaging).map((message) => message.messageId)).to.deep.equal(['m-1', 'm-2', 'm-3', 'm-4'])
    messaging.dispose()
  })

  it('after a reconnect fetches only conversations active since the loss less 30 s, and goes on without a list that failed', () => {
    const reconnected$ = new Subject<number>()
    const { messaging, calls, events } = setup(undefined, reconnected$)
    const lostAt = 1_700_000_100_000
    const since = lostAt - 30_000
    reconnected$.next(lostAt)
    const lists = calls.splice(0)
    lists[0]!.reply.error(new Error('Fetch conversations request failed'))
    const session = (remoteAddress: string, lastMessageTime: number) => ({ sessionType: 'group', remoteAddress, sessionDetails: { lastMessageTime } })
    lists[1]!.reply.next({ chatSessionList: { chatSession: [session('team-1', since), session('team-2', since - 1)] } })
    lists[2]!.reply.next({ smsThreadList: { smsThread: [] } })
    lists.slice(1).forEach((call) => call.reply.complete())
    expect(calls.map((call) => call.spec.path)).to.deep.equal(['/cpaas/chat/v1/alice@example.com/group/team-1/messages'])
    // A message at the time recovery looks back to ends the paging.
    answer(calls[0]!, { chatMessageList: { chatMessage: [{ resourceURL: '/x/messages/m-1', senderAddress: 'bob@example.com', dateTime: since }], next: 'older' } })
    expect(calls).to.have.length(1)
    expect(events.at(-1)).to.deep.include({ type: 'historyFetched', destination: ['team-1'], chatType: 'chat-group', recovered: true, newConversation: true, newMessageIds: ['m-1'] })
    messaging.dispose()
  })

  it('after a reconnect pages back at most 20 pages, oldest page first, and tells nothing when no message is new', () => {
    const reconnected$ = new Subject<number>()
    const { messaging, calls, events } = setup(undefined, reconnected$)
    const lostAt = 1_700_000_100_000
    const item = (id: string) => ({ resourceURL: `/x/messages/${id}`, senderAddress: 'bob@example.com', dateTime: lostAt })
    const recover = (answer: (page: number) => { chatMessage: unknown[]; next?: string }) => {
      reconnected$.next(lostAt)
      const lists = calls.splice(0)
      lists[0]!.reply.next({ chatSessionList: { chatSession: [{ sessionType: 'oneToOne', remoteAddress: 'bob@example.com', sessionDetails: { lastMessageTime: lostAt } }] } })
      lists[1]!.reply.next({ chatSessionList: { chatSession: [] } })
      lists[2]!.reply.next({ smsThreadList: { smsThread: [] } })
      lists.forEach((call) => call.reply.complete())
      for (let page = 0; page < calls.length; page += 1) {
        calls[page]!.reply.next({ chatMessageList: answer(page) })
        calls[page]!.reply.complete()
      }
      return calls.splice(0).length
    }
    expect(recover((page) => ({ chatMessage: [item(`m-${page}`)], next: `page-${page + 1}` }))).to.equal(20)
    const fetched = events.at(-1) as Extract<MessagingEvent, { type: 'historyFetched' }>
    expect(fetched.messages.map((message) => message.messageId)).to.deep.equal(Array.from({ length: 20 }, (_, page) => `m-${19 - page}`))
    const count = events.length
    expect(recover(() => ({ chatMessage: [item('m-0')] }))).to.equal(1)
    expect(events.slice(count).filter((event) => event.type === 'historyFetched')).to.deep.equal([])
    messaging.dispose()
  })

  it('after a reconnect re-fetches at most 4 conversations at once, and goes on past one whose history failed, warning of it', () => {
    const reconnected$ = new Subject<number>()
    const captured = captureConsole()
    const { messaging, calls, events } = setup(undefined, reconnected$, { config: { logs: { logLevel: 'warn' } }, console: captured.console })
    const lostAt = 1_700_000_100_000
    reconnected$.next(lostAt)
    const lists = calls.splice(0)
    const session = (remoteAddress: string) => ({ sessionType: 'group', remoteAddress, sessionDetails: { lastMessageTime: lostAt } })
    lists[0]!.reply.next({ chatSessionList: { chatSession: [] } })
    lists[1]!.reply.next({ chatSessionList: { chatSession: ['team-1', 'team-2', 'team-3', 'team-4', 'team-5'].map(session) } })
    lists[2]!.reply.next({ smsThreadList: { smsThread: [] } })
    lists.forEach((call) => call.reply.complete())
    expect(calls.map((call) => call.spec.path.split('/')[6])).to.deep.equal(['team-1', 'team-2', 'team-3', 'team-4'])
    calls[0]!.reply.error(new Error('Fetch messages request failed: Service Unavailable'))
    expect(calls.map((call) => call.spec.path.split('/')[6])).to.deep.equal(['team-1', 'team-2', 'team-3', 'team-4', 'team-5'])
    for (const [index, call] of calls.slice(1).entries()) {
      call.reply.next({ chatMessageList: { chatMessage: [{ resourceURL: `/x/messages/m-${index + 2}`, senderAddress: 'bob@example.com', dateTime: lostAt }] } })
      call.reply.complete()
    }
    expect(events.filter((event) => event.type === 'historyFetched').map((event) => event.destination[0])).to.deep.equal(['team-2', 'team-3', 'team-4', 'team-5'])
    expect(captured.calls.map(({ method, args }) => [method, ...args])).to.deep.equal([
      ['warn', '[kandy-rx:messaging] Could not re-fetch a conversation after a reconnect', 'Fetch messages request failed: Service Unavailable'],
    ])
    messaging.dispose()
  })

  it('after a reconnect with no user signed in recovers nothing, warns of it, and recovers at the next reconnect once signed in', () => {
    const reconnected$ = new Subject<number>()
    const captured = captureConsole()
    let user: AuthUser | undefined
    const { messaging, calls } = setup(undefined, reconnected$, { signedIn: () => user, config: { logs: { logLevel: 'warn' } }, console: captured.console })
    reconnected$.next(1_700_000_100_000)
    expect(calls).to.deep.equal([])
    expect(captured.calls.map(({ method, args }) => [method, ...args])).to.deep.equal([
      ['warn', '[kandy-rx:messaging] Could not recover messages after a reconnect', 'No user: set the tokens (setTokens) before using messaging'],
    ])
    user = alice
    reconnected$.next(1_700_000_200_000)
    expect(calls.map((call) => call.spec.path)).to.have.length(3)
    messaging.dispose()
  })

  it('after a second reconnect drops the recovery the first one started', () => {
    const reconnected$ = new Subject<number>()
    const { messaging, calls } = setup(undefined, reconnected$)
    reconnected$.next(1_700_000_100_000)
    const first = calls.splice(0)
    reconnected$.next(1_700_000_200_000)
    expect(first.map((call) => call.reply.observed)).to.deep.equal([false, false, false])
    expect(calls.map((call) => call.reply.observed)).to.deep.equal([true, true, true])
    messaging.dispose()
  })

  it('completes its streams on dispose and ignores commands and notifications afterwards', () => {
    const { messaging, calls, notifications$ } = setup()
    let stateDone = false
    let eventsDone = false
    messaging.state$.subscribe({ complete: () => (stateDone = true) })
    messaging.events$.subscribe({ complete: () => (eventsDone = true) })
    messaging.commands.create(bob, 'chat-oneToOne')
    messaging.commands.send(bob, 'chat-oneToOne', text('x'))
    messaging.dispose()
    expect([stateDone, eventsDone]).to.deep.equal([true, true])
    expect(calls[0]!.reply.observed).to.equal(false)
    messaging.commands.send(bob, 'chat-oneToOne', text('after'))
    expect(calls).to.have.length(1)
    expect(notifications$.observed).to.equal(false)
  })

  it('sees a reopened socket only after a loss (not the first open), with the time of the loss', () => {
    const scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected)
    })
    scheduler.run(({ cold, expectObservable }) => {
      const events = { c: { type: 'connecting' }, o: { type: 'opened' }, l: { type: 'lost' }, r: { type: 'reconnecting' }, a: { type: 'attemptFailed' }, g: { type: 'gaveUp' }, n: { type: 'notificationReceived' } }
      expectObservable(socketReopened(cold('c o n l r a o n o g c o', events), scheduler)).toBe('------x----y', { x: 3, y: 9 })
      // A loss and then giving up: the time is the loss's, not the later one's.
      expectObservable(socketReopened(cold('o l r g c o', events), scheduler)).toBe('-----x', { x: 1 })
    })
  })
})
