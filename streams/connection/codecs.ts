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
export type RequestErrorBody = t.TypeOf<typeof RequestErrorBody>

/** Client ping in `keepAlive` mode; the platform ignores it. */
const KeepAlivePing = t.type({ message_type: t.literal('ping') })
export type KeepAlivePing = t.TypeOf<typeof KeepAlivePing>

/** A connectivity check: `interval` in seconds (client → platform in `pingPong`, platform → client when the server is responsible). */
const ConnCheckFrame = t.type({ connCheck: t.partial({ interval: t.number }) })
export type ConnCheckFrame = t.TypeOf<typeof ConnCheckFrame>

/** The answer to a `connCheck`. */
const ConnAckFrame = t.type({ connAck: t.UnknownRecord })
export type ConnAckFrame = t.TypeOf<typeof ConnAckFrame>

/** The three outgoing control frames, as sent. */
export const controlFrames = {
  keepAlive: (): string => JSON.stringify({ message_type: 'ping' } satisfies KeepAlivePing),
  connCheck: (intervalMs: number): string => JSON.stringify({ connCheck: { interval: intervalMs / 1000 } } satisfies ConnCheckFrame),
  connAck: (): string => JSON.stringify({ connAck: {} } satisfies ConnAckFrame),
}
