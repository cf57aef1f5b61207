import { expect } from 'chai'
import { BehaviorSubject, Subject, defer, type Observable } from 'rxjs'
import { createPresence, watchRequestsInFlight, type PresenceFeature } from '../../../streams/presence/feature.js'
import type { PresenceEvent } from '../../../streams/presence/state.js'
import type { RequestSpec } from '../../../streams/connection/link.js'
import { quietCore, recordingLink, type RecordingLink } from './link.js'
import { recordedFeature, streamsCompletedByDispose } from '../features.js'

describe('presence feature: arguments', () => {
  let link: RecordingLink, presence: PresenceFeature, events: PresenceEvent[]
  let listId: BehaviorSubject<string | undefined>
  beforeEach(() => {
    listId = new BehaviorSubject<string | undefined>('list-1')
    ;({ link, feature: presence, events } = recordedFeature((link) => createPresence({ ...quietCore(), link, presenceListId$: listId })))
  })
  afterEach(() => presence.dispose())

  const failure = () => {
    const last = events.at(-1)
    return last?.type === 'presenceFailed' ? last.error : undefined
  }

  it('rejects an unknown status with presence:1 and an unknown activity with presence:2, sending nothing', () => {
    presence.commands.update('Sleeping', 'Available')
    expect(failure()?.code).to.equal('presence:1')
    presence.commands.update('Open', 'Sleeping')
    expect(failure()?.code).to.equal('presence:2')
    expect(link.requests).to.deep.equal([])
    expect(presence.current().self.error).to.have.property('code', 'presence:2')
  })

  it('rejects a note of ACTIVITIES_OTHER that is not a string, sending nothing', () => {
    presence.commands.update('Open', 'ActivitiesOther', 42 as never) // bad input, as an app without types may pass it
    expect(failure()).to.include({ code: 'BAD_INPUT' })
    expect(link.requests).to.deep.equal([])
  })

  it('publishes legacy values in their wire form, with the note only for ActivitiesOther and not empty (as the original SDK)', () => {
    presence.commands.update('open', 'other', 'Out for coffee')
    presence.commands.update('closed', 'away')
    presence.commands.update('Open', 'Busy', 'back at three')
    presence.commands.update('Open', 'ActivitiesOther', '')
    const published = (status: string, activity: string) => ({
      presenceSource: { presence: { person: { 'overriding-willingness': { overridingWillingnessValue: status }, activities: { activityValue: activity } } } },
    })
    expect(link.requests.map((request) => request.body)).to.deep.equal([
      {
        presenceSource: {
          presence: { person: { 'overriding-willingness': { overridingWillingnessValue: 'Open' }, activities: { activityValue: 'ActivitiesOther', other: 'Out for coffee' } } },
        },
      },
      published('Closed', 'Busy'),
      published('Open', 'Busy'),
      published('Open', 'ActivitiesOther'),
    ])
    expect(link.requests[0]).to.include({ method: 'POST', path: '/cpaas/presence/v1/alice@example.com/presenceSources', operation: 'Presence publish' })
  })

  it('rejects users that are not an id or a non-empty array of ids', () => {
    for (const users of [undefined, 42, [], [''], ['a', 3], {}]) {
      presence.commands.fetch(users as never) // bad input, as an app without types may pass it
      expect(failure()?.code, JSON.stringify(users)).to.equal('BAD_INPUT')
      presence.commands.subscribe(users as never)
      expect(failure()?.code).to.equal('BAD_INPUT')
    }
    expect(link.requests).to.deep.equal([])
  })

  it('needs the presence service to watch: subscription:5 without a presence list', () => {
    listId.next(undefined)
    presence.commands.subscribe('bob@example.com')
    expect(failure()?.code).to.equal('subscription:5')
    presence.commands.unsubscribe(['bob@example.com'])
    expect(failure()?.code).to.equal('subscription:5')
    expect(link.requests).to.deep.equal([])
  })

  it('watches and fetches with one request per user, duplicates dropped, users marked loading', () => {
    presence.commands.subscribe(['bob@example.com', 'carol@example.com', 'bob@example.com'])
    expect(link.requests.map((request) => `${request.method} ${request.path}`)).to.deep.equal([
      'PUT /cpaas/presence/v1/alice@example.com/presenceLists/list-1/presenceContacts/bob@example.com',
      'PUT /cpaas/presence/v1/alice@example.com/presenceLists/list-1/presenceContacts/carol@example.com',
    ])
    expect(link.requests.map((request) => request.body)).to.deep.equal([
      { presenceContact: { presentityUserId: 'bob@example.com' } },
      { presenceContact: { presentityUserId: 'carol@example.com' } },
    ])
    presence.commands.fetch('dave@example.com')
    expect(link.requests.at(-1)?.body).to.deep.equal({ adhocPresenceList: { presentityUserId: ['dave@example.com'] } })
    expect(presence.current().users.get('dave@example.com')).to.deep.equal({ userId: 'dave@example.com', loading: true })
  })

  it('reports a missing user (no tokens) instead of sending', () => {
    const noUser = recordingLink(false)
    const feature = createPresence({ ...quietCore(), link: noUser, presenceListId$: new BehaviorSubject<string | undefined>('list') })
    const seen: PresenceEvent[] = []
    feature.events$.subscribe((event) => seen.push(event))
    feature.commands.update('Open', 'Available')
    expect(seen.map((event) => event.type)).to.deep.equal(['presenceFailed'])
    expect(noUser.requests).to.deep.equal([])
    feature.dispose()
  })

  it('completes its streams on dispose', () => {
    expect(streamsCompletedByDispose(presence)).to.equal(2)
  })
})

