// Plain fetch + ws clients of the platform for the core specs (no SDK code).
import { isRight } from 'fp-ts/Either'
import type * as t from 'io-ts'
import { WebSocket } from 'ws'
import { CallSubscriptionResponse, ChatSubscriptionResponse, CreateChannelResponse, SmsInboundSubscriptionResponse } from '../../../streams/subscription/codecs.js'
import type { LoginTokens, TestPlatform } from '../../helpers/platform.js'

/** Asserts that a response body decodes with the SDK's codec (one definition of every message). */
export function decodes<A>(codec: t.Decoder<unknown, A>, body: unknown): A {
  const decoded = codec.decode(body)
  if (!isRight(decoded)) throw new Error(`the body does not decode with ${codec.name}: ${JSON.stringify(body)}`)
  return decoded.right
}

export const json = { 'Content-Type': 'application/json', Accept: 'application/json' }

export const auth = (tokens: LoginTokens): Record<string, string> => ({ ...json, Authorization: `Bearer ${tokens.accessToken}` })

export interface ChannelBody {
  readonly callbackURL: string
  readonly channelData: { readonly channelURL: string }
  readonly resourceURL: string
  readonly channelLifetime: number
  readonly channelType: string
  readonly clientCorrelator?: string
  readonly 'x-connCheckRole': string
}

/** POSTs a channel and returns its `notificationChannel` object. */
export async function createChannel(platform: TestPlatform, tokens: LoginTokens, fields: Record<string, unknown> = {}): Promise<ChannelBody> {
  const response = await platform.fetchAs(tokens, 'POST', `/cpaas/notificationchannel/v1/${tokens.userId}/channels`, {
    notificationChannel: { channelType: 'Websockets', clientCorrelator: 'spec-device', ...fields },
  })
  if (response.status !== 201) throw new Error(`channel create failed: ${response.status} ${await response.text()}`)
  const body = await response.json()
  decodes(CreateChannelResponse, body)
  return (body as { notificationChannel: ChannelBody }).notificationChannel
}

/** Path, wrapper key and (where the SDK has one) response codec of each service subscription. */
export const subscriptionPaths: Record<'call' | 'chat' | 'smsinbound' | 'smsoutbound', { path: (user: string) => string; wrapper: string; response?: t.Decoder<unknown, unknown> }> = {
  call: { path: (user) => `/cpaas/webrtcsignaling/v1/${user}/subscriptions`, wrapper: 'wrtcsNotificationSubscription', response: CallSubscriptionResponse },
  chat: { path: (user) => `/cpaas/chat/v1/${user}/subscriptions`, wrapper: 'chatNotificationSubscription', response: ChatSubscriptionResponse },
  smsinbound: { path: (user) => `/cpaas/smsmessaging/v1/${user}/inbound/subscriptions`, wrapper: 'subscription', response: SmsInboundSubscriptionResponse },
  // Not offered by the SDK (disabled in the reference), so it has no response codec.
  smsoutbound: { path: (user) => `/cpaas/smsmessaging/v1/${user}/outbound/${user}/subscriptions`, wrapper: 'deliveryReceiptSubscription' },
}

export type SubscribableService = keyof typeof subscriptionPaths

/** POSTs a service subscription on a channel; returns the echoed object (with `resourceURL`). */
export async function subscribe(platform: TestPlatform, tokens: LoginTokens, service: SubscribableService, channel: ChannelBody): Promise<Record<string, unknown> & { resourceURL: string }> {
  const { path, wrapper } = subscriptionPaths[service]
  const response = await platform.fetchAs(tokens, 'POST', path(tokens.userId), {
    [wrapper]: { callbackReference: { notifyURL: channel.callbackURL }, clientCorrelator: 'spec-device' },
  })
  if (response.status !== 201) throw new Error(`subscribe ${service} failed: ${response.status} ${await response.text()}`)
  const body = await response.json()
  if (subscriptionPaths[service].response !== undefined) decodes(subscriptionPaths[service].response, body)
  return (body as Record<string, Record<string, unknown> & { resourceURL: string }>)[wrapper]!
}

