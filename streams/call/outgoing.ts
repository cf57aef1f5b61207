import * as E from 'fp-ts/Either'
import { EMPTY, forkJoin, switchMap, tap } from 'rxjs'
import { BasicError, errorCodes, shown } from '../errors.js'
import type { MediaOptions } from '../media/constraints.js'
import { bandwidthOf, constraintsOf, type MakeOptions } from './commands.js'
import { displayAddress, normalizeDestination } from './destination.js'
import { asCallError, endSessionOf, failCall, type CallEngine } from './engine.js'
import { createSession, type CallScope } from './requests.js'

/** The destination as the platform wants it, or undefined for one that is no address. */
const addressOf = (destination: string, normalize: boolean, domain: string | undefined): string | undefined =>
  typeof destination !== 'string' || destination.trim() === '' ? undefined : normalize ? normalizeDestination(destination, domain) : destination.trim()

/** `make`: an outgoing call (calls.md §3): media and ICE servers, our offer, then `POST …/sessions`. */
export function createOutgoing(engine: Pick<CallEngine, 'store' | 'runtimes' | 'signalling' | 'link' | 'config' | 'environment' | 'logger' | 'running' | 'now'>) {
  const { store, runtimes, signalling, link, config, environment, running } = engine

  /** The address and scope to call with, or why the call fails at once. */
  const ready = (address: string | undefined): E.Either<BasicError, readonly [string, CallScope]> =>
    address === undefined
      ? E.left(new BasicError(errorCodes.call.INVALID_PARAM, 'The destination must be a non-empty string (a user id or a phone number).'))
      : config.current().call.sdpSemantics === 'plan-b'
        ? E.left(new BasicError(errorCodes.call.NOT_SUPPORTED, 'sdpSemantics "plan-b" is no longer supported by browsers; use "unified-plan".'))
        : E.map((scope: CallScope) => [address, scope] as const)(signalling.scope())

  return (destination: string, media: MediaOptions, options?: MakeOptions): string => {
    const callId = environment.randomId()
    const webrtcSessionId = environment.randomId()
    const user = link.user()
    const address = addressOf(destination, config.current().call.normalizeDestination !== false, user?.domain)
    const bandwidth = bandwidthOf(options)
    const remoteParticipant = { displayNumber: address === undefined ? undefined : displayAddress(address), displayName: undefined }
    store.dispatch({ type: 'callMade', callId, webrtcSessionId, from: user?.username, to: address ?? shown(destination), remoteParticipant, bandwidth, mediaConstraints: constraintsOf(media) })
    const checked = ready(address)
    if (E.isLeft(checked)) {
      failCall(engine, callId, checked.left)
      return callId
    }
    const [to, scope] = checked.right
    const displayName = typeof options?.displayName === 'string' && options.displayName !== '' ? options.displayName : undefined
    const flow = forkJoin([signalling.iceServers(), runtimes.localMedia(callId, media)]).pipe(
      switchMap(([servers, stream]) => {
        const peer = runtimes.newPeer(callId, servers)
        peer.addLocal(stream)
        return signalling.localSdp(peer, 'offer', bandwidth)
      }),
      switchMap((sdp) => (store.isLive(callId) ? createSession(link, scope, to, sdp, displayName) : EMPTY)),
      tap((sessionId) => {
        store.dispatch({ type: 'sessionCreated', callId, sessionId })
        // Ended while the session was being created: end it on the platform too.
        if (!store.isLive(callId)) endSessionOf(engine, scope, sessionId, 'Could not end a session')
      }),
    )
    running.add(flow.subscribe({ error: (error: unknown) => store.isLive(callId) && failCall(engine, callId, asCallError(error)) }))
    return callId
  }
}
