import { expect } from 'chai';
import {
  Authenticator,
  credentialsOf,
  CredentialsError,
  type AuthSettings,
  type Credentials,
} from '../../src/deliver/auth.js';
import { classifyError, classifyResponse } from '../../src/deliver/classify.js';
import { HostAllowlist } from '../../src/deliver/host-allowlist.js';
import { AuthError, LoginError, RestSalesforceClient, TransportError } from '../../src/deliver/salesforce-client.js';
import { startFakeSalesforce, type FakeSalesforce } from './fake-salesforce.js';

describe('auth and the REST client (against a fake Salesforce)', () => {
  let sf: FakeSalesforce;
  let settings: AuthSettings;
  const allow = new HostAllowlist(['127.0.0.1']);

  beforeEach(async () => {
    sf = await startFakeSalesforce();
    settings = { clientId: 'cid', clientSecret: 'csecret', loginUrl: sf.url, timeoutMs: 2000 };
  });
  afterEach(() => sf.close());

  const passwordCreds = (): Credentials => ({
    kind: 'password',
    userName: 'ada@acme.com',
    password: 'pw',
    securityToken: 'TOK',
    loginUrl: sf.url,
  });
  const oauthCreds = (extra: Partial<Extract<Credentials, { kind: 'oauth' }>> = {}): Credentials => ({
    kind: 'oauth',
    accessToken: 'expired',
    instanceUrl: sf.url,
    loginUrl: sf.url,
    ...extra,
  });
  const clientFor = (auth: Authenticator, creds: Credentials, timeoutMs = 2000) =>
    new RestSalesforceClient(auth.bind(creds), '66.0', timeoutMs);

  describe('reading credentials', () => {
    it('OAuth from metadata.secret, password flow from destination.Config, sandbox → test.salesforce.com', () => {
      expect(
        credentialsOf(
          { secret: { access_token: 'a', instance_url: 'https://x.my.salesforce.com', refresh_token: 'r' } },
          {},
          {},
        ),
      ).to.deep.equal({
        kind: 'oauth',
        accessToken: 'a',
        instanceUrl: 'https://x.my.salesforce.com',
        refreshToken: 'r',
        loginUrl: 'https://login.salesforce.com',
      });
      expect(
        credentialsOf({}, { userName: 'u', password: 'p', initialAccessToken: 't', sandbox: true }, {}),
      ).to.deep.equal({
        kind: 'password',
        userName: 'u',
        password: 'p',
        securityToken: 't',
        loginUrl: 'https://test.salesforce.com',
      });
      expect(
        credentialsOf({}, { userName: 'u', password: 'p', sandbox: true }, { loginUrl: 'http://127.0.0.1:1' }).loginUrl,
      ).to.equal('http://127.0.0.1:1');
    });
    it('no credentials, or half of them, is a CredentialsError', () => {
      expect(() => credentialsOf({ jobId: 1 }, {}, {})).to.throw(CredentialsError);
      expect(() => credentialsOf({ secret: { access_token: 'a' } }, {}, {})).to.throw(CredentialsError, /instance_url/);
    });
  });

  it('username-password grant: form-encoded, nothing in the URL, password + security token, the connected app', async () => {
    const auth = new Authenticator(settings, allow);
    const res = await clientFor(auth, passwordCreds()).request({
      method: 'GET',
      path: '/services/data/v66.0/query',
      query: { q: "SELECT Id FROM Lead WHERE Email = 'a b@c.d'" },
    });
    expect(res.status).to.equal(200);
    expect(sf.tokenRequests).to.have.length(1);
    const t = sf.tokenRequests[0];
    expect(t.contentType).to.match(/^application\/x-www-form-urlencoded/);
    expect(t.query).to.equal('');
    expect(Object.fromEntries(t.form)).to.deep.equal({
      grant_type: 'password',
      username: 'ada@acme.com',
      password: 'pwTOK',
      client_id: 'cid',
      client_secret: 'csecret',
    });
    expect(sf.restRequests[0].authorization).to.equal('Bearer tok-1');
    expect(sf.restRequests[0].path).to.equal(
      '/services/data/v66.0/query?q=SELECT%20Id%20FROM%20Lead%20WHERE%20Email%20%3D%20%27a%20b%40c.d%27',
    );
  });

  it('20 concurrent events with the same credentials → one token request', async () => {
    const auth = new Authenticator(settings, allow);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        clientFor(auth, passwordCreds()).request({ method: 'GET', path: '/services/data/v66.0/limits' }),
      ),
    );
    expect(results.map((r) => r.status)).to.deep.equal(Array(20).fill(200));
    expect(sf.tokenRequests).to.have.length(1);
  });

  it('expired OAuth token with a refresh token: refreshed once, then replayed; 20 concurrent → one refresh', async () => {
    const auth = new Authenticator(settings, allow);
    const creds = oauthCreds({ refreshToken: 'R1' });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        clientFor(auth, creds).request({
          method: 'POST',
          path: '/services/data/v66.0/sobjects/Lead',
          body: { LastName: 'L' },
        }),
      ),
    );
    expect(results.map((r) => r.status)).to.deep.equal(Array(20).fill(200));
    expect(sf.tokenRequests).to.have.length(1);
    expect(Object.fromEntries(sf.tokenRequests[0].form)).to.deep.equal({
      grant_type: 'refresh_token',
      refresh_token: 'R1',
      client_id: 'cid',
      client_secret: 'csecret',
    });
    // Each event: one refused call with the old token, one replay with the new one — and the replay carries the same body.
    expect(sf.restRequests.filter((r) => r.authorization === 'Bearer expired')).to.have.length(20);
    const replays = sf.restRequests.filter((r) => r.authorization === 'Bearer tok-1');
    expect(replays).to.have.length(20);
    expect(replays.every((r) => r.body === '{"LastName":"L"}')).to.equal(true);
    // A later event with the same (old) token goes straight to the refreshed one.
    await clientFor(auth, creds).request({ method: 'GET', path: '/services/data/v66.0/limits' });
    expect(sf.restRequests.at(-1)!.authorization).to.equal('Bearer tok-1');
    expect(sf.tokenRequests).to.have.length(1);
  });

  it('expired OAuth token and no refresh token → AuthError → 500 REFRESH_TOKEN, without a token request', async () => {
    const auth = new Authenticator(settings, allow);
    const err = await clientFor(auth, oauthCreds())
      .request({ method: 'GET', path: '/services/data/v66.0/limits' })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AuthError);
    expect(classifyError(err)).to.include({ statusCode: 500, authErrorCategory: 'REFRESH_TOKEN' });
    expect(sf.tokenRequests).to.have.length(0);
  });

  it('a refresh token but no SALESFORCE_CLIENT_ID → AuthError (cannot refresh here)', async () => {
    const auth = new Authenticator({ ...settings, clientId: undefined }, allow);
    const err = await clientFor(auth, oauthCreds({ refreshToken: 'R' }))
      .request({ method: 'GET', path: '/services/data/v66.0/limits' })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AuthError);
    expect((err as Error).message).to.contain('SALESFORCE_CLIENT_ID');
  });

  it('a refused refresh (invalid_grant) → AuthError with the OAuth code', async () => {
    sf.tokenAnswer = {
      status: 400,
      body: JSON.stringify({ error: 'invalid_grant', error_description: 'expired access/refresh token' }),
    };
    const auth = new Authenticator(settings, allow);
    const err = await clientFor(auth, oauthCreds({ refreshToken: 'R' }))
      .request({ method: 'GET', path: '/services/data/v66.0/limits' })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AuthError);
    expect(classifyError(err)).to.include({
      statusCode: 500,
      errorCode: 'invalid_grant',
      authErrorCategory: 'REFRESH_TOKEN',
    });
  });

  it('refreshes only once: a replay that is refused again is returned, classified REFRESH_TOKEN', async () => {
    sf.tokenAnswer = { status: 200, body: JSON.stringify({ access_token: 'also-bad', instance_url: '' }) };
    const auth = new Authenticator(settings, allow);
    // instance_url '' is not a string the allowlist accepts → the refresh itself fails loudly.
    const err = await clientFor(auth, oauthCreds({ refreshToken: 'R' }))
      .request({ method: 'GET', path: '/services/data/v66.0/limits' })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(LoginError);
    sf.tokenAnswer = { status: 200, body: JSON.stringify({ access_token: 'also-bad', instance_url: sf.url }) };
    const res = await clientFor(new Authenticator(settings, allow), oauthCreds({ refreshToken: 'R' })).request({
      method: 'GET',
      path: '/services/data/v66.0/limits',
    });
    expect(res.status).to.equal(401);
    expect(sf.restRequests.filter((r) => r.authorization === 'Bearer also-bad')).to.have.length(1);
    expect(classifyResponse(res)).to.include({ statusCode: 500, authErrorCategory: 'REFRESH_TOKEN' });
  });

  it('a wrong password → LoginError → 400 aborted with invalid_grant', async () => {
    sf.tokenAnswer = {
      status: 400,
      body: JSON.stringify({ error: 'invalid_grant', error_description: 'authentication failure' }),
    };
    const auth = new Authenticator(settings, allow);
    const err = await auth.session(passwordCreds()).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(LoginError);
    expect(classifyError(err)).to.deep.equal({
      statusCode: 400,
      errorCode: 'invalid_grant',
      error: 'Salesforce refused the username-password login (invalid_grant): authentication failure',
    });
  });

  it('the password flow without the connected app settings → 500 naming the settings', async () => {
    const auth = new Authenticator({ ...settings, clientSecret: undefined }, allow);
    const err = await auth.session(passwordCreds()).catch((e: unknown) => e);
    expect(classifyError(err)).to.include({ statusCode: 500 });
    expect((err as Error).message).to.contain('SALESFORCE_CLIENT_SECRET');
    expect(sf.tokenRequests).to.have.length(0);
  });

  it('an instance_url from the token endpoint outside the allowlist is refused', async () => {
    sf.tokenAnswer = { status: 200, body: JSON.stringify({ access_token: 'x', instance_url: 'https://evil.io' }) };
    const err = await new Authenticator(settings, allow).session(passwordCreds()).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(LoginError);
    expect(classifyError(err)).to.include({ statusCode: 400, errorCode: 'HOST_NOT_ALLOWED' });
  });

  it('refuses hosts before any request: instance URL, and the login URL when it would be used', () => {
    const auth = new Authenticator(settings, new HostAllowlist());
    expect(auth.refusal(oauthCreds())).to.match(/instance URL host "127\.0\.0\.1"/);
    expect(
      auth.refusal({
        kind: 'oauth',
        accessToken: 'a',
        instanceUrl: 'https://a.my.salesforce.com',
        loginUrl: 'https://evil.io',
      }),
    ).to.equal(undefined);
    expect(
      auth.refusal({
        kind: 'oauth',
        accessToken: 'a',
        instanceUrl: 'https://a.my.salesforce.com',
        loginUrl: 'https://evil.io',
        refreshToken: 'r',
      }),
    ).to.match(/login URL host "evil\.io"/);
    expect(auth.refusal({ ...passwordCreds(), loginUrl: 'https://login.salesforce.com' })).to.equal(undefined);
  });

  describe('responses and transport failures', () => {
    let auth: Authenticator;
    beforeEach(() => {
      auth = new Authenticator(settings, allow);
    });
    const send = (timeoutMs = 2000) =>
      clientFor(auth, passwordCreds(), timeoutMs).request({
        method: 'PATCH',
        path: '/services/data/v66.0/sobjects/Lead/00Q',
        body: { LastName: 'x' },
      });

    it("non-2xx answers are returned with Salesforce's body, not thrown", async () => {
      sf.answer = {
        status: 400,
        contentType: 'application/json;charset=UTF-8',
        body: '[{"message":"bad","errorCode":"INVALID_FIELD"},{"message":"worse","errorCode":"STRING_TOO_LONG"}]',
      };
      const res = await send();
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal([
        { message: 'bad', errorCode: 'INVALID_FIELD' },
        { message: 'worse', errorCode: 'STRING_TOO_LONG' },
      ]);
      sf.answer = { status: 502, contentType: 'text/html', body: '<html><title>Bad Gateway</title></html>' };
      const html = await send();
      expect(html).to.include({ status: 502, body: '<html><title>Bad Gateway</title></html>' });
      sf.answer = { status: 204, body: '' };
      expect((await send()).status).to.equal(204);
    });

    it('a connection refused → TransportError ECONNREFUSED', async () => {
      await send();
      await sf.close();
      const err = await send().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(TransportError);
      expect((err as TransportError).code).to.equal('ECONNREFUSED');
    });

    it('a reset connection → TransportError (retryable)', async () => {
      sf.answer = 'destroy';
      const err = await send().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(TransportError);
      expect(classifyError(err).statusCode).to.equal(500);
    });

    it('no answer within PROXY_TIMEOUT_MS → TransportError ETIMEDOUT', async () => {
      sf.answer = 'hang';
      const started = Date.now();
      const err = await send(200).catch((e: unknown) => e);
      expect((err as TransportError).code).to.equal('ETIMEDOUT');
      expect(Date.now() - started).to.be.below(1500);
    });

    it('a path that is not under /services/ is refused before anything is sent', async () => {
      const err = await clientFor(auth, passwordCreds())
        .request({ method: 'GET', path: '//evil.io/x' })
        .catch((e: unknown) => e);
      expect((err as Error).message).to.contain('/services/');
      expect(sf.restRequests).to.have.length(0);
    });
  });
});
