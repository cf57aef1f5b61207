import * as t from 'io-ts'

const NonEmptyString = t.refinement(t.string, (value) => value.length > 0, 'NonEmptyString')

/** The id token claims the SDK reads (`protocol/README.md`): `preferred_username`, every REST path's `<userId>`; `services-identity`, the public address. */
export const IdTokenClaims = t.intersection([
  t.type({ preferred_username: NonEmptyString }),
  t.partial({ 'services-identity': NonEmptyString }),
])
