// An agent's calls as Observables, read from the documented events of its client: calls arriving,
// each call's states, its end, its wrtc remote tracks and a failed media connection.
//
//   callStates(client, callId).subscribe((state) => log(`call ${callId}: ${state}`))
//   hangUpOnFailedMedia(client, environment.media, log)
import { Observable, concat, defer, distinctUntilChanged, filter, finalize, from, fromEvent, map, mergeMap, of, switchMap, take, takeUntil, takeWhile, type Subscription } from 'rxjs'
import type { Client, EventName } from '../../lib/index.js'
import type { CallObject } from '../../lib/api/call.js'
import type { NodeMedia } from './environment.js'

/** What the call Observables read of a client: its events and its calls. */
export type CallClient = Pick<Client, 'on' | 'off' | 'call'>
/** What the call Observables read of a Node environment's media: its remote tracks and their peer connections. */
export type RemoteMedia = Pick<NodeMedia, 'remote' | 'connectionOf'>

const ended = new Set(['Ended', 'Cancelled'])

/** The documented events of a client as an Observable. */
export function eventsOf<T = unknown>(client: Pick<Client, 'on' | 'off'>, name: EventName): Observable<T> {
  return new Observable<T>((subscriber) => {
    const listener = (payload: unknown): void => subscriber.next(payload as T)
    client.on(name, listener)
    return () => client.off(name, listener)
  })
}

/** Calls arriving (`call:receive`), as their CallObject in state `Ringing`. */
export function incomingCalls(client: CallClient): Observable<CallObject> {
  return eventsOf<{ callId: string; error?: unknown }>(client, 'call:receive').pipe(
    filter((received) => received.error === undefined),
    map((received) => client.call.getById(received.callId)),
    filter((call): call is CallObject => call !== undefined && call.state === 'Ringing'),
  )
}

/** Emits the call's state on every change (starting with the current one); completes when it ends. */
export function callStates(client: CallClient, callId: string): Observable<string> {
  return concat(
    defer(() => of(client.call.getById(callId)?.state)),
    eventsOf<{ callId: string }>(client, 'call:stateChange').pipe(
      filter((change) => change.callId === callId),
      map(() => client.call.getById(callId)?.state),
    ),
  ).pipe(
    map((state) => state ?? 'Ended'),
    distinctUntilChanged(),
    takeWhile((state) => !ended.has(state), true),
  )
}

/** Emits the call's final state once it ends. */
export function callEnded(client: CallClient, callId: string): Observable<string> {
  return callStates(client, callId).pipe(
    filter((state) => ended.has(state)),
    take(1),
  )
}

/** The call's wrtc remote tracks: those it has, then each new one, until the call ends. */
export function remoteTracks(client: CallClient, media: RemoteMedia, callId: string): Observable<MediaStreamTrack> {
  return concat(
    defer(() => from(client.call.getById(callId)?.remoteTracks ?? [])),
    eventsOf<{ callId: string; local: boolean; trackId: string }>(client, 'call:newTrack').pipe(
      filter((added) => added.callId === callId && !added.local),
      map((added) => added.trackId),
    ),
  ).pipe(
    map((trackId) => media.remote(trackId)),
    filter((track): track is MediaStreamTrack => track !== undefined),
    distinctUntilChanged(),
    takeUntil(callEnded(client, callId)),
  )
}

/** Emits once if the call's media connection fails (the other side is gone without hanging up). */
export function mediaFailed(client: CallClient, media: RemoteMedia, callId: string): Observable<void> {
  return remoteTracks(client, media, callId).pipe(
    take(1),
    map((track) => media.connectionOf(track.id)),
    filter((connection): connection is RTCPeerConnection => connection !== undefined),
    switchMap((connection) =>
      concat(of(undefined), fromEvent(connection, 'connectionstatechange')).pipe(
        filter(() => connection.connectionState === 'failed'),
        take(1),
        map(() => undefined),
      ),
    ),
    takeUntil(callEnded(client, callId)),
  )
}

/**
 * Hangs up each connected call whose media connection fails: it has lost its other side (a
 * closed tab, a crashed client), so it is ended rather than held until someone notices.
 */
export function hangUpOnFailedMedia(client: CallClient, media: RemoteMedia, log: (line: string) => void): Subscription {
  const watched = new Set<string>()
  return eventsOf<{ callId: string }>(client, 'call:stateChange')
    .pipe(
      filter(({ callId }) => client.call.getById(callId)?.state === 'Connected' && !watched.has(callId)),
      mergeMap(({ callId }) => {
        watched.add(callId)
        return mediaFailed(client, media, callId).pipe(
          map(() => callId),
          finalize(() => watched.delete(callId)),
        )
      }),
    )
    .subscribe((callId) => {
      log(`the media of call ${callId} failed: hanging up`)
      client.call.end(callId)
    })
}
