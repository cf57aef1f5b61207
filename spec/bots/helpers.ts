// Shared steps of the bot specs: a platform per describe, one bot started on its seeded account,
// callers that are Node SDK clients with their own synthetic media (@roamhq/wrtc), and media checks.
import { firstValueFrom, take, takeUntil, timer, toArray } from 'rxjs'
import type { SchedulerLike } from 'rxjs'
import type { Client, UserConfig } from '../../lib/index.js'
import { startBot, type BotDefinition, type RunningBot } from '../../samples/node/bots/index.js'
import { goertzel, pcmToFloat } from '../../samples/node/dtmf.js'
import { nodeEnvironment, type NodeEnvironment } from '../../samples/node/environment.js'
import { audioOf, framesOf, silence, type AudioGenerator, type VideoFrame, type VideoGenerator } from '../../samples/node/media.js'
import { createTestClient, nextEvent, type TestClient } from '../helpers/client.js'
import { usePlatform, type TestPlatform } from '../helpers/platform.js'

export { nextEvent }

/** A person's Node SDK client with its Node environment (whose synthetic microphone plays `audio`). */
export interface Caller {
  readonly client: TestClient
  readonly environment: NodeEnvironment
  /** Ends the calls still up (waiting for them to end), then disposes the client and its media; nothing once it has vanished. */
  dispose(): Promise<void>
  /** Goes as a closed tab does: the client and its peer connections disappear, nothing is signalled. */
  vanish(): void
}

/** Options of a person's client: its services (default `['call']`), what its devices play, its SDK configuration. */
export interface CallerOptions {
  readonly services?: readonly string[]
  readonly audio?: AudioGenerator
  readonly video?: VideoGenerator
  readonly config?: UserConfig
}

/**
 * A platform for the describe, `bot` started on the seeded account of its kind before its tests,
 * and `caller`, which signs a person in on that platform; each test's callers are disposed after it.
 */
export function useBot(
  definition: BotDefinition,
  options: { readonly scheduler?: SchedulerLike } = {},
): { platform: () => TestPlatform; bot: () => RunningBot; caller: (userId: string, options?: CallerOptions) => Promise<Caller> } {
  const platform = usePlatform()
  let bot: RunningBot | undefined
  let callers: Caller[] = []
  afterEach(async () => {
    await Promise.all(callers.map((person) => person.dispose()))
    callers = []
  })
  before(async () => {
    const account = platform().users.find((user) => user.bot === definition.kind)
    if (account === undefined) throw new Error(`no seeded account for the ${definition.kind} bot`)
    bot = await startBot(definition, account, { url: platform().url, scheduler: options.scheduler })
  })
  after(() => {
    bot?.agent.stop()
    bot = undefined
  })
  return {
    platform,
    bot: () => {
      if (bot === undefined) throw new Error('useBot: the bot is not running')
      return bot
    },
    caller: async (userId, callerOptions) => {
      const person = await caller(platform(), userId, callerOptions)
      callers.push(person)
      return person
    },
  }
}

export async function caller(platform: TestPlatform, userId: string, options: CallerOptions = {}): Promise<Caller> {
  const environment = nodeEnvironment({ audio: options.audio ?? silence, ...(options.video === undefined ? {} : { video: options.video }) })
  const client = await createTestClient(platform, userId, { services: options.services ?? ['call'], environment, config: options.config })
  let gone = false
  const vanish = (): void => {
    gone = true
    client.dispose()
    environment.media.dispose()
  }
  return {
    client,
    environment,
    vanish,
    dispose: async () => {
      if (gone) return
      const live = client.call.getAll().filter((call) => call.state !== 'Ended' && call.state !== 'Cancelled')
      for (const call of live) client.call.end(call.id)
      await Promise.all(live.map((call) => callState(client, call.id, 'Ended', 3000).catch(() => undefined)))
      vanish()
    },
  }
}

/** Resolves once the call reaches `state` (rejects after `timeout` ms); resolves at once if it is there. */
export async function callState(client: Client, callId: string, state: string, timeout = 10000): Promise<void> {
  if (client.call.getById(callId)?.state === state) return
  await nextEvent(client, 'call:stateChange', () => client.call.getById(callId)?.state === state, timeout)
}

/** Every state the call goes through from now on, in order. */
export function recordStates(client: TestClient, callId: string): string[] {
  const states: string[] = []
  client.on('call:stateChange', (payload) => {
    const { callId: id } = payload as { callId: string }
    const state = client.call.getById(id)?.state
    if (id === callId && state !== undefined) states.push(state)
  })
  return states
}

