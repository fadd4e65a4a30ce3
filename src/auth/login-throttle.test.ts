import { describe, expect, it } from 'vitest';
import { openDatabase } from '../store/sqlite/database.js';
import { SqliteLoginFailureStore } from '../store/sqlite/sqlite-shared-state-store.js';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  it('allows the free attempts, then backs off doubling, and forgives on success', async () => {
    let now = 0;
    const store = new SqliteLoginFailureStore(openDatabase(':memory:', { migrations: ['core'] }));
    const throttle = new LoginThrottle(store, 3, 1000, 60_000, () => now);
    const keys = ['user:ana'];
    for (let i = 0; i < 3; i++) {
      expect(await throttle.waitFor(keys)).toBe(0);
      await throttle.recordFailure(keys);
    }
    expect(await throttle.waitFor(keys)).toBe(1000);
    now += 1000;
    await throttle.recordFailure(keys);
    expect(await throttle.waitFor(keys)).toBe(2000);
    await throttle.recordSuccess(keys);
    expect(await throttle.waitFor(keys)).toBe(0);
  });

  it('throttles alike through two instances on one store (two processes of one installation)', async () => {
    const store = new SqliteLoginFailureStore(openDatabase(':memory:', { migrations: ['core'] }));
    const [a, b] = [new LoginThrottle(store, 2), new LoginThrottle(store, 2)];
    await a.recordFailure(['k']);
    await b.recordFailure(['k']);
    expect(await a.waitFor(['k'])).toBeGreaterThan(0);
    expect(await b.waitFor(['k'])).toBeGreaterThan(0);
  });
});
