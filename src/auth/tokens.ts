import { createHmac, timingSafeEqual } from 'node:crypto';

const MAX_VERIFIED = 10_000;

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
  /**
   * Claims of tokens already verified: a client sends the same token with every request, and a
   * token's claims are a function of its text and the secret. Only good tokens are kept (they
   * cannot be made up), at most MAX_VERIFIED; expiry stays the caller's check on every use.
   */
  private readonly verified = new Map<string, TokenClaims>();

  constructor(private readonly secret: Buffer) {}

  sign(claims: TokenClaims): string {
    const payload = Buffer.from(
      JSON.stringify({ u: claims.username, e: claims.expires, b: claims.binding, v: claims.tokenVersion }),
    ).toString('base64url');
    return `${payload}.${this.signature(payload)}`;
  }

  /** The claims of a well-formed, correctly signed token (expiry is the caller's check), else undefined. */
  verify(token: string): TokenClaims | undefined {
    const known = this.verified.get(token);
    if (known) return { ...known };
    const claims = this.check(token);
    if (!claims) return undefined;
    if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
    this.verified.set(token, claims);
    return { ...claims };
  }

  private check(token: string): TokenClaims | undefined {
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
