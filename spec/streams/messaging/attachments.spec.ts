import { expect } from 'chai'
import { createEnvironment } from '../../../streams/environment.js'
import { createImageLinks } from '../../../streams/messaging/attachments.js'
import { createEffects, userRunner } from '../../../streams/messaging/effects.js'
import { receivedMessage } from '../../../streams/messaging/received.js'
import { initialMessagingState, messagingReducer, type MessagingEvent } from '../../../streams/messaging/state.js'

// Image links over a stub fetch, with the host's URL.createObjectURL / revokeObjectURL watched. The stub records the request
// each link makes and answers what a case needs (a refused download, a host without createObjectURL); real downloads from the
// local platform, their bytes read back from the object URL, are in spec/integration/messaging/messaging.spec.ts.

const bob = ['bob@example.com']
const alice = { username: 'alice@example.com', identity: 'alice@example.com', domain: 'example.com', accessToken: 'token', idToken: 'id' }
const photo = receivedMessage('m-1', 'bob@example.com', 1, [{ type: 'text', text: 'look' }, { type: 'file', name: 'a.png', rawURL: 'http://p/f/raw' }])

function setup(fetch: typeof globalThis.fetch = () => Promise.resolve(new Response(new Blob(['png'])))) {
  const state = messagingReducer(initialMessagingState, { type: 'messageReceived', destination: bob, chatType: 'chat-oneToOne', message: photo, direction: 'inbound', newConversation: true })
  const events: MessagingEvent[] = []
  const dispatch = (event: MessagingEvent): void => void events.push(event)
  const environment = createEnvironment({ fetch })
  const effects = createEffects({ error: () => undefined }, dispatch)
  const links = createImageLinks({ environment, current: () => state, dispatch, effects, withUser: userRunner({ user: () => alice }) })
  return { links, events, effects }
}

const settled = (events: readonly MessagingEvent[]): Promise<void> =>
  new Promise((resolve) => {
    const poll = (): unknown => (events.some((event) => event.type === 'linksSettled') ? resolve() : setTimeout(poll, 1))
    poll()
  })

describe('messaging image links', () => {
  const { createObjectURL, revokeObjectURL } = URL
  afterEach(() => Object.assign(URL, { createObjectURL, revokeObjectURL }))

  it('links each file as an object URL, and revokes every one it made', async () => {
    const revoked: string[] = []
    Object.assign(URL, { createObjectURL: () => 'blob:one', revokeObjectURL: (url: string) => revoked.push(url) })
    const { links, events } = setup()
    links.link(bob, 'chat-oneToOne', 'm-1')
    await settled(events)
    expect(events.find((event) => event.type === 'linkCreated')).to.deep.include({ partIndex: 1, url: 'blob:one' })
    links.revoke()
    links.revoke()
    expect(revoked).to.deep.equal(['blob:one'])
  })

  it('fails the link clearly where there is no URL.createObjectURL', async () => {
    Object.assign(URL, { createObjectURL: undefined })
    const { links, events } = setup()
    links.link(bob, 'chat-oneToOne', 'm-1')
    await settled(events)
    const failure = events.find((event) => event.type === 'messagingFailed')
    expect(failure).to.deep.include({ operation: 'createImageLinks' })
    expect((failure as Extract<MessagingEvent, { type: 'messagingFailed' }>).error.message).to.match(/no URL.createObjectURL/)
    expect(events.some((event) => event.type === 'linkCreated')).to.equal(false)
  })

  it('downloads with the user\'s token and fails the link with the status of a download the platform refused', async () => {
    Object.assign(URL, { createObjectURL: () => 'blob:one', revokeObjectURL: () => undefined })
    const requests: Array<{ url: string; authorization: string | undefined }> = []
    const { links, events } = setup((url, init) => {
      requests.push({ url: String(url), authorization: (init?.headers as Record<string, string> | undefined)?.Authorization })
      return Promise.resolve(new Response('gone', { status: 404, statusText: 'Not Found' }))
    })
    links.link(bob, 'chat-oneToOne', 'm-1')
    await settled(events)
    expect(requests).to.deep.equal([{ url: 'http://p/f/raw', authorization: 'Bearer token' }])
    const failure = events.find((event) => event.type === 'messagingFailed') as Extract<MessagingEvent, { type: 'messagingFailed' }>
    expect(failure.error.message).to.equal('Download attachment request failed: 404 Not Found')
    expect(events.some((event) => event.type === 'linkCreated')).to.equal(false)
  })
})
