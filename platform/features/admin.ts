import * as t from 'io-ts'
import type { PlatformContext, PlatformReply, ServiceName } from '../context.js'
import { AdminInputError, adminOperations } from '../admin.js'
import { coreOf } from '../core.js'
import { badInput } from '../errors.js'

const User = t.partial({ userId: t.string })
const Drop = t.partial({ userId: t.string, code: t.number, reason: t.string, terminate: t.boolean })
const Delay = t.intersection([t.type({ ms: t.number }), t.partial({ prefix: t.string, answer: t.boolean })])
const Fail = t.partial({ prefix: t.string, count: t.number, status: t.number, reset: t.boolean, body: t.unknown })
const Restart = t.partial({ downtime: t.number, fresh: t.boolean })
const Send = t.type({ userId: t.string, data: t.string })
const Service = t.keyof({ call: null, chat: null, smsinbound: null, presence: null, smsoutbound: null })
const Notify = t.type({ userId: t.string, service: Service, frame: t.record(t.string, t.UnknownRecord) })
const Media = t.partial({ blackhole: t.boolean, lossPercent: t.number, delayMs: t.number })
const Tokens = t.intersection([t.type({ userId: t.string }), t.partial({ lifetime: t.number })])

/** Admin input errors become 400s; anything else is a server error. */
const guarded = async (work: () => Promise<PlatformReply>): Promise<PlatformReply> => {
  try {
    return await work()
  } catch (error) {
    if (error instanceof AdminInputError) return badInput(error.message)
    throw error
  }
}

/** The fault-injection and inspection API under `/_admin/` (see `platform/README.md`); only when admin is enabled. */
export function adminFeature(ctx: PlatformContext): void {
  const core = coreOf(ctx)
  if (!core.options.admin) return
  const admin = adminOperations(() => core)
  const open = { public: true } as const
  const done: PlatformReply = { status: 204 }

  ctx.route('GET', '/_admin/state', open, async () => ({ status: 200, body: await admin.state() }))
  ctx.route('POST', '/_admin/sockets/drop', { ...open, body: t.union([Drop, t.undefined]) }, ({ body }) =>
    guarded(async () => ({ status: 200, body: { dropped: await admin.dropSockets(body ?? {}) } })),
  )
  ctx.route('POST', '/_admin/connectivity/stop', { ...open, body: t.union([User, t.undefined]) }, ({ body }) =>
    guarded(async () => (await admin.stopConnectivity(body?.userId), done)),
  )
  ctx.route('POST', '/_admin/connectivity/resume', { ...open, body: t.union([User, t.undefined]) }, ({ body }) =>
    guarded(async () => (await admin.resumeConnectivity(body?.userId), done)),
  )
  ctx.route('POST', '/_admin/delay', { ...open, body: Delay }, ({ body }) => guarded(async () => (await admin.delay(body.ms, body.prefix, { answer: body.answer }), done)))
  ctx.route('POST', '/_admin/fail', { ...open, body: t.union([Fail, t.undefined]) }, ({ body }) => guarded(async () => (await admin.fail(body ?? {}), done)))
  ctx.route('DELETE', '/_admin/faults', open, async () => (await admin.clearFaults(), done))
  ctx.route('POST', '/_admin/send', { ...open, body: Send }, ({ body }) => guarded(async () => ({ status: 200, body: { sent: await admin.send(body.userId, body.data) } })))
  ctx.route('POST', '/_admin/notify', { ...open, body: Notify }, ({ body }) =>
    guarded(async () => (await admin.notify(body.userId, body.service as ServiceName, body.frame as Record<string, Record<string, unknown>>), done)),
  )
  ctx.route('POST', '/_admin/media', { ...open, body: Media }, ({ body }) => guarded(async () => ({ status: 200, body: await admin.media(body) })))
  ctx.route('POST', '/_admin/relay/restart', open, () => guarded(async () => (await admin.restartRelay(), done)))
  ctx.route('POST', '/_admin/tokens', { ...open, body: Tokens }, ({ body }) => {
    const account = ctx.accounts.find(body.userId)
    if (account === undefined) return badInput(`unknown user ${body.userId}`)
    const tokens = core.tokens.issue(account, body.lifetime)
    return { status: 200, body: { access_token: tokens.accessToken, id_token: tokens.idToken, refresh_token: tokens.refreshToken, expires_in: tokens.expiresIn } }
  })
  ctx.route('POST', '/_admin/restart', { ...open, body: t.union([Restart, t.undefined]) }, ({ body }) => {
    // Answer first: the restart closes every connection, this one included.
    setTimeout(() => {
      admin.restart(body ?? {}).catch((error: unknown) => ctx.log(`admin restart failed: ${(error as Error).stack ?? String(error)}`))
    }, 20)
    return { status: 202, body: { restarting: true } }
  })
}
