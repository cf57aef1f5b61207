import type { Handler, RouteOptions } from './context.js'

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

type Segment = { readonly literal: string } | { readonly param: string }

export interface Route {
  readonly method: Method
  readonly pattern: string
  readonly segments: readonly Segment[]
  readonly options: RouteOptions<unknown>
  readonly handler: Handler<unknown>
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'wrongMethod'; readonly allowed: readonly Method[] }
  | { readonly kind: 'none' }

/**
 * Splits a raw request path into percent-decoded segments (`+` stays `+`, `@` and `:` are
 * taken as they are); one trailing slash is ignored. Undefined for malformed escapes.
 */
export function pathSegments(rawPath: string): string[] | undefined {
  const parts = rawPath.split('/').slice(1)
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop()
  try {
    return parts.map((part) => decodeURIComponent(part))
  } catch {
    return undefined
  }
}

const parse = (pattern: string): Segment[] =>
  pattern
    .split('/')
    .slice(1)
    .map((part) => (part.startsWith(':') ? { param: part.slice(1) } : { literal: part }))

const shape = (segments: readonly Segment[]): string => segments.map((s) => ('literal' in s ? s.literal : ':')).join('/')

/** Routes by method and path pattern; where several patterns match, literal segments win over parameters, left to right. */
export class Router {
  private readonly byLength = new Map<number, Route[]>()
  private readonly shapes = new Set<string>()

  add(method: Method, pattern: string, options: RouteOptions<unknown>, handler: Handler<unknown>): void {
    if (!pattern.startsWith('/')) throw new Error(`route ${method} ${pattern}: the pattern must start with /`)
    const segments = parse(pattern)
    const key = `${method} ${shape(segments)}`
    if (this.shapes.has(key)) throw new Error(`route ${method} ${pattern} is registered twice`)
    this.shapes.add(key)
    const list = this.byLength.get(segments.length) ?? []
    list.push({ method, pattern, segments, options, handler })
    this.byLength.set(segments.length, list)
  }

  match(method: string, segments: readonly string[]): RouteMatch {
    let best: { route: Route; params: Record<string, string> } | undefined
    const allowed = new Set<Method>()
    for (const route of this.byLength.get(segments.length) ?? []) {
      const params = matchSegments(route.segments, segments)
      if (params === undefined) continue
      if (route.method !== method) {
        allowed.add(route.method)
        continue
      }
      if (best === undefined || moreSpecific(route, best.route)) best = { route, params }
    }
    if (best !== undefined) return { kind: 'found', ...best }
    if (allowed.size > 0) return { kind: 'wrongMethod', allowed: [...allowed] }
    return { kind: 'none' }
  }

  routes(): Route[] {
    return [...this.byLength.values()].flat()
  }
}

function matchSegments(pattern: readonly Segment[], segments: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!
    const actual = segments[i]!
    if ('literal' in expected) {
      if (expected.literal !== actual) return undefined
    } else {
      if (actual === '') return undefined
      params[expected.param] = actual
    }
  }
  return params
}

function moreSpecific(a: Route, b: Route): boolean {
  for (let i = 0; i < a.segments.length; i++) {
    const aLiteral = 'literal' in a.segments[i]!
    const bLiteral = 'literal' in b.segments[i]!
    if (aLiteral !== bLiteral) return aLiteral
  }
  return false
}

/** The user and channel of a channel's WebSocket path (`/cpaas/notificationchannel/<ver>/<userId>/channels/<channelId>/websocket`), from its decoded segments. */
export function channelSocketOf(segments: readonly string[]): { userId: string; channelId: string } | undefined {
  const [cpaas, service, version, userId, channels, channelId, websocket] = segments
  const shaped = segments.length === 7 && cpaas === 'cpaas' && service === 'notificationchannel' && channels === 'channels' && websocket === 'websocket'
  return shaped && version !== '' && userId !== undefined && userId !== '' && channelId !== undefined && channelId !== '' ? { userId, channelId } : undefined
}
