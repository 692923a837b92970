// Where a destination's session comes from: an OAuth access token sent with the event (renewable
// with its refresh token), or the username-password grant. Token requests go through jsforce's
// OAuth2 class (form-encoded POST to {login}/services/oauth2/token; credentials never in a URL).
import { LoginGuard } from './login-guard.js';
import { OAuth2 } from '@jsforce/jsforce-node';
import { Transport } from '@jsforce/jsforce-node/lib/transport.js';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from '@jsforce/jsforce-node/lib/types/common.js';
import type { StreamPromise } from '@jsforce/jsforce-node/lib/util/promise.js';
import { AuthError, LoginError, TransportError, type SessionSource } from './salesforce-client.js';
import { HostAllowlist } from './host-allowlist.js';
import { tokenRequests } from '../observe/metrics.js';
import { TokenCache, type Session, type SessionCache } from './token-cache.js';

export type Credentials =
  | { kind: 'oauth'; accessToken: string; instanceUrl: string; refreshToken?: string; loginUrl: string }
  | { kind: 'password'; userName: string; password: string; securityToken: string; loginUrl: string };

export interface AuthSettings {
  clientId?: string;
  clientSecret?: string;
  /** Replaces login.salesforce.com / test.salesforce.com (a sandbox host, a local emulator). */
  loginUrl?: string;
  timeoutMs: number;
}

export function authSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const timeout = Number(env.PROXY_TIMEOUT_MS);
  return {
    clientId: env.SALESFORCE_CLIENT_ID || undefined,
    clientSecret: env.SALESFORCE_CLIENT_SECRET || undefined,
    loginUrl: env.SALESFORCE_LOGIN_URL || undefined,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 30_000,
  };
}

/** Thrown for payloads that carry no usable credentials: that event can never be delivered as it is. */
export class CredentialsError extends Error {
  /**
   * true when the router, not the event, is at fault (an OAuth secret missing instance_url or
   * access_token): the job is retried (500), as RudderStack does, instead of being dropped (400).
   */
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'CredentialsError';
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** Reads credentials the way RudderStack sends them: OAuth in metadata.secret, else the password flow in destination.Config. */
export function credentialsOf(
  metadata: unknown,
  config: Record<string, unknown>,
  settings: Pick<AuthSettings, 'loginUrl'>,
): Credentials {
  const sandbox = config.sandbox === true || config.sandbox === 'true';
  const loginUrl = settings.loginUrl ?? (sandbox ? 'https://test.salesforce.com' : 'https://login.salesforce.com');
  const secret =
    typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>).secret : undefined;
  if (typeof secret === 'object' && secret !== null) {
    const s = secret as Record<string, unknown>;
    const accessToken = str(s.access_token);
    const instanceUrl = str(s.instance_url);
    if (accessToken && instanceUrl) {
      return { kind: 'oauth', accessToken, instanceUrl, refreshToken: str(s.refresh_token), loginUrl };
    }
    if (accessToken || instanceUrl) {
      throw new CredentialsError(
        `metadata.secret has no ${accessToken ? 'instance_url' : 'access_token'}: the router sent an incomplete OAuth secret (retryable)`,
        true,
      );
    }
  }
  const userName = str(config.userName);
  const password = str(config.password);
  if (userName && password) {
    return { kind: 'password', userName, password, securityToken: str(config.initialAccessToken) ?? '', loginUrl };
  }
  throw new CredentialsError(
    'no Salesforce credentials: send metadata.secret {access_token, instance_url} or destination.Config {userName, password, initialAccessToken}',
  );
}

/** jsforce's transport with its defaults made safe for a server: no retries, no redirects, a real timeout. */
class BoundedTransport extends Transport {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}): StreamPromise<HttpResponse> {
    return super.httpRequest(req, {
      ...options,
      timeout: this.timeoutMs,
      followRedirect: false,
      retry: { maxRetries: 0, methods: [] },
    });
  }
}

