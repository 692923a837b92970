import { expect } from 'chai';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { Client, passwordLogin, V } from './client.js';

describe('emulator: OAuth token endpoint and sessions', () => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ seed: 7 });
  });
  after(() => emulator.close());
  beforeEach(() => emulator.state.reset({ sessions: true }));

  const form = (fields: Record<string, string>): RequestInit => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  it('password grant (password + security token) returns a Bearer token for this instance, usable at once', async () => {
    const res = await passwordLogin(emulator.url);
    expect(res.status).to.equal(200);
    const body = (await res.json()) as Record<string, string>;
    expect(body).to.include.keys('access_token', 'instance_url', 'id', 'token_type', 'issued_at', 'signature');
    expect(body.token_type).to.equal('Bearer');
    expect(body.instance_url).to.equal(emulator.url);
    expect(body).not.to.have.property('refresh_token');
    const reply = await new Client(emulator.url, body.access_token).call('GET', `${V}/sobjects`);
    expect(reply.status).to.equal(200);
    expect(reply.body.sobjects.map((o: { name: string }) => o.name)).to.include('Lead');
  });

  it('wrong password, missing security token or unknown user → 400 invalid_grant / authentication failure', async () => {
    const overrides: Record<string, string>[] = [
      { password: 'wrongTOKEN' },
      { password: 'pass' },
      { username: 'nobody@example.com' },
    ];
    for (const override of overrides) {
      const res = await passwordLogin(emulator.url, override);
      expect(res.status).to.equal(400);
      expect(await res.json()).to.deep.equal({ error: 'invalid_grant', error_description: 'authentication failure' });
    }
  });

  it('unknown client id → invalid_client_id; wrong secret → invalid_client', async () => {
    let res = await passwordLogin(emulator.url, { client_id: 'other' });
    expect(res.status).to.equal(400);
    expect(((await res.json()) as { error: string }).error).to.equal('invalid_client_id');
    res = await passwordLogin(emulator.url, { client_secret: 'nope' });
    expect(res.status).to.equal(400);
    expect(((await res.json()) as { error: string }).error).to.equal('invalid_client');
  });

  it('refuses a JSON body and credentials in the query string with 400', async () => {
    const json = await fetch(`${emulator.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'password',
        username: 'admin@example.com',
        password: 'passTOKEN',
        client_id: 'emulator-client',
        client_secret: 'emulator-secret',
      }),
    });
    expect(json.status).to.equal(400);
    const inUrl = await fetch(
      `${emulator.url}/services/oauth2/token?grant_type=password&username=admin@example.com&password=passTOKEN`,
      form({ client_id: 'emulator-client' }),
    );
    expect(inUrl.status).to.equal(400);
    expect(((await inUrl.json()) as { error: string }).error).to.equal('invalid_request');
    expect(emulator.state.getStats().tokenRequests).to.equal(2);
    expect(emulator.state.getStats().apiCalls).to.equal(0);
  });

  it('refresh_token grant issues a new working access token; a bad refresh token is invalid_grant', async () => {
    const first = emulator.state.issueToken({ refreshToken: true });
    expect(first.refresh_token).to.be.a('string');
    emulator.state.expireTokens();
    const stale = await new Client(emulator.url, first.access_token).call('GET', `${V}/sobjects`);
    expect(stale.status).to.equal(401);
    expect(stale.body).to.deep.equal([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);

    const res = await fetch(
      `${emulator.url}/services/oauth2/token`,
      form({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token as string,
        client_id: 'emulator-client',
        client_secret: 'emulator-secret',
      }),
    );
    expect(res.status).to.equal(200);
    const fresh = (await res.json()) as { access_token: string };
    expect(fresh.access_token).not.to.equal(first.access_token);
    expect((await new Client(emulator.url, fresh.access_token).call('GET', `${V}/sobjects`)).status).to.equal(200);

    const bad = await fetch(
      `${emulator.url}/services/oauth2/token`,
      form({ grant_type: 'refresh_token', refresh_token: 'nope', client_id: 'emulator-client' }),
    );
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: string }).error).to.equal('invalid_grant');
  });

  it('client_credentials grant runs as the configured user', async () => {
    const res = await fetch(
      `${emulator.url}/services/oauth2/token`,
      form({ grant_type: 'client_credentials', client_id: 'emulator-client', client_secret: 'emulator-secret' }),
    );
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { access_token: string };
    expect((await new Client(emulator.url, body.access_token).call('GET', `${V}/sobjects`)).status).to.equal(200);
  });

  it('no token, a made-up token, or an out-of-range API version are refused', async () => {
    const none = await fetch(`${emulator.url}${V}/sobjects`);
    expect(none.status).to.equal(401);
    expect(await none.json()).to.deep.equal([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
    expect((await new Client(emulator.url, '00Dfake!token').call('GET', `${V}/sobjects`)).status).to.equal(401);
    const token = emulator.state.issueToken().access_token;
    expect((await new Client(emulator.url, token).call('GET', '/services/data/v19.0/sobjects')).status).to.equal(404);
    expect((await new Client(emulator.url, token).call('GET', '/services/data/v20.0/sobjects')).status).to.equal(200);
    expect((await new Client(emulator.url, token).call('GET', '/services/data/v67.0/sobjects')).status).to.equal(404);
  });

  it('the same seed gives the same tokens and record ids; another seed different ones', async () => {
    const run = async (seed: number): Promise<string[]> => {
      const e = await startEmulator({ seed });
      try {
        const token = ((await (await passwordLogin(e.url)).json()) as { access_token: string }).access_token;
        const created = await new Client(e.url, token).call('POST', `${V}/sobjects/Lead`, {
          LastName: 'A',
          Company: 'B',
        });
        return [token, created.body.id];
      } finally {
        await e.close();
      }
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    expect(a).to.deep.equal(b);
    expect(c[0]).not.to.equal(a[0]);
    expect(c[1]).not.to.equal(a[1]);
    expect(a[1]).to.match(/^00Q[A-Za-z0-9]{15}$/);
  });
});
