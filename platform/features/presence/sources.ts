import type { PlatformContext, PlatformReply } from '../../context.js'
import {
  AdhocPresenceListRequest,
  PresenceSourceRequest,
  wireActivities,
  wireStatuses,
  type Person,
} from '../../../streams/presence/codecs.js'
import type { PresenceBook } from './book.js'
import type { Watching } from './watching.js'
import { badValue, entries, presenceRoot, shownPerson } from './wire.js'

/** The person a presence source publishes, or a 400 naming the value no client may send. */
const publishedPerson = (presence: PresenceSourceRequest['presenceSource']['presence']): Person | PlatformReply => {
  const status = presence.person['overriding-willingness'].overridingWillingnessValue
  const { activityValue, other } = presence.person.activities
  if (!(wireStatuses as readonly string[]).includes(status)) return badValue('overridingWillingnessValue', status)
  if (!(wireActivities as readonly string[]).includes(activityValue)) return badValue('activityValue', activityValue)
  return {
    'overriding-willingness': { overridingWillingnessValue: status },
    activities: activityValue === 'ActivitiesOther' && other !== undefined ? { activityValue, other } : { activityValue },
  }
}

/** Publishing (`presenceSources`, one source id per device) with fan-out to the watchers, and the one-shot `adhocPresenceList` fetch. */
export function sourceRoutes(ctx: PlatformContext, book: PresenceBook, watching: Watching): void {
  /** One source id per user and clientCorrelator (one per device). */
  const sources = new Map<string, string>()
  ctx.route('POST', '/cpaas/presence/:version/:userId/presenceSources', { body: PresenceSourceRequest }, ({ body, user }) => {
    const { clientCorrelator, presence } = body.presenceSource
    const person = publishedPerson(presence)
    if ('status' in person) return person
    book.publish(user.userId, person)
    const sourceKey = `${user.userId}\n${clientCorrelator ?? ''}`
    const sourceId = sources.get(sourceKey) ?? ctx.id()
    sources.set(sourceKey, sourceId)
    watching.fanOut(user.userId)
    const presenceSource = {
      ...(clientCorrelator === undefined ? {} : { clientCorrelator }),
      presence: { person },
      resourceURL: `${presenceRoot(user)}/presenceSources/${sourceId}`,
    }
    return { status: 201, body: { presenceSource } }
  })

  ctx.route('POST', '/cpaas/presence/:version/:userId/adhocPresenceList', { body: AdhocPresenceListRequest }, ({ body }) => {
    const presenceContact = entries(body.adhocPresenceList.presentityUserId).map((presentityUserId) => ({
      presentityUserId,
      presence: { person: shownPerson(book.presenceOf(book.canonical(presentityUserId))) },
    }))
    return { status: 200, body: { presenceList: { presenceContact } } }
  })
}
