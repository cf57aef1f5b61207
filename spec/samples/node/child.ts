// A child process for sample specs: its output collected, a wait for a line, a clean stop.
import { spawn, type ChildProcess } from 'node:child_process'

export interface Child {
  readonly process: ChildProcess
  /** Everything it printed so far (standard output and error). */
  output(): string
  /** Resolves with the first match of `pattern` in its output (now or later); rejects if it exits first or after `timeout` ms. */
  waitFor(pattern: RegExp, timeout?: number): Promise<RegExpMatchArray>
  /** Resolves with the exit code once it exits by itself. */
  exit(): Promise<number | null>
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>
}

export function startChild(args: readonly string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, args, { env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let text = ''
  const listeners = new Set<() => void>()
  const append = (chunk: Buffer): void => {
    text += chunk.toString('utf8')
    for (const listener of [...listeners]) listener()
  }
  child.stdout!.on('data', append)
  child.stderr!.on('data', append)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  child.once('exit', () => {
    for (const listener of [...listeners]) listener()
  })
  return {
    process: child,
    output: () => text,
    waitFor: (pattern, timeout = 20000) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const check = (): void => {
          const match = text.match(pattern)
          if (match !== null) return finish(() => resolve(match))
          if (child.exitCode !== null || child.signalCode !== null) finish(() => reject(new Error(`exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${text}`)))
        }
        const finish = (settle: () => void): void => {
          clearTimeout(timer)
          listeners.delete(check)
          settle()
        }
        const timer = setTimeout(() => finish(() => reject(new Error(`no ${pattern} within ${timeout} ms:\n${text}`))), timeout)
        listeners.add(check)
        check()
      }),
    exit: () => exited,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}
