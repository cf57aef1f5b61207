import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { Persisted } from './context.js'

const validName = /^[a-zA-Z0-9_-]+$/

/**
 * Named values shared by every feature module: the same instance per name; with a data
 * directory each lives in `<dir>/<name>.json`, loaded at start and written atomically
 * (temporary file, fsync, rename, fsync of the directory) on `save()`.
 */
export class Store {
  private readonly values = new Map<string, Persisted<unknown>>()
  private tmpCounter = 0

  constructor(
    private readonly dir: string | undefined,
    private readonly log: (line: string) => void,
  ) {
    if (dir === undefined) return
    mkdirSync(dir, { recursive: true })
    // A crash between write and rename leaves a temporary file: the store itself is intact.
    for (const file of readdirSync(dir)) {
      if (file.endsWith('.tmp')) {
        unlinkSync(join(dir, file))
        log(`store: removed leftover temporary file ${file}`)
      }
    }
  }

  persisted<T>(name: string, initial: () => T): Persisted<T> {
    const existing = this.values.get(name)
    if (existing !== undefined) return existing as Persisted<T>
    if (!validName.test(name)) throw new Error(`persisted: invalid name "${name}" (letters, digits, _ and - only)`)
    const entry = { value: this.load(name, initial), save: () => this.write(name, entry.value) }
    this.values.set(name, entry)
    return entry
  }

  /** Names held so far. */
  names(): string[] {
    return [...this.values.keys()]
  }

  private load<T>(name: string, initial: () => T): T {
    if (this.dir === undefined) return initial()
    const file = join(this.dir, `${name}.json`)
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      return initial()
    }
    try {
      return JSON.parse(text) as T
    } catch (error) {
      const aside = `${file}.corrupt-${Date.now()}`
      renameSync(file, aside)
      this.log(`store: ${name}.json is not valid JSON (${(error as Error).message}); moved aside to ${aside}, starting from the initial value`)
      return initial()
    }
  }

  private write(name: string, value: unknown): void {
    if (this.dir === undefined) return
    const file = join(this.dir, `${name}.json`)
    const tmp = join(this.dir, `.${name}.json.${process.pid}.${++this.tmpCounter}.tmp`)
    const fd = openSync(tmp, 'w')
    try {
      writeSync(fd, JSON.stringify(value))
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, file)
    try {
      const dirFd = openSync(this.dir, 'r')
      try {
        fsyncSync(dirFd)
      } finally {
        closeSync(dirFd)
      }
    } catch {
      // Some file systems refuse fsync on a directory; the rename is still atomic.
    }
  }
}
