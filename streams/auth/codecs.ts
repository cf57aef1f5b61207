import * as t from 'io-ts'

/** A string with at least one character. */
const NonEmptyString = t.refinement(t.string, (value) => value.length > 0, 'NonEmptyString')

/**
 * The claims of the id token the SDK reads (`protocol/README.md`, the `<userId>` path segment):
 * `preferred_username` is the user id of every REST path, `services-identity` the public address.
 */
export const IdTokenClaims = t.intersection([
  t.type({ preferred_username: NonEmptyString }),
  t.partial({ 'services-identity': NonEmptyString }),
])
export type IdTokenClaims = t.TypeOf<typeof IdTokenClaims>