/** OAuth error codes that say "try again later" rather than "these credentials are bad". */
const TRANSIENT_OAUTH_ERRORS = new Set(['unknown_error', 'server_error', 'temporarily_unavailable']);

export class Authenticator {
  constructor(
    private readonly settings: AuthSettings,
    private readonly allowlist: HostAllowlist,
    private readonly cache: SessionCache = new TokenCache(),
    private readonly logins: LoginGuard = new LoginGuard(),
  ) {}

  /** The cache key for these credentials (a hash; includes the connected app so a key never crosses apps). */
  keyOf(creds: Credentials): string {
    return creds.kind === 'oauth'
      ? this.cache.keyOf({
          kind: 'oauth',
          accessToken: creds.accessToken,
          instanceUrl: creds.instanceUrl,
          refreshToken: creds.refreshToken,
          loginUrl: creds.loginUrl,
          clientId: this.settings.clientId,
        })
      : this.cache.keyOf({
          kind: 'password',
          userName: creds.userName,
          password: creds.password,
          securityToken: creds.securityToken,
          loginUrl: creds.loginUrl,
          clientId: this.settings.clientId,
        });
  }

  /** Refuses credentials whose hosts are not Salesforce's (or the operator's); returns the reason, or undefined when fine. */
  refusal(creds: Credentials): string | undefined {
    if (creds.kind === 'oauth') {
      const instance = this.allowlist.check(creds.instanceUrl, 'instance URL');
      if (!instance.ok) return instance.reason;
    }
    // The login host is only contacted for the password grant or a refresh; check it only then.
    if (creds.kind === 'password' || this.canRefresh(creds)) {
      const login = this.allowlist.check(creds.loginUrl, 'login URL');
      if (!login.ok) return login.reason;
    }
    return undefined;
  }

  /** The current session for these credentials; one token request however many callers miss at once. */
  session(creds: Credentials): Promise<Session> {
    const key = this.keyOf(creds);
    if (creds.kind === 'oauth') {
      // The router's token is used as it is until Salesforce refuses it; a refreshed one replaces it here.
      return this.cache.get(key, () =>
        Promise.resolve({ accessToken: creds.accessToken, instanceUrl: originOf(creds.instanceUrl) }),
      );
    }
    return this.cache.get(key, () => this.guardedPasswordGrant(key, creds));
  }

  /** Salesforce refused `stale`: get a new session once, shared by every caller that saw the same token. */
  renew(creds: Credentials, stale: string): Promise<Session> {
    const key = this.keyOf(creds);
    if (creds.kind === 'password') return this.cache.refresh(key, stale, () => this.guardedPasswordGrant(key, creds));
    if (!this.canRefresh(creds)) {
      // Nothing to refresh with: forget the dead token and let the router refresh it.
      this.cache.evict(key);
      return Promise.reject(
        new AuthError(
          creds.refreshToken
            ? 'the access token expired; SALESFORCE_CLIENT_ID is not set, so it cannot be refreshed here'
            : 'the access token expired and no refresh_token was sent',
          'INVALID_SESSION_ID',
        ),
      );
    }
    return this.cache.refresh(key, stale, () =>
      this.logins.run(
        key,
        creds.loginUrl,
        () => this.refreshGrant(creds),
        () => false,
      ),
    );
  }

  /** A refused username/password is remembered briefly; logins per login host are capped. */
  private guardedPasswordGrant(key: string, creds: Extract<Credentials, { kind: 'password' }>): Promise<Session> {
    return this.logins.run(
      key,
      creds.loginUrl,
      () => this.passwordGrant(creds),
      (err) => err instanceof LoginError && err.errorCode !== 'HOST_NOT_ALLOWED',
    );
  }

  /** The session source a REST client uses for these credentials. */
  bind(creds: Credentials): SessionSource {
    return { current: () => this.session(creds), renew: (stale) => this.renew(creds, stale) };
  }

  private canRefresh(creds: Credentials): boolean {
    return creds.kind === 'oauth' && creds.refreshToken !== undefined && this.settings.clientId !== undefined;
  }

