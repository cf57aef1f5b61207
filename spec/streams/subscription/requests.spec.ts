import { expect } from 'chai'
import { firstValueFrom, of } from 'rxjs'
import { createConfig } from '../../../streams/config/feature.js'
import type { UserConfig } from '../../../streams/config/state.js'
import type { AuthUser, RequestSpec } from '../../../streams/connection/link.js'
import { BasicError } from '../../../streams/errors.js'
import { createChannel, subscribeService, type RequestContext } from '../../../streams/subscription/requests.js'
import type { Channel } from '../../../streams/subscription/state.js'

// The subscription requests over a link that records each request and answers from a table by path.

const user: AuthUser = { username: 'alice@example.com', identity: 'alice@example.com', domain: 'example.com', accessToken: 'a', idToken: 'i' }
const channelsPath = '/cpaas/notificationchannel/v1/alice@example.com/channels'
const channel: Channel = { id: 'ch-1', callbackURL: 'cb-1', channelURL: '/ws/ch-1', resourceURL: `${channelsPath}/ch-1`, channelType: 'Websockets', lifetime: 3600 }

function setup(answers: Record<string, unknown>, config: UserConfig = {}) {
  const sent: RequestSpec<unknown>[] = []
  const context: RequestContext = {
    user,
    config: createConfig(config).current(),
    link: { request: <A>(spec: RequestSpec<A>) => (sent.push(spec as RequestSpec<unknown>), of(answers[spec.path] as A)) },
  }
  return { context, sent }
}

const failure = async (promise: Promise<unknown>): Promise<BasicError> => {
  const error = await promise.then(() => undefined, (reason: unknown) => reason)
  expect(error).to.be.instanceOf(BasicError)
  return error as BasicError
}

const channelAnswer = (fields: Record<string, unknown>) => ({
  [channelsPath]: { notificationChannel: { callbackURL: 'cb-1', resourceURL: `${channelsPath}/ch-1`, channelData: { channelURL: '/ws/ch-1' }, ...fields } },
})

describe('streams/subscription/requests', () => {
  it('asks for a channel with the lifetime, clientCorrelator and connectivity role of the config, and reads the one granted', async () => {
    const { context, sent } = setup(channelAnswer({ channelType: 'WebSockets', channelLifetime: 1800 }), {
      authentication: { clientCorrelator: 'corr-1' },
      connectivity: { method: { type: 'pingPong', responsibleParty: 'server' } },
    })
    expect(await firstValueFrom(createChannel(context))).to.deep.equal({ ...channel, channelType: 'WebSockets', lifetime: 1800 })
    expect(sent[0]?.body).to.deep.equal({ notificationChannel: { channelLifetime: 3600, channelType: 'Websockets', clientCorrelator: 'corr-1', 'x-connCheckRole': 'server' } })
  })

  it('takes the type and lifetime asked for when the platform does not name them', async () => {
    const { context } = setup(channelAnswer({}))
    expect(await firstValueFrom(createChannel(context))).to.deep.equal(channel)
  })

  it('refuses a channel whose resourceURL names no id, or whose channelURL is not a path, with subscription:2', async () => {
    for (const fields of [{ resourceURL: `${channelsPath}/` }, { resourceURL: '/elsewhere/ch-1' }, { channelData: { channelURL: 'ws://x/ch-1' } }]) {
      const error = await failure(firstValueFrom(createChannel(setup(channelAnswer(fields)).context)))
      expect(error.code, JSON.stringify(fields)).to.equal('subscription:2')
    }
  })

  it('subscribes inbound SMS to smsFrom, and no other service', async () => {
    const chatPath = '/cpaas/chat/v1/alice@example.com/subscriptions'
    const smsPath = '/cpaas/smsmessaging/v1/alice@example.com/inbound/subscriptions'
    const { context, sent } = setup(
      { [chatPath]: { chatNotificationSubscription: { resourceURL: `${chatPath}/s-1` } }, [smsPath]: { subscription: { resourceURL: `${smsPath}/s-2` } } },
      { messaging: { smsFrom: '+15550001111' } },
    )
    expect(await firstValueFrom(subscribeService(context, channel, 'chat'))).to.deep.equal({ service: 'chat', id: 's-1', resourceURL: `${chatPath}/s-1` })
    expect(await firstValueFrom(subscribeService(context, channel, 'smsinbound'))).to.deep.equal({ service: 'smsinbound', id: 's-2', resourceURL: `${smsPath}/s-2` })
    expect(sent.map((spec) => spec.body)).to.deep.equal([
      { chatNotificationSubscription: { callbackReference: { notifyURL: 'cb-1' } } },
      { subscription: { callbackReference: { notifyURL: 'cb-1' }, destinationAddress: '+15550001111' } },
    ])
  })

  it('refuses a service subscription whose resourceURL names no id with subscription:5', async () => {
    const chatPath = '/cpaas/chat/v1/alice@example.com/subscriptions'
    const error = await failure(firstValueFrom(subscribeService(setup({ [chatPath]: { chatNotificationSubscription: { resourceURL: `${chatPath}/` } } }).context, channel, 'chat')))
    expect(error.code).to.equal('subscription:5')
  })

  it('subscribes presence to the first presence list, with the id at the end of the subscription URL', async () => {
    const base = '/cpaas/presence/v1/alice@example.com'
    const { context } = setup({
      [`${base}/presenceLists`]: { presenceListCollection: { presenceList: [{ resourceURL: `${base}/presenceLists/l-1` }] } },
      [`${base}/subscriptions/presenceListSubscriptions/l-1`]: { presenceListSubscription: { resourceURL: `${base}/subscriptions/presenceListSubscriptions/p-1`, presenceListId: 'l-1' } },
    })
    expect(await firstValueFrom(subscribeService(context, channel, 'presence'))).to.deep.equal({
      service: 'presence',
      id: 'p-1',
      resourceURL: `${base}/subscriptions/presenceListSubscriptions/p-1`,
      presenceListId: 'l-1',
    })
  })
})
