// Steps shared by the call specs: placing, answering and ending calls between two user pages.
import type { MediaOptions } from '../../../lib/api/call.js'
import type { Harness, UserPage } from '../harness.js'

/** Places a call from `caller` to `callee`; resolves once the callee has it ringing. */
export async function ring(caller: UserPage, callee: UserPage, media: MediaOptions = { audio: true }, options: Record<string, unknown> = {}) {
  const after = (await callee.events('call:receive')).at(-1)?.index ?? -1
  const callerCall = await caller.run((client, { to, media: m, options: o }) => client.call.make(to, m, o), { to: callee.userId, media, options })
  const received = await callee.waitFor('call:receive', {}, { after })
  const calleeCall = String(received.payload.callId)
  await caller.until((client, id) => client.call.getById(id)?.state === 'Ringing', callerCall)
  return { callerCall, calleeCall }
}

/** Places a call and answers it; resolves once both sides are Connected. */
export async function connect(caller: UserPage, callee: UserPage, media: MediaOptions = { audio: true }, options: Record<string, unknown> = {}) {
  const call = await ring(caller, callee, media, options)
  await callee.run((client, { id, m }) => client.call.answer(id, m), { id: call.calleeCall, m: media })
  await caller.until((client, id) => client.call.getById(id)?.state === 'Connected', call.callerCall)
  await callee.until((client, id) => client.call.getById(id)?.state === 'Connected', call.calleeCall)
  return call
}

/** Alice's and Bob's pages, each signed in with the harness's default services. */
export async function openPair(harness: Harness): Promise<{ alice: UserPage; bob: UserPage }> {
  const alice = await harness.open('alice@example.com')
  const bob = await harness.open('bob@example.com')
  return { alice, bob }
}

/** Alice's and Bob's pages with a call from Alice ringing at Bob's (as `ring`). */
export async function ringingPair(harness: Harness, media?: MediaOptions) {
  const { alice, bob } = await openPair(harness)
  return { alice, bob, ...(await ring(alice, bob, media)) }
}

/** Alice's and Bob's pages with a call from Alice that Bob answered, Connected on both (as `connect`). */
export async function connectedPair(harness: Harness, media?: MediaOptions) {
  const { alice, bob } = await openPair(harness)
  return { alice, bob, ...(await connect(alice, bob, media)) }
}

/** The state of a call on a page. */
export const stateOf = (user: UserPage, callId: string): Promise<string | undefined> => user.run((client, id) => client.call.getById(id)?.state, callId)

/** The state and hold flags of a call on a page. */
export const flagsOf = (user: UserPage, callId: string) =>
  user.run((client, id) => {
    const call = client.call.getById(id)
    return { state: call?.state, localHold: call?.localHold, remoteHold: call?.remoteHold }
  }, callId)

/** Holds a call and waits until it is locally held. */
export async function hold(user: UserPage, callId: string): Promise<void> {
  await user.run((client, id) => client.call.hold(id), callId)
  await user.until((client, id) => client.call.getById(id)?.localHold === true, callId)
}

/** The path of a user's `PUT …/update` for their session of a call (for faults that refuse a re-offer). */
export const updatePath = async (user: UserPage, callId: string): Promise<string> =>
  `/cpaas/webrtcsignaling/v1/${user.tokens.userId}/sessions/${await user.run((client, id) => client.call.getById(id)?.wrtcsSessionId ?? '', callId)}/update`

/** Keeps the tracks the page's newest peer connection sends, to check them after the call. */
export const keepLocalTracks = (user: UserPage): Promise<number> =>
  user.run((_client, _arg, { peers }) => {
    const tracks = (peers.at(-1)?.getSenders() ?? []).flatMap((sender) => (sender.track === null ? [] : [sender.track]))
    ;(window as unknown as { __kept: MediaStreamTrack[] }).__kept = tracks
    return tracks.length
  })

/** The readyState of the tracks kept by `keepLocalTracks`. */
export const keptTrackStates = (user: UserPage): Promise<string[]> =>
  user.run(() => (window as unknown as { __kept: MediaStreamTrack[] }).__kept.map((track) => track.readyState))

/** The newest peer connection of the page is closed. */
export const peerClosed = (user: UserPage): Promise<boolean> => user.run((_client, _arg, { peers }) => peers.at(-1)?.signalingState === 'closed')

/** Total RTP bytes of a call, per kind, that it received (`inbound`) or sent (`outbound`), from `call.getStats`. */
export async function rtpBytes(user: UserPage, callId: string, direction: 'inbound' | 'outbound'): Promise<Record<string, number>> {
  const totals: Record<string, number> = {}
  for (const stream of (await user.rtp(callId))[direction]) totals[stream.kind] = (totals[stream.kind] ?? 0) + stream.bytes
  return totals
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Whether a call's media rises over a window of `ms`, per kind: `{ audio: true, … }`, as it receives it (`inbound`) or sends it
 * (`outbound`). Retries (up to `tries` windows) until `expected` holds for every kind, since a change takes a moment to reach the
 * far end; returns the last figures either way.
 */
export async function rtpRising(user: UserPage, callId: string, direction: 'inbound' | 'outbound', expected: boolean, { ms = 700, tries = 8 } = {}): Promise<Record<string, boolean>> {
  let rising: Record<string, boolean> = {}
  for (let attempt = 0; attempt < tries; attempt += 1) {
    const before = await rtpBytes(user, callId, direction)
    await pause(ms)
    const after = await rtpBytes(user, callId, direction)
    rising = Object.fromEntries(Object.keys(after).map((kind) => [kind, after[kind]! > (before[kind] ?? 0)]))
    if ((Object.keys(rising).length > 0 || !expected) && Object.values(rising).every((value) => value === expected)) return rising
  }
  return rising
}

/** `rtpRising` of what the call receives. */
export const inboundRising = (user: UserPage, callId: string, expected: boolean, options: { ms?: number; tries?: number } = {}): Promise<Record<string, boolean>> =>
  rtpRising(user, callId, 'inbound', expected, options)
