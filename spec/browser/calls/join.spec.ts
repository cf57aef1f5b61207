import { expect } from 'chai'
import { useHarness, type UserPage } from '../harness.js'
import { connect, flagsOf, hold, inboundRising, openPair, updatePath } from './steps.js'

// call.join with three pages (protocol/calls.md §11; the platform has no join: alice's client
// mixes with WebAudio). alice talks to bob and to carol, holds both and joins them: one joined
// audio call on alice, both others Connected to her. What each party hears is measured where it
// is played out (getStats `totalAudioEnergy` of the rendered remote audio, over one-second
// windows), and sources are muted one by one, so that every path is checked on its own:
// alice ← bob, alice ← carol, bob ← alice, carol ← alice, bob ← carol and carol ← bob (the last
// two only exist through alice's bridge), and silence when both of a party's sources are muted.

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Sound is well above this energy per second; silence (a muted source) well below `quiet`. */
const loud = 1e-3
const quiet = 1e-5

/**
 * The audio energy each inbound audio stream of a call played over one second, by the id of the
 * remote track it feeds. Retries (up to 6 windows) until `passes` holds, since a mute takes a
 * moment to reach the far end; returns the last figures either way.
 */
async function heard(user: UserPage, callId: string, passes: (energy: Record<string, number>) => boolean): Promise<Record<string, number>> {
  const energies = async (): Promise<Record<string, number>> => {
    const { inbound } = await user.rtp(callId)
    return Object.fromEntries(inbound.filter((stream) => stream.kind === 'audio').map((stream) => [stream.trackIdentifier ?? '', stream.audioEnergy ?? 0]))
  }
  let window: Record<string, number> = {}
  for (let tries = 0; tries < 6; tries += 1) {
    const first = await energies()
    await pause(1000)
    const second = await energies()
    window = Object.fromEntries(Object.entries(second).map(([track, energy]) => [track, energy - (first[track] ?? 0)]))
    if (Object.keys(window).length > 0 && passes(window)) return window
  }
  return window
}

/** The total energy a party hears on a call (all its inbound audio). */
const total = (energy: Record<string, number>): number => Object.values(energy).reduce((sum, value) => sum + value, 0)

const hears = (user: UserPage, callId: string) => heard(user, callId, (energy) => total(energy) > loud).then(total)
const hearsNothing = (user: UserPage, callId: string) => heard(user, callId, (energy) => total(energy) < quiet).then(total)

/** Mutes or unmutes a page's microphone on a call (its local audio tracks). */
const setMuted = (user: UserPage, callId: string, muted: boolean): Promise<void> =>
  user.run(
    (client, { id, mute }) => {
      const audio = (client.call.getById(id)?.localTracks ?? []).filter((trackId) => client.media.getTrackById(trackId)?.kind === 'audio')
      if (mute) client.media.muteTracks(audio)
      else client.media.unmuteTracks(audio)
    },
    { id: callId, mute: muted },
  )

/** Plays a call's remote tracks (the audio energy is measured at playout). */
const render = (user: UserPage, callId: string): Promise<void> =>
  user.run((client, id) => client.media.renderTracks(client.call.getById(id)?.remoteTracks ?? [], '#remote'), callId)

/**
 * Chromium's fake microphone only beeps while a fake camera captures; the join stops alice's
 * cameras (the joined call is audio-only), so her page keeps one of its own running.
 */
const keepCameraRunning = (user: UserPage): Promise<number> =>
  user.run(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true })
    ;(window as unknown as { __camera: MediaStream }).__camera = stream
    return stream.getVideoTracks().length
  })

