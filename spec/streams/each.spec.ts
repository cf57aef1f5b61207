import { expect } from 'chai'
import { Subject } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { each } from '../../streams/each.js'

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => void expect(actual).to.deep.equal(expected))

describe('each', () => {
  it('emits every value of each array in order, at the time of its source value, then completes with the source', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a--b-c|', { a: 2, b: 0, c: 1 })
      const repeated = source.pipe(each((count: number) => Array.from({ length: count }, (_, index) => `${count}.${index}`)))
      expectObservable(repeated).toBe('-(xy)-z|', { x: '2.0', y: '2.1', z: '1.0' })
    })
  })

  it('errors with what the projection throws, and passes on the source error', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const broken = cold('-a-b', { a: 1, b: 2 }).pipe(
        each((value: number) => {
          if (value === 2) throw new Error('bad value')
          return [value]
        }),
      )
      expectObservable(broken).toBe('-a-#', { a: 1 }, new Error('bad value'))
      expectObservable(cold('-a----#', { a: 1 }).pipe(each((value: number) => [value, value]))).toBe('-(aa)-#', { a: 1 })
    })
  })

  it('stops in the middle of an array when its subscriber unsubscribes, and unsubscribes from the source', () => {
    const source = new Subject<readonly string[]>()
    const seen: string[] = []
    const subscription = source.pipe(each((values) => values)).subscribe((value) => {
      seen.push(value)
      if (value === 'stop') subscription.unsubscribe()
    })
    source.next(['a', 'stop', 'never'])
    expect(seen).to.deep.equal(['a', 'stop'])
    expect(source.observed).to.equal(false)
  })
})
