import { expect } from 'chai'
import { enqueue, freshFrames, queueLimit, queueMaxAge, type QueuedFrame } from '../../../platform/channel-queue.js'

// The age limit is 5 minutes of the platform's clock; the hub specs cover the queue over real sockets.
describe('platform core: the queue of notifications waiting for a socket', () => {
  it(`keeps the last ${queueLimit} frames, oldest dropped first`, () => {
    const queue: QueuedFrame[] = []
    for (let i = 0; i < queueLimit + 5; i++) enqueue(queue, `frame ${i}`, i)
    expect(queue).to.have.length(queueLimit)
    expect(queue[0]!.data).to.equal('frame 5')
  })

  it('delivers only frames queued within the last 5 minutes, in order', () => {
    const now = 10 * 60 * 1000
    const queue: QueuedFrame[] = []
    enqueue(queue, 'too old', now - queueMaxAge - 1)
    enqueue(queue, 'just in time', now - queueMaxAge)
    enqueue(queue, 'recent', now - 1)
    expect(freshFrames(queue, now).map((entry) => entry.data)).to.deep.equal(['just in time', 'recent'])
    expect(queueMaxAge).to.equal(5 * 60 * 1000)
  })
})
