import { conformanceSuite, justify } from './harness.js'
import { act, answeredCall, calls, eventsSince, incomingTrack, install, make, markAll, shifted, stateChanges, untilState, type CallClient } from './call-steps.js'
import { asAliceAndBob } from './steps.js'

// Call flows beyond make → answer → end, as a page sees them: cancel, ignore, hold from either side, a
// destination nobody can answer, media changes, and the misuse a page makes of the call and media functions.
// `call:stateChange` is compared through the `stateChanges` step: the original 4.9 adds a first one per call
// (KAA-2080, from Initiating), which shifts every later entry of its event list.

const participant = 'Recommendation (protocol/calls.md, CallObject table): kandy-rx keeps remoteParticipant when a notification brings none; the original blanks it'
const displayNumber = 'api-reference CallObject and notifications.md §4.1: remoteParticipant.displayNumber is "username@domain", without the sip: of the normalised destination (which `to` keeps)'
const failedMake =
  'a make the platform refused (no session): the original keeps the error on the call object (an undocumented key) and sets no bandwidth or times; kandy-rx ends it as any call ends (startTime = endTime, protocol/calls.md §10) and reports the error in call:stateChange'
const sessionEndedWhy = 'Recommendation (notifications.md §4.4): kandy-rx passes the SessionEnded statusCode / reasonText into the transition; the original only prevState'
const localOp = '4.9 addition: the original exposes its operation tracking (call:operation) on the call object'
const forgotten = 'the original forgets an ended track (getTrackById gives undefined); kandy-rx keeps it with state "ended" and disabled: true, as the reference\'s TrackObject describes'
const incomingTo = '4.9 change (KAA-2014): the original 4.9 leaves `to` unset on incoming calls'

