import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenSigner } from './tokens.js';

describe('TokenSigner', () => {
  const signer = new TokenSigner(randomBytes(32));
  const claims = { username: 'ana', expires: 1_900_000_000_000, binding: 'referer:https://app', tokenVersion: 2 };

  it('round-trips its own claims', () => {
    expect(signer.verify(signer.sign(claims))).toEqual(claims);
  });

  it.each([
    ['empty', ''],
    ['no signature', 'abc'],
    ['three parts', 'a.b.c'],
    ['garbage', 'not-a-token.at-all'],
  ])('refuses %s', (_label, token) => {
    expect(signer.verify(token)).toBeUndefined();
  });

  it('refuses a token with a changed payload', () => {
    const [, signature] = signer.sign(claims).split('.');
    const forged = Buffer.from(JSON.stringify({ u: 'admin', e: claims.expires, b: '', v: 2 })).toString('base64url');
    expect(signer.verify(`${forged}.${signature}`)).toBeUndefined();
  });

  it('answers a token verified before alike, as a copy the caller may change', () => {
    const token = signer.sign(claims);
    const first = signer.verify(token)!;
    first.username = 'changed';
    expect(signer.verify(token)).toEqual(claims);
  });

  it('refuses a token signed with another secret', () => {
    expect(new TokenSigner(randomBytes(32)).verify(signer.sign(claims))).toBeUndefined();
  });
});
