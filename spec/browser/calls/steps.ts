// Steps shared by the call specs: placing, answering and ending calls between two user pages.
import type { MediaOptions } from '../../../lib/api/call.js'
import type { UserPage } from '../harness.js'

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

/** The state of a call on a page. */
export const stateOf = (user: UserPage, callId: string): Promise<string | undefined> => user.run((client, id) => client.call.getById(id)?.state, callId)

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