  private oauth2(loginUrl: string): OAuth2 {
    const oauth2 = new OAuth2({
      loginUrl: stripSlash(loginUrl),
      clientId: this.settings.clientId,
      clientSecret: this.settings.clientSecret,
    });
    oauth2._transport = new BoundedTransport(this.settings.timeoutMs);
    return oauth2;
  }

  private async passwordGrant(creds: Extract<Credentials, { kind: 'password' }>): Promise<Session> {
    if (!this.settings.clientId || !this.settings.clientSecret) {
      // An operator setting, not the event's fault: 500 so the events wait for the fix instead of being dropped.
      throw new Error(
        'the username-password flow needs SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (the connected app) to be set',
      );
    }
    try {
      const oauth2 = this.oauth2(creds.loginUrl);
      // Salesforce expects the security token appended to the password.
      const res = await counted('password', () =>
        withTimeout(oauth2.authenticate(creds.userName, creds.password + creds.securityToken), this.settings.timeoutMs),
      );
      return this.sessionFrom(res.access_token, res.instance_url);
    } catch (err) {
      throw tokenRequestFailure(
        err,
        (code, description) =>
          new LoginError(`Salesforce refused the username-password login (${code}): ${description}`, code),
      );
    }
  }

  private async refreshGrant(creds: Extract<Credentials, { kind: 'oauth' }>): Promise<Session> {
    try {
      const oauth2 = this.oauth2(creds.loginUrl);
      const res = await counted('refresh_token', () =>
        withTimeout(oauth2.refreshToken(creds.refreshToken as string), this.settings.timeoutMs),
      );
      return this.sessionFrom(res.access_token, res.instance_url ?? creds.instanceUrl);
    } catch (err) {
      throw tokenRequestFailure(
        err,
        (code, description) =>
          new AuthError(`the access token expired and the refresh was refused (${code}): ${description}`, code),
      );
    }
  }

  private sessionFrom(accessToken: unknown, instanceUrl: unknown): Session {
    if (typeof accessToken !== 'string' || typeof instanceUrl !== 'string') {
      throw new Error('the token endpoint answered without access_token and instance_url');
    }
    // The token endpoint names the instance; it gets the same host check as one sent by a caller.
    const check = this.allowlist.check(instanceUrl, 'instance URL');
    if (!check.ok) throw new LoginError(check.reason, 'HOST_NOT_ALLOWED');
    return { accessToken, instanceUrl: check.url.origin };
  }
}

/** Requests go to the instance's origin only: a path, query or fragment in instance_url never reaches a request line. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return stripSlash(url);
  }
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** jsforce reports token-endpoint failures as Errors named after the OAuth `error` (or ERROR_HTTP_<status>). */
function tokenRequestFailure(err: unknown, refused: (code: string, description: string) => Error): Error {
  if (err instanceof TransportError || err instanceof LoginError || err instanceof AuthError) return err;
  if (!(err instanceof Error)) return new Error(String(err));
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return new TransportError(code, `token request failed: ${code}`, { cause: err });
  if (err.name === 'AbortError' || err.name === 'FetchError')
    return new TransportError('ETIMEDOUT', 'token request timed out', { cause: err });
  if (err.name.startsWith('ERROR_HTTP_') || TRANSIENT_OAUTH_ERRORS.has(err.name)) {
    return new Error(`the token endpoint failed (${err.name})`);
  }
  if (err.name === 'Error' || err.name === 'TypeError') return err;
  return refused(err.name, err.message);
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TransportError('ETIMEDOUT', `token request took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Counts a token request in the metrics (GET /metrics), whatever its result. */
async function counted<T>(grant: 'password' | 'refresh_token', request: () => Promise<T>): Promise<T> {
  try {
    const res = await request();
    tokenRequests.inc({ grant, result: 'ok' });
    return res;
  } catch (err) {
    tokenRequests.inc({ grant, result: 'error' });
    throw err;
  }
}
