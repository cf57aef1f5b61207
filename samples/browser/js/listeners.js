/**
 * The listeners one part of the page adds, to the SDK client (`on`) and to page elements
 * (`listen`), all removed together by `stop()` when the user signs out.
 */
export function listenerScope(client) {
  const removals = []
  return {
    on(type, listener) {
      client.on(type, listener)
      removals.push(() => client.off(type, listener))
    },
    listen(target, type, listener) {
      target.addEventListener(type, listener)
      removals.push(() => target.removeEventListener(type, listener))
    },
    stop() {
      removals.splice(0).forEach((remove) => remove())
    },
  }
}
