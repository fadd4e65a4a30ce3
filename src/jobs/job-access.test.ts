import { describe, expect, it } from 'vitest';
import { makePrincipal } from '../auth/principal.js';
import { canSeeJob } from './job-access.js';

const ana = makePrincipal('ana', 'publisher', 'header');
const bob = makePrincipal('bob', 'user', 'header');
const admin = makePrincipal('admin', 'administrator', 'header');

describe('canSeeJob', () => {
  it.each([
    { owner: null, principal: null, expected: true },
    { owner: null, principal: bob, expected: true },
    { owner: 'ana', principal: null, expected: false },
    { owner: 'ana', principal: ana, expected: true },
    { owner: 'Ana', principal: ana, expected: true },
    { owner: 'ana', principal: bob, expected: false },
    { owner: 'ana', principal: admin, expected: true },
  ])('owner $owner, caller $principal.username → $expected', ({ owner, principal, expected }) => {
    expect(canSeeJob({ owner }, principal)).toBe(expected);
  });
});
