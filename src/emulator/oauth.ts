// The OAuth 2.0 token endpoint and the sessions it hands out. Only form-encoded bodies are read:
// the product must never put credentials in a URL (they end up in proxy and server logs), so the
// emulator refuses that loudly even though real Salesforce tolerates it.

import { createHmac } from 'node:crypto';
import type { Prng } from './prng.js';
import { orgId18 } from './org/record-ids.js';

export interface EmulatorUser {
  username: string;
  password: string;
  securityToken?: string;
}

export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  /** The user a client_credentials grant runs as; without it the grant is refused. */
  runAs?: string;
}

export interface Session {
  username: string;
  userId: string;
  clientId: string;
  expiresAt: number;
  expired: boolean;
}

export interface TokenResponse {
  access_token: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
  signature: string;
  refresh_token?: string;
  scope?: string;
}

export interface OAuthResult {
  status: number;
  body: Record<string, unknown>;
}

const FORM = 'application/x-www-form-urlencoded';
const CREDENTIAL_PARAMS = ['password', 'client_secret', 'refresh_token', 'username', 'client_id', 'grant_type'];

export class Sessions {
  readonly orgId: string;
  private readonly userIds = new Map<string, string>();
  private readonly access = new Map<string, Session>();
  private readonly refresh = new Map<string, { username: string; clientId: string }>();

  constructor(
    private readonly prng: Prng,
    private readonly users: EmulatorUser[],
    readonly clients: EmulatorClient[],
    private readonly ttlMs: number,
    private readonly now: () => Date,
  ) {
    this.orgId = orgId18(`00D5g000${prng.base62(7)}`);
    for (const u of users) this.userIds.set(u.username.toLowerCase(), orgId18(`0055g000${prng.base62(7)}`));
  }

  userId(username: string): string | undefined {
    return this.userIds.get(username.toLowerCase());
  }

  defaultUserId(): string {
    return this.userIds.values().next().value ?? '005000000000000AAA';
  }

  findUser(username: string): EmulatorUser | undefined {
    return this.users.find((u) => u.username.toLowerCase() === username.toLowerCase());
  }

  /** Issues a session for a configured user (tests can skip the OAuth dance with this). */
  issue(username: string, clientId: string, instanceUrl: string, withRefreshToken: boolean): TokenResponse {
    const userId = this.userId(username);
    if (!userId) throw new Error(`unknown emulator user: ${username}`);
    const client = this.clients.find((c) => c.clientId === clientId);
    const token = `${this.orgId.slice(0, 15)}!${this.prng.base62(96)}`;
    const issuedAt = String(this.now().getTime());
    this.access.set(token, {
      username,
      userId,
      clientId,
      expiresAt: this.now().getTime() + this.ttlMs,
      expired: false,
    });
    const id = `${instanceUrl}/id/${this.orgId}/${userId}`;
    const out: TokenResponse = {
      access_token: token,
      instance_url: instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
      signature: createHmac('sha256', client?.clientSecret ?? '')
        .update(id + issuedAt)
        .digest('base64'),
      scope: 'api refresh_token',
    };
    if (withRefreshToken) {
      const refreshToken = `5Aep861${this.prng.base62(80)}`;
      this.refresh.set(refreshToken, { username, clientId });
      out.refresh_token = refreshToken;
    }
    return out;
  }

  /** The live session behind an Authorization header value, or undefined (→ 401 INVALID_SESSION_ID). */
  check(authorization: string | undefined): Session | undefined {
    const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) return undefined;
    const session = this.access.get(m[1]);
    if (!session || session.expired || session.expiresAt <= this.now().getTime()) return undefined;
    return session;
  }

  expireAll(): void {
    for (const s of this.access.values()) s.expired = true;
  }

  clear(): void {
    this.access.clear();
    this.refresh.clear();
  }

  /** POST /services/oauth2/token */
  tokenEndpoint(
    contentType: string | undefined,
    query: URLSearchParams,
    body: string,
    instanceUrl: string,
  ): OAuthResult {
    const fail = (error: string, description: string): OAuthResult => ({
      status: 400,
      body: { error, error_description: description },
    });
    if (CREDENTIAL_PARAMS.some((p) => query.has(p))) {
      return fail(
        'invalid_request',
        'OAuth parameters must be sent form-encoded in the request body, never in the URL',
      );
    }
    if (!(contentType ?? '').toLowerCase().startsWith(FORM)) {
      return fail('unsupported_grant_type', `grant type not supported (the body must be ${FORM})`);
    }
    const form = new URLSearchParams(body);
    const grant = form.get('grant_type');
    const clientId = form.get('client_id') ?? '';
    const client = this.clients.find((c) => c.clientId === clientId);
    if (grant !== 'password' && grant !== 'refresh_token' && grant !== 'client_credentials') {
      return fail('unsupported_grant_type', 'grant type not supported');
    }
    if (!client) return fail('invalid_client_id', 'client identifier invalid');
    const secret = form.get('client_secret');

    if (grant === 'password') {
      if (secret !== client.clientSecret) return fail('invalid_client', 'invalid client credentials');
      const user = this.findUser(form.get('username') ?? '');
      if (!user || form.get('password') !== user.password + (user.securityToken ?? '')) {
        return fail('invalid_grant', 'authentication failure');
      }
      return { status: 200, body: { ...this.issue(user.username, clientId, instanceUrl, false) } };
    }
    if (grant === 'refresh_token') {
      // A connected app may allow refresh without the secret; when one is sent it must be right.
      if (secret !== null && secret !== client.clientSecret)
        return fail('invalid_client', 'invalid client credentials');
      const entry = this.refresh.get(form.get('refresh_token') ?? '');
      if (!entry || entry.clientId !== clientId) return fail('invalid_grant', 'expired access/refresh token');
      return { status: 200, body: { ...this.issue(entry.username, clientId, instanceUrl, false) } };
    }
    if (secret !== client.clientSecret) return fail('invalid_client', 'invalid client credentials');
    if (!client.runAs || !this.findUser(client.runAs))
      return fail('invalid_grant', 'no client credentials user enabled');
    return { status: 200, body: { ...this.issue(client.runAs, clientId, instanceUrl, false) } };
  }
}
