// The public API as a fuzzing target, shared by the fuzz spec and its bench: every documented
// function by path, hostile argument values, and the verdict on one call (what it may throw).
//
//   const plan = fc.array(apiCall, { minLength: 5, maxLength: 15 })
//   for (const { path, args } of calls) verdicts.push(invoke(client, path, args))
import fc from 'fast-check'
import type { Client } from '../../lib/index.js'
import { isBasicError } from '../../streams/errors.js'

/** Every documented function, as `namespace.name` (`Conversation.*` and `MessageSender.*` act on a conversation with bob). */
export const apiPaths = [
  'getConfig', 'updateConfig', 'getBrowserDetails', 'setTokens', 'getUserInfo', 'on', 'off', 'subscribe', 'unsubscribe',
  'call.make', 'call.answer', 'call.reject', 'call.ignore', 'call.end', 'call.getAll', 'call.getById', 'call.getStats', 'call.hold',
  'call.unhold', 'call.addMedia', 'call.removeMedia', 'call.replaceTrack', 'call.sendDTMF', 'call.consultativeTransfer', 'call.join',
  'media.getDevices', 'media.getById', 'media.getTrackById', 'media.renderTracks', 'media.removeTracks', 'media.muteTracks', 'media.unmuteTracks',
  'conversation.get', 'conversation.getAll', 'conversation.create', 'conversation.fetch',
  'Conversation.createMessage', 'Conversation.clearMessages', 'Conversation.getMessages', 'Conversation.getMessage', 'Conversation.deleteMessages',
  'Conversation.subscribe', 'Conversation.fetchMessages', 'Conversation.setIsTyping',
  'MessageSender.addPart', 'MessageSender.send',
  'presence.update', 'presence.get', 'presence.getAll', 'presence.getSelf', 'presence.fetch', 'presence.subscribe', 'presence.unsubscribe',
  'groups.create', 'groups.fetch', 'groups.getAll', 'groups.get', 'groups.getParticipants', 'groups.getInvitations', 'groups.leave',
  'groups.acceptInvitation', 'groups.rejectInvitation', 'groups.addParticipant', 'groups.removeParticipant', 'groups.delete',
  'contacts.add', 'contacts.get', 'contacts.getAll', 'contacts.refresh', 'contacts.remove', 'contacts.update', 'contacts.fetch',
  'user.fetch', 'user.fetchSelfInfo', 'user.get', 'user.getAll', 'user.search',
  'services.subscribe', 'services.unsubscribe', 'services.getSubscriptions',
  'connection.getSocketState', 'connection.enableConnectivityChecking',
] as const

export type ApiPath = (typeof apiPaths)[number]

/** The event API throws plain `Error`s for misuse, as the reference does (`protocol/events.md` §1). */
const eventApi: ReadonlySet<string> = new Set(['on', 'off', 'subscribe', 'unsubscribe'])
const eventApiMessages = /^(Invalid event type|Listener not a function)/

/** Values an app gets wrong: wrong types, prototype keys, objects without a prototype, throwing functions, and a few valid ones. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<unknown>(undefined, null, '', '__proto__', 'toString', 'constructor', 'hasOwnProperty', Number.NaN, Infinity, -1, 0, true, false),
    fc.constantFrom<unknown>('bob@example.com', 'alice@example.com', 'open', 'available', 'text', 'call:start', 'chat-oneToOne', 'sms'),
    fc.constant(null).map(() => Object.create(null) as unknown),
    fc.constant(null).map(() => ({ toString: () => 'weird' }) as unknown),
    fc.constant(null).map(() => (() => { throw new Error('an app callback that throws') }) as unknown),
    fc.func(fc.constantFrom<unknown>(undefined, null, 0, 'x', {})).map((f) => f as unknown),
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('type', 'text', 'json', 'file', 'name', 'audio', 'video', 'bandwidth', 'logs', 'call', 'participants', 'contactId', 'primaryContact', '__proto__', 'constructor', 'x'), tie('value'), { maxKeys: 4 }),
  ),
})).value

/** One call of the public API: a path and its arguments. */
export interface ApiCall {
  readonly path: ApiPath
  readonly args: readonly unknown[]
}

export const apiCall: fc.Arbitrary<ApiCall> = fc.record({ path: fc.constantFrom(...apiPaths), args: fc.array(hostileValue, { maxLength: 4 }) })

/** What one call did: returned, threw what it may (a `BasicError`, or the event API's documented `Error`), or threw something else. */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly path: ApiPath; readonly thrown: string }

type Fn = (...args: readonly unknown[]) => unknown

const target = (client: Client, path: ApiPath): Fn | undefined => {
  const [owner, name] = path.includes('.') ? (path.split('.') as [string, string]) : ['', path]
  const scope: Record<string, unknown> =
    owner === ''
      ? (client as unknown as Record<string, unknown>)
      : owner === 'Conversation'
        ? (client.conversation.create('bob@example.com') as unknown as Record<string, unknown>)
        : owner === 'MessageSender'
          ? (client.conversation.create('bob@example.com').createMessage('fuzz') as unknown as Record<string, unknown>)
          : ((client as unknown as Record<string, Record<string, unknown>>)[owner] ?? {})
  const fn = scope[name]
  return typeof fn === 'function' ? (fn as Fn).bind(scope) : undefined
}

const describeThrown = (error: unknown): string => {
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return typeof error
}

/** Calls `path` with `args` and judges what it threw. */
export function invoke(client: Client, { path, args }: ApiCall): Verdict {
  try {
    const fn = target(client, path)
    if (fn === undefined) return { ok: false, path, thrown: 'no such function' }
    fn(...args)
    return { ok: true }
  } catch (error) {
    if (isBasicError(error)) return { ok: true }
    if (eventApi.has(path) && error instanceof Error && eventApiMessages.test(error.message)) return { ok: true }
    return { ok: false, path, thrown: describeThrown(error) }
  }
}

/** Records uncaught exceptions and unhandled rejections until `stop()`. */
export function watchUncaught(): { readonly seen: unknown[]; stop(): void } {
  const seen: unknown[] = []
  const record = (error: unknown): void => void seen.push(error)
  process.on('unhandledRejection', record)
  process.on('uncaughtExceptionMonitor', record)
  return {
    seen,
    stop: () => {
      process.off('unhandledRejection', record)
      process.off('uncaughtExceptionMonitor', record)
    },
  }
}