conformanceSuite('conformance: call flows', (scenario) => {
  scenario('cancel before the answer, then ignore: each side\'s events and calls', {
    name: 'call cancel and ignore',
    justified: [
      ...shifted,
      { path: 'bob.events.call.call:newTrack', reason: incomingTrack },
      { path: 'bob.events.call.call:trackEnded', reason: incomingTrack },
      ...justify(['alice.steps.getAll cancelled[0]', 'alice.steps.getAll ignored[0]', 'alice.steps.getAll ignored[1]'].map((step) => `${step}.localOp`), localOp),
      ...justify(['alice.steps.getAll cancelled[0]', 'alice.steps.getAll ignored[0]', 'alice.steps.getAll ignored[1]'].map((step) => `${step}.remoteParticipant`), participant),
      ...justify(['bob.steps.getAll cancelled[0]', 'bob.steps.getAll ignored[0]'].map((step) => `${step}.remoteTracks`), `${incomingTrack}; so it never ends it either, and a call that ended unanswered still lists it`),
      ...justify(['bob.steps.getAll cancelled[0]', 'bob.steps.getAll ignored[0]', 'bob.steps.getAll ignored[1]'].map((step) => `${step}.to`), incomingTo),
    ],
    run: asAliceAndBob({ services: ['call'] }, async (alice, bob) => {
      await install(alice)
      await install(bob)
      await make(alice, 'make 0')
      await untilState(bob, 'Ringing')
      await untilState(alice, 'Ringing')
      await act(alice, 'end', 0)
      await untilState(bob, 'Cancelled')
      await alice.settle(500)
      await calls(alice, 'getAll cancelled')
      await calls(bob, 'getAll cancelled')
      await make(alice, 'make 1')
      await untilState(bob, 'Ringing', 1)
      await untilState(alice, 'Ringing', 1)
      await act(bob, 'ignore', 1)
      await untilState(bob, 'Ended', 1)
      await alice.settle(1000)
      await calls(alice, 'getAll ignored')
      await calls(bob, 'getAll ignored')
      await act(alice, 'end', 1)
      await untilState(alice, 'Ended', 1)
      await bob.settle(1000)
      await stateChanges(alice, 'stateChanges')
      await stateChanges(bob, 'stateChanges')
    }),
  })

  scenario('the callee holds, then both, then each unholds; the callee ends', {
    name: 'call remote and dual hold',
    justified: [
      ...shifted,
      { path: 'bob.events.call.call:newTrack', reason: incomingTrack },
      { path: 'alice.events.call.call:trackEnded', reason: 'a track ends once (the original ends a remote track once per call:newTrack)' },
      { path: 'bob.events.call.call:trackEnded', reason: 'a track ends once (the original ends a remote track once per call:newTrack)' },
      ...justify(['bob held', 'both held', 'alice held', 'none held', 'ended'].flatMap((step) => [`alice.steps.${step}[0].remoteParticipant`, ...(step === 'bob held' ? [] : [`bob.steps.${step}[0].remoteParticipant`])]), participant),
      ...justify(['bob held', 'both held', 'alice held', 'none held', 'ended'].map((step) => `bob.steps.${step}[0].to`), incomingTo),
    ],
    run: asAliceAndBob({ services: ['call'] }, async (alice, bob) => {
      await answeredCall(alice, bob, true)
      await alice.settle(500)
      const both = async (label: string): Promise<void> => {
        await alice.settle(1000)
        await calls(alice, label)
        await calls(bob, label)
      }
      await act(bob, 'hold')
      await untilState(bob, 'On Hold')
      await both('bob held')
      await act(alice, 'hold')
      await alice.until((client) => (client.call.getAll() as Array<{ localHold: boolean }>).some((call) => call.localHold))
      await both('both held')
      await act(bob, 'unhold')
      await bob.until((client) => (client.call.getAll() as Array<{ localHold: boolean }>).every((call) => !call.localHold))
      await both('alice held')
      await act(alice, 'unhold')
      await untilState(alice, 'Connected')
      await both('none held')
      await act(bob, 'end')
      await untilState(alice, 'Ended')
      await both('ended')
      await stateChanges(alice, 'stateChanges')
      await stateChanges(bob, 'stateChanges')
    }),
  })

  scenario('a call to an unknown user, and to a user without the call service', {
    name: 'call unreachable',
    justified: [
      ...shifted.filter(({ path }) => path.startsWith('alice.')),
      { path: 'alice.events.call.call:start', reason: '4.9 change: the original emits call:start when make starts, also for a make the platform then refuses; kandy-rx when the platform has the call (protocol/calls.md §3.2)' },
      ...justify(['alice.steps.getAll unknown[0]', 'alice.steps.getAll unsubscribed[0]'].map((step) => `${step}.remoteParticipant.displayNumber`), displayNumber),
      ...justify(['bandwidth', 'startTime', 'endTime', 'error'].flatMap((key) => [`alice.steps.getAll unknown[0].${key}`, `alice.steps.getAll unsubscribed[0].${key}`]), failedMake),
      { path: 'alice.steps.getAll unsubscribed[1].localOp', reason: localOp },
      { path: 'alice.steps.getAll unsubscribed[1].remoteParticipant', reason: participant },
      { path: 'alice.steps.stateChanges[1].transition', reason: sessionEndedWhy },
    ],
    run: async ({ open }) => {
      const alice = await open('alice@example.com', { services: ['call'] })
      await open('bob@example.com', { services: ['chat'] })
      await install(alice)
      await make(alice, 'make unknown', 'nobody@example.com')
      await untilState(alice, 'Ended')
      await alice.settle(500)
      await calls(alice, 'getAll unknown')
      await make(alice, 'make unsubscribed', 'bob@example.com')
      await untilState(alice, 'Ended', 1)
      await alice.settle(500)
      await calls(alice, 'getAll unsubscribed')
      await stateChanges(alice, 'stateChanges')
    },
  })

  scenario('addMedia (video), replaceTrack, removeMedia on a connected call: events on both sides', {
    name: 'call media changes',
    justified: [
      ...shifted,
      ...justify(['alice.events.call', 'bob.events.call'], 'compared by the callEventsSince steps (the events of the media changes alone)'),
      { path: 'alice.steps.after addMedia[1].payload.mediaId', reason: 'protocol/events.md §6: call:newMedia carries mediaId (the 4.8 payload); the original 4.9 leaves it out' },
      { path: 'bob.steps.after removeMedia[0]', reason: 'api-reference removeMedia: call:trackEnded "for both the local and remote users"; the original 4.9 tells only the local one' },
      { path: 'alice.steps.old track', reason: forgotten },
      { path: 'alice.steps.after replaceTrack[1].payload.oldTrack.containers', reason: 'the original\'s oldTrack names its containers by element id ("local"), though getTrackById names them as the page gave them ("#local"); kandy-rx names them as given in both' },
      { path: 'alice.steps.local kinds', reason: 'the replacement takes the old track\'s place in localTracks; the original appends it' },
      { path: 'alice.steps.calls[0].remoteParticipant', reason: participant },
      { path: 'bob.steps.calls[0].to', reason: incomingTo },
    ],
    run: asAliceAndBob({ services: ['call'] }, async (alice, bob) => {
      await answeredCall(alice, bob, true)
      await alice.settle(1000)
      await markAll(alice, bob)
      await alice.step('addMedia', (client) => (client as unknown as CallClient).call.addMedia(window.__calls.first(), { video: true }))
      await alice.waitFor('call:newMedia')
      await alice.settle(1500)
      await eventsSince('after addMedia', alice, bob)
      await alice.step('render local', (client) => client.media.renderTracks(window.__calls.local(), '#local'))
      await alice.settle(300)
      await markAll(alice, bob)
      await alice.step('replaceTrack', (client) => {
        const audio = window.__calls.local().find((id) => (client.media.getTrackById(id) as { kind: string } | undefined)?.kind === 'audio')
        ;(window as unknown as { __old: string }).__old = audio!
        return (client as unknown as CallClient).call.replaceTrack(window.__calls.first(), audio, { audio: true })
      })
      await alice.waitFor('call:trackReplaced')
      await alice.settle(1000)
      await eventsSince('after replaceTrack', alice, bob)
      await alice.step('rendered after replaceTrack', () => Array.from(document.querySelectorAll('#local > *')).map((element) => element.tagName))
      await alice.step('old track', (client) => client.media.getTrackById((window as unknown as { __old: string }).__old))
      await alice.step('local kinds', (client) => window.__calls.local().map((id) => (client.media.getTrackById(id) as { kind: string } | undefined)?.kind))
      await markAll(alice, bob)
      await alice.step('removeMedia', (client) =>
        (client as unknown as CallClient).call.removeMedia(
          window.__calls.first(),
          window.__calls.local().filter((id) => (client.media.getTrackById(id) as { kind: string } | undefined)?.kind === 'video'),
        ),
      )
      await alice.waitFor('call:removedMedia')
      await alice.settle(1500)
      await eventsSince('after removeMedia', alice, bob)
      await calls(alice, 'calls')
      await calls(bob, 'calls')
      await act(alice, 'end')
      await untilState(bob, 'Ended')
    }),
  })
  scenario('rendered tracks when the call ends: the elements, the track objects', {
    name: 'call ended while rendered',
    justified: [...shifted, { path: 'bob.events.call.call:newTrack', reason: incomingTrack }, { path: 'alice.steps.tracks after end', reason: forgotten }],
    run: asAliceAndBob({ services: ['call'] }, async (alice, bob) => {
      await answeredCall(alice, bob, false)
      await alice.settle(1000)
      await alice.run((client) => {
        const call = client.call.getById(window.__calls.first())!
        ;(window as unknown as { __tracks: string[] }).__tracks = [...call.localTracks, ...call.remoteTracks]
      })
      await alice.step('render', (client) => {
        const call = client.call.getById(window.__calls.first())!
        client.media.renderTracks(call.localTracks, '#local')
        client.media.renderTracks(call.remoteTracks, '#remote')
      })
      await alice.settle(500)
      const elements = (): unknown =>
        Array.from(document.querySelectorAll('#local > *, #remote > *')).map((element) => ({
          tag: element.tagName,
          parent: element.parentElement?.id,
          stream: (element as HTMLMediaElement).srcObject === null ? null : (element as HTMLMediaElement).srcObject instanceof MediaStream,
          tracks: (element as HTMLMediaElement).srcObject instanceof MediaStream ? ((element as HTMLMediaElement).srcObject as MediaStream).getTracks().map((track) => track.readyState) : [],
        }))
      await alice.step('elements', elements)
      await act(bob, 'end')
      await untilState(alice, 'Ended')
      await alice.settle(1000)
      await alice.step('elements after end', elements)
      await alice.step('tracks after end', (client) => (window as unknown as { __tracks: string[] }).__tracks.map((id) => client.media.getTrackById(id)))
      await alice.step('removeTracks after end', (client) => {
        const [local, remote] = (window as unknown as { __tracks: string[] }).__tracks
        client.media.removeTracks([local!], '#local')
        client.media.removeTracks([remote!], '#remote')
      })
      await alice.settle(300)
      await alice.step('elements after remove', elements)
    }),
  })
}, 180000)
