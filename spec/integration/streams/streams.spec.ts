// kandy-rx/streams as an RxJS or Angular app uses it, against the local platform: what its
// hot state Observables hand out, and what its commands do once the streams are disposed.
import { expect } from 'chai'
import { firstValueFrom, type Observable } from 'rxjs'
import { WebSocket } from 'ws'
import { createCore, withCall, withMedia, withMessaging, withPresence, type Conversation, type UserPresence, type WebSocketConstructor } from '../../../streams/index.js'
import { createTestStreams, testConfig, until, useDisposedAfterEach, type TestStreams } from '../../helpers/client.js'
import { usePlatform } from '../../helpers/platform.js'
import { recordingWebrtc } from '../../streams/call/node-webrtc.js'

/** What a JavaScript app may do to a value it got (the types say readonly): change it in place; a frozen value throws, which the streams log. */
const inPlace = (change: () => void): void => {
  try {
    change()
  } catch {
    // Refused: the value is frozen.
  }
}

/** Each conversation as `<destination>:<number of messages>`, in order. */
const summary = (conversations: readonly Conversation[]): string[] => conversations.map((conversation) => `${conversation.destination[0]}:${conversation.messages.length}`)

describe('integration: kandy-rx/streams', () => {
  const platform = usePlatform()
  const made = useDisposedAfterEach<TestStreams>()
  const cores = useDisposedAfterEach<{ dispose(): void }>()
  const streams = async (userId: string, services?: readonly string[]): Promise<TestStreams> => {
    const made$ = await createTestStreams(platform(), userId, services === undefined ? {} : { services })
    made.push(made$)
    return made$
  }

  /** `alice` sent `text` to each of `to`, and the platform stored each. */
  const sent = async (alice: TestStreams, to: readonly string[], text: string): Promise<void> => {
    for (const destination of to) alice.messaging.commands.send([destination], 'chat-oneToOne', [{ type: 'text', text }])
    await until(() => alice.messaging.current().conversations.values().every((conversation) => conversation.messages.every((message) => message.isPending !== true)), 'the sends answered')
  }

  it('an app that reuses the arrays it gave a command (destination, parts) changes no conversation or message', async () => {
    const alice = await streams('alice@example.com', ['chat'])
    const destination = ['bob@example.com']
    const parts = [{ type: 'text' as const, text: 'as sent' }]
    alice.messaging.commands.create(destination, 'chat-oneToOne')
    alice.messaging.commands.send(destination, 'chat-oneToOne', parts)
    destination[0] = 'carol@example.com'
    parts[0] = { type: 'text', text: 'changed after the send' }
    parts.push({ type: 'text', text: 'added after the send' })
    await until(() => alice.messaging.current().conversations.values().every((conversation) => conversation.messages.every((message) => message.isPending !== true)), 'the send answered')
    const [conversation] = await firstValueFrom(alice.messaging.conversations$)
    expect(conversation!.destination).to.deep.equal(['bob@example.com'])
    expect(conversation!.messages.map((message) => message.parts)).to.deep.equal([[{ type: 'text', text: 'as sent' }]])
  })

  it('an app that reorders the conversations or messages it got, or writes to a message, changes neither what others see nor the later states', async () => {
    const alice = await streams('alice@example.com', ['chat'])
    await sent(alice, ['bob@example.com', 'carol@example.com', 'dave@example.com'], 'one')
    await sent(alice, ['bob@example.com'], 'two')
    const subscription = alice.messaging.conversations$.subscribe((conversations) => {
      inPlace(() => (conversations as Conversation[]).reverse())
      inPlace(() => (conversations[0]!.messages as unknown[]).reverse())
      inPlace(() => ((conversations[0]!.messages[1] as unknown as { parts: unknown[] }).parts = []))
    })
    expect(summary(await firstValueFrom(alice.messaging.conversations$))).to.deep.equal(['bob@example.com:2', 'carol@example.com:1', 'dave@example.com:1'])
    expect((await firstValueFrom(alice.messaging.conversations$))[0]!.messages.map((message) => message.parts[0])).to.deep.equal([
      { type: 'text', text: 'one' },
      { type: 'text', text: 'two' },
    ])
    subscription.unsubscribe()
    await sent(alice, ['carol@example.com'], 'three')
    const later = await firstValueFrom(alice.messaging.conversations$)
    expect(summary(later)).to.deep.equal(['bob@example.com:2', 'carol@example.com:2', 'dave@example.com:1'])
    expect(later[0]!.messages.map((message) => message.parts[0])).to.deep.equal([
      { type: 'text', text: 'one' },
      { type: 'text', text: 'two' },
    ])
  })

  it('an app that deletes a user from the presence it got, or writes to a presence or conversation it got, changes nothing the state holds', async () => {
    const [alice, bob] = await Promise.all([streams('alice@example.com', []), streams('bob@example.com', ['presence'])])
    bob.presence.commands.subscribe('alice@example.com')
    alice.presence.commands.update('Open', 'Busy')
    await until(() => bob.presence.current().users.get('alice@example.com')?.activity === 'ActivitiesBusy' || bob.presence.current().users.get('alice@example.com')?.activity === 'Busy', 'alice busy')
    const subscription = bob.presence.presence$.subscribe((presence) => inPlace(() => delete (presence as Record<string, UserPresence>)['alice@example.com']))
    subscription.unsubscribe()
    expect(Object.keys(await firstValueFrom(bob.presence.presence$))).to.deep.equal(['alice@example.com'])
    const conversation = bob.messaging.commands.create(['alice@example.com'], 'chat-oneToOne')
    const alicePresence = (await firstValueFrom(bob.presence.presence$))['alice@example.com']
    inPlace(() => ((conversation as { type: string }).type = 'sms'))
    inPlace(() => ((alicePresence as { status: string }).status = 'Closed'))
    expect(bob.messaging.current().conversations.values()[0]!.type).to.equal('chat-oneToOne')
    expect(bob.presence.current().users.get('alice@example.com')!.status).to.equal('Open')
  })

  it('after dispose, commands throw nothing and send no request; every state stream has completed', async () => {
    const sent: string[] = []
    const counting: typeof fetch = (input, init) => {
      sent.push(`${init?.method ?? 'GET'} ${String(input)}`)
      return fetch(input, init)
    }
    const alice = await createTestStreams(platform(), 'alice@example.com', { environment: { fetch: counting } })
    const completed: string[] = []
    const features: Record<string, { readonly state$: Observable<unknown> }> = { auth: alice.auth, connection: alice.connection, subscription: alice.subscription, media: alice.media, call: alice.call, messaging: alice.messaging, presence: alice.presence, groups: alice.groups, contacts: alice.contacts, users: alice.users }
    for (const [name, feature] of Object.entries(features)) feature.state$.subscribe({ complete: () => completed.push(name) })
    alice.dispose()
    expect(completed).to.have.members(Object.keys(features))
    sent.length = 0
    expect(() => {
      alice.users.commands.search({ name: 'bob' })
      alice.users.commands.fetch('bob@example.com')
      alice.presence.commands.fetch('bob@example.com')
      alice.presence.commands.update('Open', 'Busy')
      alice.contacts.commands.refresh()
      alice.groups.commands.fetch()
      alice.messaging.commands.fetchConversations('chat-oneToOne')
      alice.messaging.commands.send(['bob@example.com'], 'chat-oneToOne', [{ type: 'text', text: 'after dispose' }])
      alice.subscription.commands.subscribe(['chat'])
    }).not.to.throw()
    // A command starts its request at once (fetch is called before it returns), or never.
    expect(sent).to.deep.equal([])
  })

  it('createCore: a feature built twice on a core is the one built first, so withMedia after withCall is the media of its calls', async () => {
    const core = createCore(testConfig(platform(), 'alice@example.com'), { WebSocket: WebSocket as unknown as WebSocketConstructor, ...recordingWebrtc([]) })
    cores.push(core)
    core.auth.commands.setTokens(await platform().login('alice@example.com'))
    const call = withCall(core)
    const media = withMedia(core)
    expect(withCall(core)).to.equal(call)
    expect(withMessaging(core)).to.equal(withMessaging(core))
    expect(withPresence(core)).to.equal(withPresence(core))
    core.subscription.commands.subscribe(['call'])
    await until(() => core.subscription.subscriptions().subscribed.includes('call'), 'the call service')
    const callId = call.commands.make('bob@example.com', { audio: true })
    await until(() => (call.current().calls[callId]?.localTracks.length ?? 0) > 0, 'the local track')
    expect(Object.keys(media.current().tracks)).to.include.members([...call.current().calls[callId]!.localTracks])
  })

  it('calls$ hands its subscribers one frozen array, and a call that did not change keeps its (frozen) object', async () => {
    const alice = await streams('alice@example.com', [])
    const first = alice.call.commands.make('', { audio: true })
    const [a, b] = await Promise.all([firstValueFrom(alice.call.calls$), firstValueFrom(alice.call.calls$)])
    expect(a).to.equal(b)
    inPlace(() => (a as unknown[]).reverse())
    inPlace(() => ((a[0] as { state: string }).state = 'Connected'))
    expect((await firstValueFrom(alice.call.calls$))[0]!.state).to.equal('Ended')
    alice.call.commands.make('', { audio: true })
    const after = await firstValueFrom(alice.call.calls$)
    expect(after).to.have.length(2)
    expect(after.find((call) => call.id === first)).to.equal(a.find((call) => call.id === first))
  })

  it('an app that changes the contacts or directory users it got changes none of the later states', async () => {
    const alice = await streams('alice@example.com', [])
    for (const contactId of ['ann', 'ben']) alice.contacts.commands.add({ contactId, primaryContact: `${contactId}@example.com` })
    alice.users.commands.fetch('bob@example.com')
    await until(() => alice.contacts.current().contacts.length === 2 && Object.keys(alice.users.current().users).length === 1, 'two contacts and bob')
    alice.contacts.contacts$.subscribe((contacts) => {
      inPlace(() => (contacts as unknown[]).reverse())
      inPlace(() => ((contacts[0] as unknown as { primaryContact: string }).primaryContact = 'changed@example.com'))
    })
    alice.users.users$.subscribe((users) => inPlace(() => delete (users as Record<string, unknown>)['bob@example.com']))
    alice.contacts.commands.add({ contactId: 'cat', primaryContact: 'cat@example.com' })
    alice.users.commands.fetch('carol@example.com')
    await until(() => alice.contacts.current().contacts.length === 3 && Object.keys(alice.users.current().users).length >= 1 && alice.users.current().users['carol@example.com'] !== undefined, 'cat and carol')
    expect(alice.contacts.current().contacts.map((contact) => `${contact.contactId} ${contact.primaryContact}`)).to.deep.equal(['ann ann@example.com', 'ben ben@example.com', 'cat cat@example.com'])
    expect(Object.keys(alice.users.current().users)).to.deep.equal(['bob@example.com', 'carol@example.com'])
  })

  it('an app that changes the state$ it got (invitations, groups, contacts, users) changes none of the later states', async () => {
    const [alice, bob] = [await streams('alice@example.com', ['chat']), await streams('bob@example.com', ['chat'])]
    for (const name of ['Team', 'Band']) alice.groups.commands.create({ name, participants: ['bob@example.com'] })
    await until(() => bob.groups.current().invitations.length === 2, 'two invitations')
    bob.contacts.commands.add({ contactId: 'ann', primaryContact: 'ann@example.com' })
    bob.users.commands.fetch('carol@example.com')
    await until(() => bob.contacts.current().contacts.length === 1 && Object.keys(bob.users.current().users).length === 1, 'a contact and carol')
    // Only state$ is read: no view (groups$, contacts$, users$) is subscribed.
    bob.groups.state$.subscribe((state) => {
      inPlace(() => (state.invitations as unknown[]).reverse())
      inPlace(() => ((state.invitations[0] as { name: string }).name = 'Renamed'))
      inPlace(() => (state.invitations[0]!.participants as unknown[]).splice(0))
    })
    bob.contacts.state$.subscribe((state) => inPlace(() => ((state.contacts[0] as unknown as { primaryContact: string }).primaryContact = 'changed@example.com')))
    bob.users.state$.subscribe((state) => inPlace(() => ((state.users['carol@example.com'] as unknown as { firstName: string }).firstName = 'Changed')))
    alice.groups.commands.create({ name: 'Choir', participants: ['bob@example.com'] })
    await until(() => bob.groups.current().invitations.length === 3, 'a third invitation')
    expect(bob.groups.current().invitations.map((invitation) => `${invitation.name} ${invitation.participants.length}`)).to.deep.equal(['Team 2', 'Band 2', 'Choir 2'])
    expect(bob.contacts.current().contacts[0]?.primaryContact).to.equal('ann@example.com')
    expect(bob.users.current().users['carol@example.com']?.firstName).to.equal('Carol')
  })
})
