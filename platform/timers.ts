/** Timeouts one module owns: each forgets itself when it fires, and `clear` stops the rest when the module stops. */
export interface Timeouts {
  /** Runs `work` after `ms`; the timer never keeps the process alive. */
  later(ms: number, work: () => void): NodeJS.Timeout
  cancel(timer: NodeJS.Timeout | undefined): void
  clear(): void
}

export function timeouts(): Timeouts {
  const pending = new Set<NodeJS.Timeout>()
  return {
    later(ms, work) {
      const timer = setTimeout(() => {
        pending.delete(timer)
        work()
      }, ms)
      timer.unref()
      pending.add(timer)
      return timer
    },
    cancel(timer) {
      if (timer === undefined) return
      clearTimeout(timer)
      pending.delete(timer)
    },
    clear() {
      for (const timer of pending) clearTimeout(timer)
      pending.clear()
    },
  }
}
