import * as t from 'io-ts'

// The platform's error body (`protocol/README.md`, Error bodies) and the WebSocket's control frames (`channel-and-subscriptions.md` §3, §4).

/** A `serviceException` or `policyException`: `text` with `%n` placeholders filled from `variables`. */
export const RequestException = t.intersection([
  t.type({ messageId: t.string, text: t.string }),
  t.partial({ variables: t.array(t.unknown) }),
])
export type RequestException = t.TypeOf<typeof RequestException>

/** The body of a failed request: exactly one of the two exceptions. */
export const RequestErrorBody = t.type({
  requestError: t.partial({ serviceException: RequestException, policyException: RequestException }),
})

/** The three outgoing control frames, as sent. */
export const controlFrames = {
  /** Client ping in `keepAlive` mode; the platform ignores it. */
  keepAlive: (): string => JSON.stringify({ message_type: 'ping' }),
  /** A connectivity check: `interval` in seconds (client → platform in `pingPong`, platform → client when the server is responsible). */
  connCheck: (intervalMs: number): string => JSON.stringify({ connCheck: { interval: intervalMs / 1000 } }),
  /** The answer to a `connCheck`. */
  connAck: (): string => JSON.stringify({ connAck: {} }),
}

/**
 * A codec of a body the SDK sends but never decodes (the local platform does). Its call, marked `@__PURE__`, is left out of an app's
 * bundle when nothing uses the codec: one mark covers the whole codec, built inside the call.
 *
 * export const TurnCredentialsRequest = requestBody(() => t.type({ wrtcsTurnCredentials: t.partial({ clientCorrelator: t.string }) })) // marked
 */
export function requestBody<C extends t.Any>(build: () => C): C {
  return build()
}
