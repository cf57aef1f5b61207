// Steps of the call flow scenarios (call-flows.spec.ts, call-misuse.spec.ts): each page's calls are found by id (the order of
// call.getAll() differs between the SDKs), and the page functions are self-contained (they run in the page,
// where nothing of Node's is in scope).
import type { ConformancePage, Justified } from './harness.js'

/** The 4.9 additions every call flow shows in its call events (compared by the steps below instead). */
export const shifted: Justified[] = ['alice', 'bob'].flatMap((page) => [
  { path: `${page}.events.call.call:operation`, reason: '4.9 addition (KAA-1949): call:operation tracks each operation' },
  { path: `${page}.events.call.call:stateChange`, reason: '4.9 change (KAA-2080): a first Initiating → … entry per call shifts the list; compared by the stateChanges step instead' },
  { path: `${page}.events.call.order`, reason: 'follows from the 4.9 additions above' },
])
export const incomingTrack = 'protocol/events.md: kandy-rx announces an incoming call\'s remote track (call:newTrack), the original lists it but never announces it'
export const trackIdKey = 'superset: the reference documents TrackObject.id; kandy-rx returns it besides the original\'s trackId'

export type CallClient = { call: Record<string, (...args: unknown[]) => unknown> }
export type Recorded = { type: string; args: unknown[] }

/** Records the page's call:stateChange payloads so far, without the original's extra first one of each call (from Initiating, no error). */
export const stateChanges = (page: ConformancePage, label: string): Promise<unknown> =>
  page.step(label, () =>
    (window as unknown as { __conformance: { events: Recorded[] } }).__conformance.events
      .filter((event) => event.type === 'call:stateChange')
      .map((event) => event.args[0] as { previous?: { state?: string }; error?: unknown })
      .filter((payload) => !(payload.previous?.state === 'Initiating' && payload.error === undefined)),
  )

/** The page's call ids in order: those it made (kept by `make`), then those it received (from call:receive). Page functions cannot close over Node's. */
export type CallsHelper = { ids(): string[]; made: string[]; first(): string; local(): string[] }
declare global {
  interface Window {
    __calls: CallsHelper
  }
}
export const install = (page: ConformancePage): Promise<void> =>
  page.run(() => {
    const state = window as unknown as { __calls: CallsHelper; __conformance: { events: Recorded[]; client: { call: { getById(id: string): { localTracks: string[] } } } } }
    const made: string[] = []
    const ids = (): string[] => [...made, ...state.__conformance.events.filter((event) => event.type === 'call:receive').map((event) => (event.args[0] as { callId: string }).callId)]
    state.__calls = { made, ids, first: () => ids()[0]!, local: () => [...state.__conformance.client.call.getById(ids()[0]!).localTracks] }
  })
export const untilState = (page: ConformancePage, state: string, index = 0): Promise<void> =>
  page.until(
    (client, [wanted, at]) => {
      const id = window.__calls.ids()[at]
      return id !== undefined && (client.call.getById(id) as { state: string } | undefined)?.state === wanted
    },
    [state, index] as [string, number],
  )
export const make = (page: ConformancePage, label: string, to = 'bob@example.com'): Promise<unknown> =>
  page.step(
    label,
    (client, destination) => {
      const id = (client as unknown as CallClient).call.make(destination, { audio: true, video: false }) as string
      ;window.__calls.made.push(id)
      return typeof id
    },
    to,
  )
/** Records `operation` on the page's call number `index` (`answer` with audio). */
export const act = (page: ConformancePage, operation: string, index = 0): Promise<unknown> =>
  page.step(
    `${operation} ${index}`,
    (client, [name, at]) => {
      const id = window.__calls.ids()[at]
      return (client as unknown as CallClient).call[name]!(id, ...(name === 'answer' ? [{ audio: true, video: false }] : []))
    },
    [operation, index] as [string, number],
  )
/** Records each of the page's calls (getById), in the order of `ids`. */
export const calls = (page: ConformancePage, label: string): Promise<unknown> =>
  page.step(label, (client) => window.__calls.ids().map((id) => client.call.getById(id)))

/** Marks the page's events so far; `callEventsSince` records the call, media and devices events after the mark (without the 4.9 and kandy-rx additions). */
export const mark = (page: ConformancePage): Promise<void> =>
  page.run(() => {
    ;(window as unknown as { __mark: number }).__mark = (window as unknown as { __conformance: { events: Recorded[] } }).__conformance.events.length
  })
export const callEventsSince = (page: ConformancePage, label: string): Promise<unknown> =>
  page.step(label, () => {
    const added = ['call:operation', 'call:mediaConnectionChange', 'call:qualityWarning', 'call:mediaRestart']
    return (window as unknown as { __conformance: { events: Recorded[] } }).__conformance.events
      .slice((window as unknown as { __mark: number }).__mark)
      .filter((event) => /^(call|media|devices):/.test(event.type) && !added.includes(event.type))
      .map((event) => ({ type: event.type, payload: event.args[0] }))
  })

/** Alice calls Bob (`make`, both pages installed first) and both wait until his call rings. */
export async function aliceCallsBob(alice: ConformancePage, bob: ConformancePage): Promise<void> {
  await install(alice)
  await install(bob)
  await make(alice, 'make')
  await untilState(bob, 'Ringing')
}

/** Alice calls Bob, who answers: Alice's call is Connected, and Bob's too when `bothSides`. */
export async function answeredCall(alice: ConformancePage, bob: ConformancePage, bothSides: boolean): Promise<void> {
  await aliceCallsBob(alice, bob)
  await act(bob, 'answer')
  await untilState(alice, 'Connected')
  if (bothSides) await untilState(bob, 'Connected')
}

/** `mark` on each page. */
export const markAll = async (...pages: ConformancePage[]): Promise<void> => {
  for (const page of pages) await mark(page)
}

/** `callEventsSince` on each page, under one label. */
export const eventsSince = async (label: string, ...pages: ConformancePage[]): Promise<void> => {
  for (const page of pages) await callEventsSince(page, label)
}
