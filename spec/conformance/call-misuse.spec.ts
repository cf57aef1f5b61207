import { conformanceSuite, justify } from './harness.js'
import { act, aliceCallsBob, answeredCall, eventsSince, incomingTrack, markAll, shifted, trackIdKey, untilState, type CallClient } from './call-steps.js'
import { asAliceAndBob } from './steps.js'

// What a page gets when it misuses the call and media functions, side by side with the original:
// bad arguments on a connected call, and operations in a state that does not take them.

conformanceSuite('conformance: call and media misuse', (scenario) => {
  scenario('misuse: getStats, sendDTMF, renderTracks and removeTracks with bad arguments on a connected call', {
    name: 'call and media misuse',
    justified: [
      ...shifted,
      { path: 'bob.events.call.call:newTrack', reason: incomingTrack },
      { path: 'alice.events.call.call:statsReceived[3][0].error.code', reason: 'bad input: kandy-rx checks the track id against the call first (call:7, bad track ids, protocol/events.md §12.1); the original asks the browser, which fails (call:2)' },
      { path: 'alice.events.call.call:statsReceived[4][0].error.code', reason: 'bad input: kandy-rx refuses the stats of an ended call as a call in the wrong state (call:6); the original asks its closed peer, which fails (call:2)' },
      ...justify(['alice.steps.track.containers', 'alice.steps.track muted.containers'], 'the original lists a container again at each renderTracks in it (["#local", "#local"]), though the track has one element there; kandy-rx lists it once'),
      ...justify(['alice.steps.track.id', 'alice.steps.track muted.id'], trackIdKey),
    ],
    run: asAliceAndBob({ services: ['call'] }, async (alice, bob) => {
      await answeredCall(alice, bob, false)
      await alice.settle(1000)
      await alice.step('getStats', (client) => (client as unknown as CallClient).call.getStats(window.__calls.first()))
      await alice.waitFor('call:statsReceived')
      await alice.step('getStats track', (client) => (client as unknown as CallClient).call.getStats(window.__calls.first(), window.__calls.local()[0]))
      await alice.step('getStats unknown call', (client) => (client as unknown as CallClient).call.getStats('no-such-call'))
      await alice.step('getStats unknown track', (client) => (client as unknown as CallClient).call.getStats(window.__calls.first(), 'no-such-track'))
      await alice.settle(1500)
      await alice.step('sendDTMF bad tone', (client) => (client as unknown as CallClient).call.sendDTMF(window.__calls.first(), 'x'))
      await alice.step('sendDTMF number', (client) => (client as unknown as CallClient).call.sendDTMF(window.__calls.first(), 5))
      await alice.step('sendDTMF unknown call', (client) => (client as unknown as CallClient).call.sendDTMF('no-such-call', '1'))
      await alice.step('sendDTMF', (client) => (client as unknown as CallClient).call.sendDTMF(window.__calls.first(), '1'))
      await alice.step('renderTracks no such element', (client) => client.media.renderTracks(window.__calls.local(), '#nowhere'))
      await alice.step('renderTracks unknown track', (client) => client.media.renderTracks(['no-such-track'], '#local'))
      await alice.step('removeTracks no such element', (client) => client.media.removeTracks(window.__calls.local(), '#nowhere'))
      await alice.step('removeTracks not rendered', (client) => client.media.removeTracks(window.__calls.local(), '#local'))
      await alice.step('renderTracks', (client) => client.media.renderTracks(window.__calls.local(), '#local'))
      await alice.settle(300)
      await alice.step('rendered', () => Array.from(document.querySelectorAll('#local audio, #local video')).map((element) => element.tagName))
      await alice.step('renderTracks again', (client) => client.media.renderTracks(window.__calls.local(), '#local'))
      await alice.settle(300)
      await alice.step('rendered again', () => Array.from(document.querySelectorAll('#local audio, #local video')).map((element) => element.tagName))
      await alice.step('track', (client) => client.media.getTrackById(window.__calls.local()[0]!))
      await alice.step('muteTracks', (client) => client.media.muteTracks(window.__calls.local()))
      await alice.waitFor('media:muted')
      await alice.step('muteTracks again', (client) => client.media.muteTracks(window.__calls.local()))
      await alice.waitFor('media:muted', 2)
      await alice.step('track muted', (client) => client.media.getTrackById(window.__calls.local()[0]!))
      await alice.step('unmuteTracks', (client) => client.media.unmuteTracks(window.__calls.local()))
      await alice.waitFor('media:unmuted')
      await alice.step('end', (client) => (client as unknown as CallClient).call.end(window.__calls.first()))
      await untilState(alice, 'Ended')
      await alice.settle(500)
      await alice.step('getStats ended', (client) => (client as unknown as CallClient).call.getStats(window.__calls.first()))
      await alice.step('sendDTMF ended', (client) => (client as unknown as CallClient).call.sendDTMF(window.__calls.first(), '1'))
      await alice.settle(1000)
    }),
  })
  scenario('operations in the wrong state or with bad arguments: which event says so, with which code', {
    name: 'call wrong state',
    justified: [
      ...shifted,
      ...justify(['alice.events.call', 'bob.events.call'], 'compared by the callEventsSince steps'),
      ...justify(['alice.events.notification', 'bob.events.notification'], 'follows from addMedia with nothing to add (below): the original re-offers, kandy-rx sends nothing'),
      ...justify(['alice.steps.connected misuse[1].payload.tracks', 'alice.steps.connected misuse[2].payload.tracks'], 'protocol/events.md §6: call:removedMedia carries tracks; the original leaves it out of a failure'),
      { path: 'alice.steps.connected misuse[4].payload.error', reason: 'bad input: addMedia with nothing to add is refused (call:7, bad media options); the original re-offers the same media' },
      { path: 'bob.steps.connected misuse[1]', reason: 'follows from addMedia with nothing to add: the original\'s empty re-offer reaches the far end as a generic update' },
      { path: 'alice.steps.ended misuse[0].payload.error', reason: 'documented choice (call.end): an ended call gives call:6; the original (protocol/calls.md §10) sends the DELETE again and says Ended again' },
      { path: 'alice.steps.ended misuse[1].payload.error.code', reason: 'bad input: hold of an ended call is refused as a call in the wrong state (call:6); the original fails to make its offer (call:9)' },
    ],
    run: asAliceAndBob({ services: ['call'] }, async (alice, bob) => {
      await aliceCallsBob(alice, bob)
      await untilState(alice, 'Ringing')
      await alice.settle(500)
      await markAll(alice, bob)
      for (const operation of ['hold', 'unhold']) await act(bob, operation)
      for (const operation of ['answer', 'reject', 'ignore']) await act(alice, operation)
      await alice.settle(1500)
      await eventsSince('ringing misuse', alice, bob)
      await act(bob, 'answer')
      await untilState(alice, 'Connected')
      await untilState(bob, 'Connected')
      await alice.settle(1000)
      await markAll(alice, bob)
      await bob.step('answer again', (client) => (client as unknown as CallClient).call.answer(window.__calls.first(), { audio: true }))
      await alice.step('unhold 1', (client) => (client as unknown as CallClient).call.unhold(window.__calls.first()))
      await alice.step('removeMedia empty', (client) => (client as unknown as CallClient).call.removeMedia(window.__calls.first(), []))
      await alice.step('removeMedia unknown', (client) => (client as unknown as CallClient).call.removeMedia(window.__calls.first(), ['no-such-track']))
      await alice.step('replaceTrack unknown', (client) => (client as unknown as CallClient).call.replaceTrack(window.__calls.first(), 'no-such-track', { audio: true }))
      await alice.step('addMedia nothing', (client) => (client as unknown as CallClient).call.addMedia(window.__calls.first(), {}))
      await alice.settle(2000)
      await eventsSince('connected misuse', alice, bob)
      await act(alice, 'end')
      await untilState(bob, 'Ended')
      await alice.settle(500)
      await markAll(alice, bob)
      await alice.step('end again', (client) => (client as unknown as CallClient).call.end(window.__calls.first()))
      await alice.step('hold ended', (client) => (client as unknown as CallClient).call.hold(window.__calls.first()))
      await alice.settle(1500)
      await eventsSince('ended misuse', alice, bob)
    }),
  })
}, 180000)
