import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  it('allows the free attempts, then backs off doubling, and forgives on success', () => {
    let now = 0;
    const throttle = new LoginThrottle(3, 1000, 60_000, () => now);
    const keys = ['user:ana'];
    for (let i = 0; i < 3; i++) {
      expect(throttle.waitFor(keys)).toBe(0);
      throttle.recordFailure(keys);
    }
    expect(throttle.waitFor(keys)).toBe(1000);
    now += 1000;
    throttle.recordFailure(keys);
    expect(throttle.waitFor(keys)).toBe(2000);
    throttle.recordSuccess(keys);
    expect(throttle.waitFor(keys)).toBe(0);
  });
});