/** A link whose requests are sent when subscribed, as a real link's are, and answered by the spec, each through its own subject. */
const answeredLink = () => {
  const link = recordingLink()
  const answers: Array<Subject<unknown>> = []
  const request = <A>(spec: RequestSpec<A>): Observable<A> =>
    defer(() => {
      link.request(spec)
      const answer = new Subject<A>()
      answers.push(answer as Subject<unknown>)
      return answer
    })
  return { link: { ...link, request }, requests: link.requests, answers }
}
const answer = (subject: Subject<unknown> | undefined, value: unknown): void => {
  subject?.next(value)
  subject?.complete()
}

describe('presence feature: publishing', () => {
  const published = (activityValue: string) => ({ presenceSource: { presence: { person: { 'overriding-willingness': { overridingWillingnessValue: 'Open' }, activities: { activityValue } } } } })

  it('publishes one update after another, so that the platform keeps the last one asked (two in flight may swap on the way)', () => {
    const { link, requests, answers } = answeredLink()
    const presence = createPresence({ ...quietCore(), link, presenceListId$: new BehaviorSubject<string | undefined>(undefined) })
    const activities = () => requests.map((request) => (request.body as ReturnType<typeof published>).presenceSource.presence.person.activities.activityValue)
    presence.commands.update('Open', 'Busy')
    presence.commands.update('Open', 'Available')
    expect(activities()).to.deep.equal(['Busy'])
    answer(answers[0], published('Busy'))
    expect(activities()).to.deep.equal(['Busy', 'Available'])
    answer(answers[1], published('Available'))
    expect(presence.current().self).to.include({ status: 'Open', activity: 'Available' })
    presence.dispose()
  })
})

describe('presence feature: watching many users', () => {
  const userIds = Array.from({ length: 20 }, (_, index) => `user${index}@example.com`)

  it('sends a few watch requests at a time, the next once one is answered, so that none waits for its answer in a queue', () => {
    const { link, requests, answers } = answeredLink()
    const presence = createPresence({ ...quietCore(), link, presenceListId$: new BehaviorSubject<string | undefined>('list-1') })
    const events: PresenceEvent[] = []
    presence.events$.subscribe((event) => events.push(event))
    presence.commands.subscribe(userIds)
    expect(requests).to.have.length(watchRequestsInFlight)
    answer(answers[0], { presenceContact: { presentityUserId: userIds[0] } })
    answers[1]!.error(new Error('refused'))
    expect(requests.map((request) => request.path.split('/').at(-1))).to.deep.equal(userIds.slice(0, watchRequestsInFlight + 2))
    expect(events.map((event) => (event.type === 'presenceFailed' ? `failed ${event.userIds.join()}` : event.type))).to.deep.equal(['userWatched', `failed ${userIds[1]}`])
    for (let at = 2; at < userIds.length; at++) answer(answers[at], { presenceContact: { presentityUserId: userIds[at] } })
    expect(requests.map((request) => request.path.split('/').at(-1))).to.deep.equal(userIds)
    presence.dispose()
  })

  it('sends a user\'s unwatch only once their watch is answered (in flight together, the platform may apply them swapped), other users\' meanwhile', () => {
    const { link, requests, answers } = answeredLink()
    const presence = createPresence({ ...quietCore(), link, presenceListId$: new BehaviorSubject<string | undefined>('list-1') })
    const sent = () => requests.map((request) => `${request.method} ${request.path.split('/').at(-1)}`)
    presence.commands.subscribe(userIds[0]!)
    presence.commands.unsubscribe(userIds[0]!)
    presence.commands.subscribe(userIds[1]!)
    expect(sent()).to.deep.equal([`PUT ${userIds[0]}`, `PUT ${userIds[1]}`])
    answer(answers[0], { presenceContact: { presentityUserId: userIds[0] } })
    expect(sent()).to.deep.equal([`PUT ${userIds[0]}`, `PUT ${userIds[1]}`, `DELETE ${userIds[0]}`])
    presence.dispose()
  })

  it('sends every one of more watches and unwatches of one user than requests fit in flight, one at a time in the order asked, the other users\' too', () => {
    const { link, requests, answers } = answeredLink()
    const presence = createPresence({ ...quietCore(), link, presenceListId$: new BehaviorSubject<string | undefined>('list-1') })
    const turns = watchRequestsInFlight + 3
    for (let turn = 0; turn < turns; turn++) presence.commands[turn % 2 === 0 ? 'subscribe' : 'unsubscribe'](userIds[0]!)
    presence.commands.subscribe(userIds[1]!)
    const sentFor = (userId: string) => requests.filter((request) => request.path.endsWith(`/${userId}`)).map((request) => request.method)
    for (let at = 0; at < requests.length; at++) {
      expect(requests.length - at, 'requests in flight').to.be.at.most(2)
      answer(answers[at], { presenceContact: { presentityUserId: userIds[0] } })
    }
    expect(sentFor(userIds[0]!)).to.deep.equal(Array.from({ length: turns }, (_, turn) => (turn % 2 === 0 ? 'PUT' : 'DELETE')))
    expect(sentFor(userIds[1]!)).to.deep.equal(['PUT'])
    presence.dispose()
  })

  it('sends no waiting request once disposed', () => {
    const { link, requests, answers } = answeredLink()
    const presence = createPresence({ ...quietCore(), link, presenceListId$: new BehaviorSubject<string | undefined>('list-1') })
    presence.commands.unsubscribe(userIds)
    presence.dispose()
    answers.forEach((subject) => answer(subject, undefined))
    expect(requests).to.have.length(watchRequestsInFlight)
  })
})