/** A WebSocket client that records every text frame and can wait for the next ones. */
export class SocketClient {
  readonly frames: string[] = []
  readonly closed: Promise<{ code: number; reason: string }>
  private read = 0
  private waiters: (() => void)[] = []

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(data.toString())
      for (const wake of this.waiters.splice(0)) wake()
    })
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  }

  /** The next unread frame (waits up to `timeout` ms). */
  async next(timeout = 3000): Promise<string> {
    const deadline = Date.now() + timeout
    while (this.read >= this.frames.length) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no frame within ${timeout} ms (got ${JSON.stringify(this.frames)})`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return this.frames[this.read++]!
  }

  async nextJson(timeout?: number): Promise<Record<string, Record<string, unknown>>> {
    return JSON.parse(await this.next(timeout)) as Record<string, Record<string, unknown>>
  }

  /** Frames received and not read yet. */
  unread(): string[] {
    return this.frames.slice(this.read)
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  /**
   * Round trip: sends a `connCheck` and reads up to its `connAck`. Frames are ordered, so every
   * notification the server sent before answering has arrived; returns them.
   */
  async barrier(): Promise<string[]> {
    this.send({ connCheck: { interval: 30 } })
    const before: string[] = []
    for (;;) {
      const frame = await this.next()
      if (frame === '{"connAck":{}}') return before
      before.push(frame)
    }
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000)
    return this.closed
  }
}

/** Opens the channel's WebSocket as the SDK does (`?access_token=`); rejects with the refusing status. */
export function connect(platform: TestPlatform, channel: ChannelBody, accessToken: string, headers: Record<string, string> = {}): Promise<SocketClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${platform.wsUrl}${channel.channelData.channelURL}?access_token=${encodeURIComponent(accessToken)}`, { headers })
    const client = new SocketClient(ws)
    ws.once('open', () => resolve(client))
    ws.once('unexpected-response', (_request, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode, body, headers: response.headers })))
    })
    ws.once('error', (error) => reject(error))
  })
}

/** Resolves with the status of a refused upgrade to `url`. */
export function refusedUpgrade(url: string): Promise<{ status: number; body: string; contentType: string | undefined; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.once('open', () => {
      ws.close()
      reject(new Error(`upgrade to ${url} was accepted`))
    })
    ws.once('unexpected-response', (_request, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, contentType: response.headers['content-type'], connection: response.headers.connection }))
    })
    ws.once('error', () => undefined)
  })
}

/** Parses an error body and returns its exception object (service or policy). */
export async function exceptionOf(response: Response): Promise<{ kind: 'serviceException' | 'policyException'; messageId: string; text: string; variables: string[] }> {
  const body = (await response.json()) as { requestError?: Record<string, { messageId: string; text: string; variables: string[] }> }
  const requestError = body.requestError ?? {}
  const kind = 'serviceException' in requestError ? 'serviceException' : 'policyException'
  const exception = requestError[kind]
  if (exception === undefined) throw new Error(`no requestError exception in ${JSON.stringify(body)}`)
  return { kind, ...exception }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>

/** A request's status, its JSON body (`{}` when empty) and the response itself. */
export async function jsonRequest(platform: TestPlatform, tokens: LoginTokens, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json; response: Response }> {
  const response = await platform.fetchAs(tokens, method, path, body)
  const text = await response.clone().text()
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Json), response }
}

/** A logged-in user with a socket on a channel subscribed to `services`; the socket is added to `sockets` (to close). */
export async function subscribedUser(platform: TestPlatform, userId: string, services: readonly SubscribableService[], sockets: SocketClient[]): Promise<{ tokens: LoginTokens; socket: SocketClient }> {
  const tokens = await platform.login(userId)
  const channel = await createChannel(platform, tokens)
  const socket = await connect(platform, channel, tokens.accessToken)
  sockets.push(socket)
  for (const service of services) await subscribe(platform, tokens, service, channel)
  return { tokens, socket }
}

/** A logged-in user with a socket on a channel subscribed to some services. */
export interface Member {
  readonly tokens: LoginTokens
  readonly socket: SocketClient
}

/** The sockets a suite opens (subscribedUser adds them), closed after its tests. */
export function useSockets(): SocketClient[] {
  const sockets: SocketClient[] = []
  after(async () => {
    await Promise.all(sockets.splice(0).map((socket) => socket.close()))
  })
  return sockets
}

/** One subscribedUser per id, in order. */
export function subscribedUsers<const Ids extends readonly string[]>(platform: TestPlatform, userIds: Ids, services: readonly SubscribableService[], sockets: SocketClient[]): Promise<{ -readonly [K in keyof Ids]: Member }> {
  return Promise.all(userIds.map((userId) => subscribedUser(platform, userId, services, sockets))) as Promise<{ -readonly [K in keyof Ids]: Member }>
}

/** Notifications received since the last read (a connCheck round trip makes sure all have arrived). */
export const received = async (who: Member): Promise<Json[]> => (await who.socket.barrier()).map((frame) => JSON.parse(frame) as Json)
