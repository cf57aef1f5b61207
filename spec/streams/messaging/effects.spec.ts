import { expect } from 'chai'
import { Subject, of, throwError } from 'rxjs'
import { createEffects } from '../../../streams/messaging/effects.js'
import type { MessagingEvent } from '../../../streams/messaging/state.js'

const cleared = (destination: string): MessagingEvent => ({ type: 'messagesCleared', destination: [destination], chatType: 'chat-oneToOne' })

describe('messaging effects', () => {
  it('logs a failed run by its message and keeps running the next work', () => {
    const logged: unknown[][] = []
    const events: MessagingEvent[] = []
    const effects = createEffects({ error: (...args: unknown[]) => logged.push(args) }, (event) => events.push(event))
    effects.run(throwError(() => new Error('boom')))
    effects.run(of(cleared('bob')))
    expect(logged).to.deep.equal([['A messaging effect failed', 'boom']])
    expect(events).to.deep.equal([cleared('bob')])
    effects.dispose()
  })

  it('runs work side by side, and dispatches nothing after dispose', () => {
    const events: MessagingEvent[] = []
    const effects = createEffects({ error: () => undefined }, (event) => events.push(event))
    const slow = new Subject<MessagingEvent>()
    effects.run(slow)
    effects.run(of(cleared('carol')))
    slow.next(cleared('bob'))
    expect(events).to.deep.equal([cleared('carol'), cleared('bob')])
    effects.dispose()
    slow.next(cleared('dave'))
    effects.run(of(cleared('erin')))
    effects.enqueue('k', of(cleared('frank')))
    expect(events).to.have.length(2)
  })
})