describe('calls in Chromium: join (three pages, WebAudio bridge)', function () {
  this.timeout(180000)
  const harness = useHarness()

  /** alice calls bob, carol calls alice (audio and video), alice holds both. */
  async function consultation() {
    const { alice, bob } = await openPair(harness())
    const carol = await harness().open('carol@example.com')
    const withBob = await connect(alice, bob, { audio: true, video: true })
    const withCarol = await connect(carol, alice, { audio: true, video: true })
    return { alice, bob, carol, aliceBob: withBob.callerCall, bobCall: withBob.calleeCall, aliceCarol: withCarol.calleeCall, carolCall: withCarol.callerCall }
  }

  /** Joins alice's two calls as they are; resolves with the call:join event that tells how it went. */
  async function joinAsTheyAre(alice: UserPage, aliceBob: string, aliceCarol: string) {
    const after = (await alice.events('call:join')).at(-1)?.index ?? -1
    await alice.run((client, { a, b }) => client.call.join(a, b), { a: aliceBob, b: aliceCarol })
    return alice.waitFor('call:join', {}, { after, timeout: 20000 })
  }

  /** Holds alice's two calls and joins them; returns the joined call's id. */
  async function join(alice: UserPage, aliceBob: string, aliceCarol: string): Promise<string> {
    await hold(alice, aliceBob)
    await hold(alice, aliceCarol)
    const joined = await joinAsTheyAre(alice, aliceBob, aliceCarol)
    expect(joined.payload.error).to.equal(undefined)
    return String(joined.payload.callId)
  }

  /** The kinds of a call's local and remote tracks on a page. */
  const kindsOf = (user: UserPage, callId: string) =>
    user.run((client, id) => {
      const call = client.call.getById(id)
      const kinds = (ids: readonly string[]) => ids.map((trackId) => client.media.getTrackById(trackId)?.kind).sort()
      return { local: kinds(call?.localTracks ?? []), remote: kinds(call?.remoteTracks ?? []) }
    }, callId)

  /** How many video transceivers of each of a page's peer connections still receive. */
  const liveVideo = (user: UserPage) =>
    user.run((_client, _arg, { peers }) =>
      peers.map((peer) => peer.getTransceivers().filter((transceiver) => transceiver.receiver.track.kind === 'video' && transceiver.currentDirection !== 'stopped').length),
    )

  it('one joined audio call on alice; her calls end with 9906 "Join Successful"; bob and carol are Connected to her, off hold', async () => {
    const { alice, bob, carol, aliceBob, bobCall, aliceCarol, carolCall } = await consultation()
    const before = (await alice.events('call:stateChange')).at(-1)?.index ?? -1
    const joinedId = await join(alice, aliceBob, aliceCarol)
    expect(joinedId).to.not.be.oneOf([aliceBob, aliceCarol])

    for (const callId of [aliceBob, aliceCarol]) {
      const ended = await alice.waitFor('call:stateChange', { callId, transition: { statusCode: 9906 } }, { after: before })
      expect(ended.payload).to.deep.include({ error: undefined, transition: { statusCode: 9906, reasonText: 'Join Successful' }, previous: { state: 'On Hold', localHold: true, remoteHold: false } })
      expect(await alice.run((client, id) => client.call.getById(id), callId)).to.deep.include({ state: 'Ended', localTracks: [], remoteTracks: [] })
    }
    const joined = await alice.run((client, id) => {
      const call = client.call.getById(id)
      const kinds = (ids: readonly string[]) => ids.map((trackId) => client.media.getTrackById(trackId)?.kind)
      return { state: call?.state, localHold: call?.localHold, remoteHold: call?.remoteHold, local: kinds(call?.localTracks ?? []), remote: kinds(call?.remoteTracks ?? []), all: client.call.getAll().length }
    }, joinedId)
    expect(joined).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false, local: ['audio'], remote: ['audio', 'audio'], all: 3 })
    const newTracks = (await alice.events('call:newTrack')).filter((event) => event.payload.callId === joinedId)
    expect(newTracks.map((event) => event.payload.local)).to.deep.equal([true, false, false])

    expect(await flagsOf(bob, bobCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    expect(await flagsOf(carol, carolCall)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    // Audio only: alice sends no video any more (her cameras stopped), and receives none.
    expect(await liveVideo(alice)).to.deep.equal([0, 0])
    expect(alice.errors.concat(bob.errors, carol.errors)).to.deep.equal([])
  })

  it('each party hears both others; a muted source is silence, path by path (played-out audio energy)', async () => {
    const { alice, bob, carol, aliceBob, bobCall, aliceCarol, carolCall } = await consultation()
    expect(await keepCameraRunning(alice)).to.equal(1)
    const joinedId = await join(alice, aliceBob, aliceCarol)
    await render(alice, joinedId)
    await render(bob, bobCall)
    await render(carol, carolCall)
    const [fromBob, fromCarol] = await alice.run((client, id) => client.call.getById(id)?.remoteTracks ?? [], joinedId)
    expect(fromBob).to.be.a('string')
    expect(fromCarol).to.be.a('string')
    const aliceHears = (passes: (bob: number, carol: number) => boolean) => heard(alice, joinedId, (energy) => passes(energy[fromBob!] ?? 0, energy[fromCarol!] ?? 0))

    // Nothing muted: alice hears bob and carol, each on their own leg; bob and carol hear the mix.
    const both = await aliceHears((b, c) => b > loud && c > loud)
    expect(both[fromBob!]).to.be.greaterThan(loud)
    expect(both[fromCarol!]).to.be.greaterThan(loud)
    expect(await hears(bob, bobCall)).to.be.greaterThan(loud)
    expect(await hears(carol, carolCall)).to.be.greaterThan(loud)

    // alice muted: what bob and carol still hear can only come from each other, through alice's bridge.
    await setMuted(alice, joinedId, true)
    expect(await hears(bob, bobCall), 'bob ← carol').to.be.greaterThan(loud)
    expect(await hears(carol, carolCall), 'carol ← bob').to.be.greaterThan(loud)

    // carol muted too: bob's sources are both muted, so bob hears silence; carol still hears bob.
    await setMuted(carol, carolCall, true)
    expect(await hearsNothing(bob, bobCall), 'bob, alice and carol muted').to.be.lessThan(quiet)
    expect(await hears(carol, carolCall), 'carol ← bob').to.be.greaterThan(loud)
    const carolMuted = await aliceHears((b, c) => b > loud && c < quiet)
    expect([carolMuted[fromBob!], carolMuted[fromCarol!]]).to.satisfy(([b, c]: number[]) => b! > loud && c! < quiet)

    // alice unmuted: bob hears her microphone alone.
    await setMuted(alice, joinedId, false)
    expect(await hears(bob, bobCall), 'bob ← alice').to.be.greaterThan(loud)

    // bob muted (carol still muted): carol hears alice alone, then nothing once alice is muted as well.
    await setMuted(bob, bobCall, true)
    expect(await hears(carol, carolCall), 'carol ← alice').to.be.greaterThan(loud)
    const bobMuted = await aliceHears((b) => b < quiet)
    expect(bobMuted[fromBob!]).to.be.lessThan(quiet)
    await setMuted(alice, joinedId, true)
    expect(await hearsNothing(carol, carolCall), 'carol, alice and bob muted').to.be.lessThan(quiet)
    expect(alice.errors.concat(bob.errors, carol.errors)).to.deep.equal([])
  })

  it('the joined call: hold and unhold act on both parties; video cannot be added (call:5); ending it ends both', async () => {
    const { alice, bob, carol, aliceBob, bobCall, aliceCarol, carolCall } = await consultation()
    const joinedId = await join(alice, aliceBob, aliceCarol)

    await alice.run((client, id) => client.call.hold(id), joinedId)
    const heldChange = await alice.waitFor('call:stateChange', { callId: joinedId, previous: { state: 'Connected', localHold: false } })
    expect(heldChange.payload.error).to.equal(undefined)
    expect(await flagsOf(alice, joinedId)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false })
    await bob.until((client, id) => client.call.getById(id)?.remoteHold === true, bobCall)
    await carol.until((client, id) => client.call.getById(id)?.remoteHold === true, carolCall)
    expect(await flagsOf(bob, bobCall)).to.deep.equal({ state: 'On Hold', localHold: false, remoteHold: true })

    await alice.run((client, id) => client.call.unhold(id), joinedId)
    await alice.waitFor('call:stateChange', { callId: joinedId, previous: { state: 'On Hold', localHold: true } })
    expect(await flagsOf(alice, joinedId)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    await bob.until((client, id) => client.call.getById(id)?.state === 'Connected', bobCall)
    await carol.until((client, id) => client.call.getById(id)?.state === 'Connected', carolCall)

    await alice.run((client, id) => client.call.addMedia(id, { video: true }), joinedId)
    const refused = await alice.waitFor('call:newMedia', { callId: joinedId })
    expect(refused.payload.error).to.deep.include({ name: 'BasicError', code: 'call:5' })
    expect(String((refused.payload.error as { message: string }).message)).to.match(/audio only/)
    // The calls that were joined are ended for the application: operations on them are refused.
    await alice.run((client, id) => client.call.unhold(id), aliceBob)
    const ended = await alice.waitFor('call:stateChange', { callId: aliceBob, error: { code: 'call:6' } })
    expect(ended.payload.previous).to.deep.include({ state: 'Ended' })

    const microphone = await alice.run((client, id) => client.call.getById(id)?.localTracks[0] ?? '', joinedId)
    await alice.run((client, id) => client.call.end(id), joinedId)
    await alice.until((client, id) => client.call.getById(id)?.state === 'Ended', joinedId)
    for (const [user, callId] of [[bob, bobCall], [carol, carolCall]] as const) {
      const hungUp = await user.waitFor('call:stateChange', { callId, transition: { prevState: 'Connected' } })
      expect(hungUp.payload.error).to.equal(undefined)
    }
    expect(await alice.run((client, id) => client.media.getTrackById(id)?.state, microphone)).to.equal('ended')
    await alice.until((_client, _arg, { peers }) => peers.every((peer) => peer.signalingState === 'closed'))
    expect(alice.errors.concat(bob.errors, carol.errors)).to.deep.equal([])
  })

  it('a join the platform refuses (one leg cannot come off hold): call:join with the error, "Join Failed" (-2), both calls held again without video; the next join works', async () => {
    const { alice, bob, carol, aliceBob, bobCall, aliceCarol, carolCall } = await consultation()
    await hold(alice, aliceBob)
    await hold(alice, aliceCarol)
    await harness().platform.admin.fail({ prefix: await updatePath(alice, aliceBob), count: 1, status: 503 })
    const before = (await alice.events('call:stateChange')).at(-1)?.index ?? -1
    const failed = await joinAsTheyAre(alice, aliceBob, aliceCarol)
    expect(failed.payload).to.deep.include({ callId: aliceBob })
    expect(failed.payload.error).to.deep.include({ name: 'BasicError' })
    for (const callId of [aliceBob, aliceCarol]) {
      const back = await alice.waitFor('call:stateChange', { callId, transition: { statusCode: -2 } }, { after: before })
      expect(back.payload.transition).to.deep.equal({ statusCode: -2, reasonText: 'Join Failed' })
    }
    // carol's leg, taken off hold for the join (or on its way off), is held again. Both lost their video to the join.
    for (const [user, callId, mine] of [[bob, bobCall, aliceBob], [carol, carolCall, aliceCarol]] as const) {
      await alice.until((client, id) => client.call.getById(id)?.state === 'On Hold' && client.call.getById(id)?.localHold === true, mine, 20000)
      await user.until((client, id) => client.call.getById(id)?.remoteHold === true, callId, 20000)
      expect(await kindsOf(alice, mine)).to.deep.equal({ local: ['audio'], remote: [] })
    }

    const joined = await joinAsTheyAre(alice, aliceBob, aliceCarol)
    expect(joined.payload.error).to.equal(undefined)
    const joinedId = String(joined.payload.callId)
    expect(await flagsOf(alice, joinedId)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    expect(await kindsOf(alice, joinedId)).to.deep.equal({ local: ['audio'], remote: ['audio', 'audio'] })
    expect(await liveVideo(alice)).to.deep.equal([0, 0])
    for (const [user, callId] of [[bob, bobCall], [carol, carolCall]] as const) {
      await user.until((client, id) => client.call.getById(id)?.state === 'Connected', callId, 20000)
      expect(await inboundRising(user, callId, true), user.userId).to.deep.equal({ audio: true })
    }
    // Chromium's own line for the refused request is the only error on any page.
    expect(alice.errors.concat(bob.errors, carol.errors)).to.deep.equal(['Failed to load resource: the server responded with a status of 503 (Service Unavailable)'])
  })

  it('refuses to join calls that are not both locally held: call:join with call:6, nothing changes', async () => {
    const { alice, bob, aliceBob, bobCall, aliceCarol } = await consultation()
    await hold(alice, aliceBob)
    await alice.run((client, { a, b }) => client.call.join(a, b), { a: aliceBob, b: aliceCarol })
    const refused = await alice.waitFor('call:join', { callId: aliceBob })
    expect(refused.payload.error).to.deep.include({ code: 'call:6' })
    expect(await flagsOf(alice, aliceBob)).to.deep.equal({ state: 'On Hold', localHold: true, remoteHold: false })
    expect(await flagsOf(alice, aliceCarol)).to.deep.equal({ state: 'Connected', localHold: false, remoteHold: false })
    expect(await flagsOf(bob, bobCall)).to.deep.equal({ state: 'On Hold', localHold: false, remoteHold: true })
  })
})
