import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Account } from './context.js'

/** The three tokens of a grant. */
export interface TokenSet {
  readonly accessToken: string
  readonly idToken: string
  readonly refreshToken: string
  /** Seconds the access token is valid for. */
  readonly expiresIn: number
}

export type TokenKind = 'access' | 'id' | 'refresh'

export interface TokenClaims {
  readonly sub: string
  readonly typ: TokenKind
  readonly iat: number
  readonly exp: number
  readonly [claim: string]: unknown
}

/** Why a token was refused; the text becomes the `variables` of the 401 body. */
export type TokenFailure = 'malformed' | 'bad signature' | 'expired' | 'wrong token type'

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url')
const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))

/** A fresh random signing secret (hex). */
export const newSecret = (): string => randomBytes(32).toString('hex')

/** Signs and verifies the platform's JWTs (HS256 with one secret per platform). */
export class TokenIssuer {
  constructor(
    private readonly secret: string,
    /** Access / id token lifetime in seconds. */
    readonly lifetime: number,
    private readonly now: () => number,
  ) {}

  sign(claims: TokenClaims): string {
    const body = `${header}.${base64url(JSON.stringify(claims))}`
    return `${body}.${createHmac('sha256', this.secret).update(body).digest('base64url')}`
  }

  /** The three tokens for `account`; `lifetime` (seconds) overrides the default, negative values mint expired tokens. */
  issue(account: Account, lifetime = this.lifetime): TokenSet {
    const iat = Math.floor(this.now() / 1000)
    const exp = iat + lifetime
    const base = { sub: account.userId, iat, exp }
    return {
      // A fresh `jti`: two logins of one user in one second get distinct access tokens, by which the platform tells devices apart.
      accessToken: this.sign({ ...base, typ: 'access', scope: 'openid', jti: randomBytes(12).toString('base64url') }),
      idToken: this.sign({
        ...base,
        typ: 'id',
        preferred_username: account.userId,
        'services-identity': account.identity,
        given_name: account.firstName,
        family_name: account.lastName,
        email: account.email,
        phone_number: account.phoneNumber,
      }),
      refreshToken: this.sign({ sub: account.userId, iat, exp: iat + Math.max(lifetime, 0) * 24, typ: 'refresh' }),
      expiresIn: lifetime,
    }
  }

  /** The claims of a valid token of `kind`, or why it is not valid. */
  verify(token: string, kind: TokenKind): TokenClaims | TokenFailure {
    const parts = token.split('.')
    if (parts.length !== 3) return 'malformed'
    const [head, payload, signature] = parts as [string, string, string]
    const expected = createHmac('sha256', this.secret).update(`${head}.${payload}`).digest()
    const given = Buffer.from(signature, 'base64url')
    let claims: unknown
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    } catch {
      return 'malformed'
    }
    if (typeof claims !== 'object' || claims === null || typeof (claims as TokenClaims).sub !== 'string' || typeof (claims as TokenClaims).exp !== 'number') return 'malformed'
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad signature'
    const valid = claims as TokenClaims
    if (valid.typ !== kind) return 'wrong token type'
    if (valid.exp * 1000 <= this.now()) return 'expired'
    return valid
  }
}
