import { describe, expect, it } from 'vitest';
import { parseFormBytes, parseFormText } from './form-decode.js';

/** Same fields, in the same order, as querystring gives for the same body. */
function expectSameAsQuerystring(body: string | Buffer): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const fields = parseFormBytes(bytes);
  expect(Object.entries(fields)).toEqual(Object.entries(parseFormText(bytes.toString())));
  expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
}

describe('parseFormBytes', () => {
  it.each([
    ['f=json&where=1%3D1&outFields=*'],
    ['a=1&a=2&a=3&b'],
    ['&&a=&=x&b=c=d&'],
    ['q=a+b%2Bc%26d'],
    ['bad=%zz%4&half=%E2%82&surrogate=%ED%A0%80&overlong=%C0%80&ff=%FF&pct=%%41'],
    ['euro=%e2%82%ac&emoji=%F0%9F%98%80&nul=%00'],
    ['__proto__=x&constructor=y&toString=z'],
  ])('decodes %s as querystring does', (body) => expectSameAsQuerystring(body));

  it('decodes raw non-ASCII bytes as querystring does (the text first)', () => {
    expectSameAsQuerystring('name=é&x=%C3%A9');
    expectSameAsQuerystring(Buffer.from([0x61, 0x3d, 0xe2, 0x25, 0x38, 0x32, 0x25, 0x41, 0x43, 0x26, 0x62, 0x3d, 0xff]));
  });

  it('agrees with querystring on random bodies', () => {
    const pieces = ['a', 'b', '=', '&', '+', '%', '%4', '%41', '%e2%82%ac', '%E2%82', '%zz', '%ED%A0%80', '__proto__', 'é', '%2B', '%26', ' ', '%FF', '\u{1F600}'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let t = 0; t < 2000; t++) {
      const body = Array.from({ length: Math.floor(next() * 10) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      expectSameAsQuerystring(body);
    }
  });

  it('decodes a large percent-encoded JSON value whole', () => {
    const value = JSON.stringify({ model: Array.from({ length: 20000 }, (_, i) => `<_>${i} -1.5e-01</_>`).join('\n') });
    const fields = parseFormBytes(Buffer.from(new URLSearchParams({ definition: value, f: 'json' }).toString()));
    expect(fields).toEqual({ definition: value, f: 'json' });
  });
});
