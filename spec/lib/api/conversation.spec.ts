import { expect } from 'chai'
import { create } from '../../../lib/index.js'
import { captureConsole } from '../../streams/logs/capture.js'

/** Lets timers already due run: RxJS re-throws a subscriber's error in one. */
const settled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5))

describe('conversation.subscribe', () => {
  const uncaught: unknown[] = []
  const record = (error: unknown): void => void uncaught.push(error)
  before(() => process.on('uncaughtExceptionMonitor', record))
  after(() => process.off('uncaughtExceptionMonitor', record))

  it('contains a subscriber that throws: it is logged, the other subscribers are called, nothing is re-thrown', async () => {
    const capture = captureConsole()
    const client = create({ logs: { logLevel: 'error' } }, { console: capture.console })
    const conversation = client.conversation.create('bob@example.com')
    const calls: unknown[] = []
    conversation.subscribe(() => {
      throw new Error('app bug')
    })
    conversation.subscribe((change) => calls.push(change))
    conversation.clearMessages()
    conversation.clearMessages()
    await settled()
    expect(calls).to.deep.equal([
      { conversationId: 'bob@example.com', messageId: undefined },
      { conversationId: 'bob@example.com', messageId: undefined },
    ])
    expect(uncaught).to.deep.equal([])
    expect(capture.calls.filter(({ args }) => String(args[0]).includes('A conversation subscriber threw'))).to.have.length(2)
    client.dispose()
  })
})
