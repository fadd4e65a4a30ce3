import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import type { SettingsStore } from '../store/settings-store.js';
import type { LoginFailureStore } from '../store/shared-state-store.js';
import type { Role, UserRecord, UserStore } from '../store/user-store.js';
import { VersionedCache, type CatalogReader } from '../store/catalog-version.js';
import { LoginThrottle } from './login-throttle.js';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';
import { makePrincipal, type Principal } from './principal.js';
import { TokenSigner } from './tokens.js';

export interface TokenRequest {
  username?: string;
  password?: string;
  client?: string;
  referer?: string;
  ip?: string;
  /** Minutes. */
  expiration?: number;
  /** The caller's address, for `client=requestip`. */
  requestIp: string;
}

export interface RequestOrigin {
  referer?: string;
  ip: string;
}

const BAD_CREDENTIALS = new ApiError(400, 'Unable to generate token.', ['Invalid username or password.']);

/** Users, passwords and tokens: what generateToken and the token hook need. */
export class AuthService {
  /**
   * Keyed on (user name, client address): failures from one address never lock the account for
   * others, the administrator included. A second, looser count per address slows one client
   * spraying many user names.
   */
  private readonly throttle: LoginThrottle;
  private readonly addressThrottle: LoginThrottle;
  /** Token users by catalog version: a request that reads the version anyway skips a look-up. */
  private readonly userCache = new VersionedCache<UserRecord | undefined>();

  private constructor(
    private readonly users: UserStore,
    private readonly signer: TokenSigner,
    private readonly config: Config,
    loginFailures: LoginFailureStore,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {
    this.throttle = new LoginThrottle(loginFailures);
    this.addressThrottle = new LoginThrottle(loginFailures, 50);
  }

  static async create(
    stores: { users: UserStore; settings: SettingsStore; loginFailures: LoginFailureStore },
    config: Config,
    logger?: Pick<Logger, 'warn'>,
  ): Promise<AuthService> {
    const { users, settings } = stores;
    let secret = await settings.get('token-secret');
    if (!secret) {
      secret = randomBytes(32).toString('base64');
      await settings.set('token-secret', secret);
    }
    return new AuthService(users, new TokenSigner(Buffer.from(secret, 'base64')), config, stores.loginFailures, logger);
  }

  /**
   * First start: creates the administrator from config (TESSERA_ADMIN_USER / _PASSWORD) or with a
   * random password, returned so the caller prints it once. Later starts change nothing.
   */
  async ensureAdministrator(): Promise<{ username: string; password?: string } | undefined> {
    if ((await this.users.count()) > 0) return undefined;
    const { username } = this.config.admin;
    const generated = this.config.admin.password ? undefined : generatePassword();
    await this.createUser(username, this.config.admin.password || generated!, 'administrator');
    return { username, password: generated };
  }

  async createUser(username: string, password: string, role: Role, fullName = ''): Promise<void> {
    if (!/^[A-Za-z0-9_.@-]{1,128}$/.test(username)) throw ApiError.invalidParameter(`Invalid username '${username}'.`);
    await this.users.create({ username, fullName, email: '', role, passwordHash: await hashPassword(password) });
  }

  async generateToken(request: TokenRequest): Promise<{ token: string; expires: number; ssl: boolean }> {
    const username = request.username ?? '';
    const keys = [`user:${username.toLowerCase()} ip:${request.requestIp}`];
    const addressKeys = [`ip:${request.requestIp}`];
    const wait = Math.max(await this.throttle.waitFor(keys), await this.addressThrottle.waitFor(addressKeys));
    if (wait > 0) {
      this.logger?.warn({ username, ip: request.requestIp, waitMs: wait }, 'login throttled');
      throw new ApiError(400, 'Unable to generate token.', ['Too many invalid logon attempts. Try again later.']);
    }
    const user = username ? await this.users.get(username) : undefined;
    // Hash even for unknown users so timing does not reveal which names exist.
    const valid = user
      ? await verifyPassword(request.password ?? '', user.passwordHash)
      : (await hashPassword(request.password ?? ''), false);
    if (!user || !valid) {
      await this.throttle.recordFailure(keys);
      await this.addressThrottle.recordFailure(addressKeys);
      throw BAD_CREDENTIALS;
    }
    await this.throttle.recordSuccess(keys);
    return this.sign(user.username, user.tokenVersion, request);
  }

  /** A token for an already authenticated user (token exchange for a federated server URL). */
  async issueToken(username: string, request: Omit<TokenRequest, 'username' | 'password'>): Promise<{ token: string; expires: number; ssl: boolean }> {
    const user = await this.users.get(username);
    if (!user) throw ApiError.invalidToken();
    return this.sign(user.username, user.tokenVersion, request);
  }

  private sign(username: string, tokenVersion: number, request: Omit<TokenRequest, 'username' | 'password'>) {
    const minutes = Math.min(request.expiration ?? this.config.tokens.defaultMinutes, this.config.tokens.maxMinutes);
    const expires = Date.now() + Math.max(1, minutes) * 60_000;
    const binding = bindingFor(request);
    return { token: this.signer.sign({ username, expires, binding, tokenVersion }), expires, ssl: false };
  }

  /** The principal a token stands for, or 498 for a bad, expired, revoked or wrongly bound token. */
  async authenticate(token: string, origin: RequestOrigin, source: Principal['tokenSource'], catalog?: CatalogReader): Promise<Principal> {
    const claims = this.signer.verify(token);
    if (!claims || claims.expires <= Date.now()) throw ApiError.invalidToken();
    if (claims.binding.startsWith('referer:') && normaliseReferer(origin.referer) !== claims.binding.slice(8)) {
      throw ApiError.invalidToken();
    }
    if (claims.binding.startsWith('ip:') && claims.binding.slice(3) !== origin.ip) throw ApiError.invalidToken();
    const user = await this.tokenUser(claims.username, catalog);
    if (!user || user.tokenVersion !== claims.tokenVersion) throw ApiError.invalidToken();
    return makePrincipal(user.username, user.role, source);
  }

  private async tokenUser(username: string, catalog?: CatalogReader): Promise<UserRecord | undefined> {
    if (!catalog) return this.users.get(username);
    const version = await catalog();
    const key = username.toLowerCase();
    if (this.userCache.get(version, key)) return this.userCache.get(version, key);
    const user = await this.users.get(username);
    this.userCache.set(version, key, user);
    return user;
  }
}

function bindingFor(request: Omit<TokenRequest, 'username' | 'password'>): string {
  const client = (request.client ?? '').toLowerCase();
  if (client === 'referer') {
    if (!request.referer) throw ApiError.invalidParameter("'referer' is required when client=referer");
    return `referer:${normaliseReferer(request.referer)}`;
  }
  if (client === 'ip') {
    if (!request.ip) throw ApiError.invalidParameter("'ip' is required when client=ip");
    return `ip:${request.ip}`;
  }
  if (client === 'requestip') return `ip:${request.requestIp}`;
  // No client given: unbound, as arcgis-rest-js from Node and curl users expect.
  return '';
}

/** Browsers send a full page URL as Referer; a token bound to `https://app` accepts any page of it. */
function normaliseReferer(referer: string | undefined): string {
  if (!referer) return '';
  try {
    const url = new URL(referer);
    return url.origin === 'null' ? referer : url.origin;
  } catch {
    return referer;
  }
}
