// A Node bot on the documented kandy-rx API, with `ws` and `@roamhq/wrtc`: it logs in through the
// platform's token endpoint, sets its presence, auto-answers calls (playing a tone, or echoing
// the caller's audio with --echo) and replies to every chat message.
//
//   node --import tsx samples/node/bot.ts --server http://127.0.0.1:8080 --user bob@example.com --password password [--echo] [--tone 440]
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { create, type Client } from '../../lib/index.js'
import { nodeEnvironment, type NodeEnvironment, type NodeMedia } from './environment.js'
import { login } from './login.js'
import { audioOf, tone } from './media.js'

export interface BotSampleOptions {
  /** The platform's base URL, e.g. `http://127.0.0.1:8080`. */
  readonly server: string
  readonly user: string
  readonly password: string
  /** Echo the caller's audio instead of playing a tone. */
  readonly echo?: boolean
  /** The tone's frequency in Hz (default 440). */
  readonly toneHz?: number
  /** Where it reports what it does (default: standard output). */
  readonly log?: (line: string) => void
}

/** A running bot: its client, and `stop()` to dispose it. */
export interface BotSample {
  readonly client: Client
  stop(): void
}

/** A client of the platform at `server`, logging warnings and errors. */
function botClient(server: URL, environment: NodeEnvironment): Client {
  return create(
    {
      authentication: { server: { base: server.hostname, port: server.port, protocol: server.protocol === 'https:' ? 'https' : 'http' } },
      logs: { logLevel: 'warn' },
    },
    environment,
  )
}

/** Subscribes to calls, chat and presence; resolves once it is done. */
function subscribe(client: Client): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const changed = (): void => {
      if (client.services.getSubscriptions().isPending) return
      client.off('subscription:change', changed)
      resolve()
    }
    client.on('subscription:change', changed)
    client.on('subscription:error', (payload) => reject(new Error(`subscription failed: ${JSON.stringify(payload)}`)))
    client.services.subscribe(['call', 'chat', 'presence'])
  })
}

/** Answers every call with audio; with `echo`, plays the caller's audio back once connected. */
function answerCalls(client: Client, media: NodeMedia, echo: boolean, log: (line: string) => void): void {
  client.on('call:receive', (payload) => {
    const { callId } = payload as { callId: string }
    log(`answering a call from ${client.call.getById(callId)?.from ?? 'someone'}`)
    client.call.answer(callId, { audio: true })
  })
  client.on('call:stateChange', (payload) => {
    const call = client.call.getById((payload as { callId: string }).callId)
    if (call === undefined) return
    log(`call with ${call.from ?? call.to}: ${call.state}`)
    if (!echo || call.state !== client.call.states.CONNECTED) return
    const remote = call.remoteTracks.map((id) => media.remote(id)).find((track) => track?.kind === 'audio')
    const local = call.localTracks.map((id) => media.local(id)).find((track) => track?.kind === 'audio')
    // The sink stops by itself when the call ends (its track ends with the peer connection).
    if (remote !== undefined && local !== undefined) audioOf(remote).subscribe((data) => local.push(data))
  })
}

/** Replies to every message someone other than `identity` sends (new conversations and existing ones). */
function replyToMessages(client: Client, identity: string | undefined, log: (line: string) => void): void {
  const replied = new Set<string>()
  const onMessage = (payload: unknown): void => {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return
    const { destination, type, messageId } = payload as { destination?: string[]; type?: string; messageId?: string }
    if (destination?.[0] === undefined || type === 'sms' || messageId === undefined || replied.has(messageId)) return
    const conversation = client.conversation.get(destination[0], { type })
    const message = conversation?.getMessage(messageId)
    // Messages sent from here have a local id (and this user as their sender).
    if (conversation === undefined || message === undefined || message.localId !== undefined || message.sender === identity) return
    replied.add(messageId)
    const text = message.parts.filter((part) => part.type === 'text').map((part) => part.text).join(' ')
    log(`${message.sender ?? 'someone'} wrote: ${text}`)
    conversation.createMessage(`Hello from the kandy-rx Node bot. You wrote: ${text}`).send()
  }
  client.on('conversations:change', onMessage)
  client.on('messages:change', onMessage)
}

/** Starts the bot; resolves once it is logged in, subscribed and available. */
export async function runBot(options: BotSampleOptions): Promise<BotSample> {
  const log = options.log ?? ((line: string) => console.log(line))
  const server = new URL(options.server)

  // 1. The environment: ws, wrtc, and a synthetic microphone that plays a tone (or nothing, to echo).
  const environment = nodeEnvironment({ audio: options.echo === true ? undefined : tone(options.toneHz ?? 440, 0.2), video: undefined })
  const client = botClient(server, environment)
  const stop = (): void => {
    client.dispose()
    environment.media.dispose()
  }

  try {
    // 2. Log in (password grant) and hand the tokens to the SDK.
    const { accessToken, idToken } = await login(server.toString(), options.user, options.password)
    client.setTokens({ accessToken, idToken })
    const me = client.getUserInfo()

    // 3. Subscribe to calls, chat and presence, and wait until it is done.
    await subscribe(client)

    // 4. Presence: available.
    client.presence.update(client.presence.statuses.OPEN, client.presence.activities.AVAILABLE)

    // 5. Calls: answer every call with audio; with --echo, play the caller's audio back once connected.
    answerCalls(client, environment.media, options.echo === true, log)

    // 6. Chat: reply to every message someone else sends (new conversations and existing ones).
    replyToMessages(client, me.identity, log)

    log(`bot ${me.username} ready on ${server.origin}: answering calls (${options.echo === true ? 'echo' : `${options.toneHz ?? 440} Hz tone`}) and chat`)
    return { client, stop }
  } catch (error) {
    stop()
    throw error
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      server: { type: 'string', default: 'http://127.0.0.1:8080' },
      user: { type: 'string' },
      password: { type: 'string' },
      echo: { type: 'boolean', default: false },
      tone: { type: 'string', default: '440' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help || values.user === undefined || values.password === undefined) {
    console.log('Usage: node --import tsx samples/node/bot.ts --server http://127.0.0.1:8080 --user USER --password PASSWORD [--echo] [--tone HZ]')
    process.exit(values.help ? 0 : 2)
  }
  const bot = await runBot({ server: values.server!, user: values.user, password: values.password, echo: values.echo, toneHz: Number(values.tone) })
  const shutdown = (): void => {
    bot.stop()
    // Exiting explicitly: wrtc's native threads can crash a natural exit after media ran.
    process.exit(0)
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`bot failed: ${(error as Error).message}`)
    process.exit(1)
  })
}
