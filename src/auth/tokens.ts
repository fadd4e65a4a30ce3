import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a token says: who, until when, bound to what, and which token generation of the user. */
export interface TokenClaims {
  username: string;
  /** Epoch ms. */
  expires: number;
  /** `referer:<value>`, `ip:<address>` or '' (unbound). */
  binding: string;
  tokenVersion: number;
}

/**
 * Tokens are `<payload>.<signature>`, both base64url: HMAC-SHA256 over the JSON claims with the
 * server's secret. Opaque to clients, verifiable without a lookup, revocable through tokenVersion.
 */
export class TokenSigner {
  constructor(private readonly secret: Buffer) {}

  sign(claims: TokenClaims): string {
    const payload = Buffer.from(
      JSON.stringify({ u: claims.username, e: claims.expires, b: claims.binding, v: claims.tokenVersion }),
    ).toString('base64url');
    return `${payload}.${this.signature(payload)}`;
  }

  /** The claims of a well-formed, correctly signed token (expiry is the caller's check), else undefined. */
  verify(token: string): TokenClaims | undefined {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.signature(payload));
    const actual = Buffer.from(signature);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
    try {
      const raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      if (typeof raw.u !== 'string' || typeof raw.e !== 'number' || typeof raw.b !== 'string' || typeof raw.v !== 'number') {
        return undefined;
      }
      return { username: raw.u, expires: raw.e, binding: raw.b, tokenVersion: raw.v };
    } catch {
      return undefined;
    }
  }

  private signature(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
