import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Config } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';

export const ADMIN = { username: 'admin', password: 'admin-test-password' };

export interface TestServer extends RunningServer {
  dataDir: string;
  /** A fresh token for a user (default: the administrator). */
  token(username?: string, password?: string, extra?: Record<string, string>): Promise<string>;
  /** GET or POST (form-encoded) below the base URL, parsed as JSON. */
  get(pathAndQuery: string, headers?: Record<string, string>): Promise<any>;
  post(path: string, form: Record<string, string | number | boolean>, headers?: Record<string, string>): Promise<any>;
  /** Creates a user with the given role; password = username + '-pw'. */
  addUser(username: string, role: 'administrator' | 'publisher' | 'user'): Promise<void>;
}

/** A real server on a loopback port with its own temporary data directory. */
export async function startTestServer(config: Partial<Config> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tessera-test-'));
  const server = await startServer({
    config: { port: 0, host: '127.0.0.1', dataDir, demo: false, demoPackages: false, admin: ADMIN, ...config },
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  const get = async (pathAndQuery: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}${pathAndQuery}`, { headers });
    return response.json();
  };
  const post = async (target: string, form: Record<string, string | number | boolean>, headers: Record<string, string> = {}) => {
    const body = new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)]));
    const response = await fetch(`${server.url}${target}`, { method: 'POST', body, headers });
    return response.json();
  };
  return {
    ...server,
    dataDir,
    get,
    post,
    token: async (username = ADMIN.username, password = ADMIN.password, extra = {}) => {
      const result = await post('/sharing/rest/generateToken', { username, password, f: 'json', ...extra });
      if (!result.token) throw new Error(`no token for ${username}: ${JSON.stringify(result)}`);
      return result.token as string;
    },
    addUser: (username, role) => server.context.auth.createUser(username, `${username}-pw`, role),
    close: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
