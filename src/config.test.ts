import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-schema.js';
import { loadConfig } from './config.js';

const DATA = { dataDir: '/tmp/tessera-config-test-none' };

describe('loadConfig validation', () => {
  it('accepts the defaults and ordinary overrides', () => {
    expect(loadConfig({ ...DATA, port: 0, jobs: { retentionMinutes: 0.02 } }, {}).port).toBe(0);
  });

  it.each<[string, Record<string, unknown>, Record<string, string>, RegExp]>([
    ['a port that is not a number', {}, { TESSERA_PORT: 'abc' }, /TESSERA_PORT: expected an integer, got 'abc'/],
    ['a port out of range', { port: 70000 }, {}, /'port'.*0 to 65535, got 70000/],
    ['a flag that gave NaN', { port: Number('x') }, {}, /'port'.*got not a number/],
    ['an unknown store', {}, { TESSERA_STORE: 'mysql' }, /'store.kind' \(TESSERA_STORE.*'sqlite' or 'postgres', got "mysql"/],
    ['an unknown log level', { logLevel: 'loud' }, {}, /'logLevel'/],
    ['no job workers', { jobs: { concurrency: 0 } }, {}, /'jobs.concurrency'/],
    ['a schema name that is not an identifier', { store: { postgresSchema: 'a;b' } }, {}, /'store.postgresSchema'/],
  ])('refuses %s, naming the setting', (_name, overrides, env, message) => {
    expect(() => loadConfig({ ...DATA, ...overrides } as never, env)).toThrow(ConfigError);
    expect(() => loadConfig({ ...DATA, ...overrides } as never, env)).toThrow(message);
  });
});
