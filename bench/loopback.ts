// What the platform benchmarks share: a keep-alive HTTP client with a bounded number of
// sockets, and a pool that runs a piece of work for many indexes with bounded concurrency.
import type { ChildProcessByStdio } from 'node:child_process'
import { Agent, request } from 'node:http'
import type { Readable } from 'node:stream'

export interface Reply {
  readonly status: number
  readonly body: string
}

export interface HttpClient {
  call(url: string, method: string, body: string | undefined, headers: Record<string, string>): Promise<Reply>
  /** Closes the kept-alive connections (so the process can exit). */
  close(): void
}

/** An HTTP client over at most `maxSockets` keep-alive connections. */
export function httpClient(maxSockets: number): HttpClient {
  const agent = new Agent({ keepAlive: true, maxSockets })
  const call: HttpClient['call'] = (url, method, body, headers) =>
    new Promise((resolve, reject) => {
      const req = request(url, { method, headers, agent }, (response) => {
        let text = ''
        response.on('data', (chunk: Buffer) => (text += chunk.toString()))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }))
      })
      req.on('error', reject)
      req.end(body)
    })
  return { call, close: () => agent.destroy() }
}

/** Runs `work(index)` for every index below `count`, at most `concurrency` at a time; the results in index order. */
export async function pool<T>(count: number, concurrency: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next++
        results[index] = await work(index)
      }
    }),
  )
  return results
}

/** The URL a platform started as a child process (`platform/main.ts`) listens on, from its one "listening on" line. */
export function listeningUrl(child: ChildProcessByStdio<null, Readable, null>): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output)
      if (match) resolve(match[1]!)
    })
    child.on('exit', (code) => reject(new Error(`platform exited with ${code}`)))
  })
}