/** Received bytes per media kind (inbound-rtp), from `call.getStats` (the SDK's own getStats over wrtc). */
export async function inboundBytes(client: Client, callId: string): Promise<Record<string, number>> {
  const reported = nextEvent<{ callId: string; result?: RTCStatsReport }>(client, 'call:statsReceived', (payload) => payload.callId === callId)
  client.call.getStats(callId)
  const { result } = await reported
  const bytes: Record<string, number> = {}
  result?.forEach((entry: { type: string; kind?: string; bytesReceived?: number }) => {
    if (entry.type === 'inbound-rtp' && entry.kind !== undefined) bytes[entry.kind] = (bytes[entry.kind] ?? 0) + (entry.bytesReceived ?? 0)
  })
  return bytes
}

/** The wrtc track of the call's remote track of a kind. */
export function remoteTrack(caller: Caller, callId: string, kind: string): MediaStreamTrack {
  const track = (caller.client.call.getById(callId)?.remoteTracks ?? []).map((id) => caller.environment.media.remote(id)).find((found) => found?.kind === kind)
  if (track === undefined) throw new Error(`call ${callId} has no remote ${kind} track`)
  return track
}

/** `ms` of a track's audio as it plays (first channel, ±1), and its sample rate. */
export async function listen(track: MediaStreamTrack, ms: number): Promise<{ samples: Float32Array; sampleRate: number }> {
  const chunks = await firstValueFrom(audioOf(track).pipe(takeUntil(timer(ms)), toArray()))
  const sampleRate = chunks.at(-1)?.sampleRate ?? 48000
  const floats = chunks.filter((chunk) => chunk.sampleRate === sampleRate).map((chunk) => pcmToFloat(chunk.samples, chunk.channelCount))
  const samples = new Float32Array(floats.reduce((sum, chunk) => sum + chunk.length, 0))
  floats.reduce((at, chunk) => (samples.set(chunk, at), at + chunk.length), 0)
  return { samples, sampleRate }
}

/** The share of a block's energy at `frequency` (1 for a pure sine of that frequency), over its loudest 100 ms. */
export function toneShare(samples: Float32Array, sampleRate: number, frequency: number): { share: number; rms: number } {
  const block = Math.round(sampleRate / 10)
  let best = { share: 0, rms: 0 }
  for (let start = 0; start + block <= samples.length; start += block) {
    let energy = 0
    for (let i = start; i < start + block; i++) energy += samples[i]! ** 2
    const rms = Math.sqrt(energy / block)
    if (rms <= best.rms) continue
    best = { share: energy === 0 ? 0 : (2 * goertzel(samples, sampleRate, frequency, start, block)) / (block * energy), rms }
  }
  return best
}

/** The first `count` frames a video track delivers. */
export function frames(track: MediaStreamTrack, count: number): Promise<VideoFrame[]> {
  return firstValueFrom(framesOf(track).pipe(take(count), toArray()))
}

/** Resolves once `kind` bytes received on the call exceed what they were when called (polling getStats). */
export async function bytesRising(client: Client, callId: string, kind: string, timeout = 8000): Promise<{ before: number; after: number }> {
  const before = (await inboundBytes(client, callId))[kind] ?? 0
  const deadline = Date.now() + timeout
  for (;;) {
    await firstValueFrom(timer(250))
    const after = (await inboundBytes(client, callId))[kind] ?? 0
    if (after > before) return { before, after }
    if (Date.now() > deadline) throw new Error(`${kind} bytes received stayed at ${before} for ${timeout} ms`)
  }
}

/** The text of a received message in a conversation that satisfies `accept`, as soon as there is one. */
export function receivedText(client: Client, destination: string, type: string, accept: (text: string) => boolean, timeout = 10000): Promise<string> {
  const find = (): string | undefined =>
    client.conversation
      .get(destination, { type })
      ?.getMessages()
      // Every Message object has its conversation's type; a received one is the one the other side sent.
      .filter((message) => message.sender?.toLowerCase() === destination.toLowerCase())
      .map((message) => message.parts.map((part) => (part.type === 'text' ? part.text : '')).join(''))
      .find(accept)
  return new Promise<string>((resolve, reject) => {
    const check = (): void => {
      const text = find()
      if (text === undefined) return
      finish()
      resolve(text)
    }
    const finish = (): void => {
      clearTimeout(timer)
      client.off('messages:change', check)
      client.off('conversations:change', check)
    }
    const timer = setTimeout(() => {
      finish()
      reject(new Error(`no matching message from ${destination} within ${timeout} ms`))
    }, timeout)
    client.on('messages:change', check)
    client.on('conversations:change', check)
    check()
  })
}

/** Resolves once the platform holds no open socket (closing is asynchronous); rejects after `timeout` ms. */
export async function socketsClosed(platform: TestPlatform, timeout = 5000): Promise<void> {
  const deadline = Date.now() + timeout
  while ((await platform.admin.state()).sockets > 0) {
    if (Date.now() > deadline) throw new Error(`sockets still open after ${timeout} ms`)
    await firstValueFrom(timer(50))
  }
}
