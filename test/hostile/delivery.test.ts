// Delivery hardening (issue 9, item 7): refused logins remembered, logins per host capped,
// instance_url reduced to its origin, host:port in ALLOWED_SALESFORCE_HOSTS.
import { expect } from 'chai';
import { Authenticator, type AuthSettings, type Credentials } from '../../src/deliver/auth.js';
import { classifyError } from '../../src/deliver/classify.js';
import { HostAllowlist } from '../../src/deliver/host-allowlist.js';
import { RestSalesforceClient } from '../../src/deliver/salesforce-client.js';
import { startFakeSalesforce, type FakeSalesforce } from '../deliver/fake-salesforce.js';

describe('hostile delivery: logins and hosts', () => {
  let sf: FakeSalesforce;
  let settings: AuthSettings;
  const allow = new HostAllowlist(['127.0.0.1']);
  beforeEach(async () => {
    sf = await startFakeSalesforce();
    settings = { clientId: 'cid', clientSecret: 'cs', loginUrl: sf.url, timeoutMs: 2000 };
  });
  afterEach(() => sf.close());

  const password = (userName = 'ada@acme.com'): Credentials => ({
    kind: 'password',
    userName,
    password: 'wrong',
    securityToken: '',
    loginUrl: sf.url,
  });
  const call = (auth: Authenticator, creds: Credentials) =>
    new RestSalesforceClient(auth.bind(creds), '66.0', 2000).request({
      method: 'GET',
      path: '/services/data/v66.0/limits',
    });

  it('a refused username/password is not retried against Salesforce by the next 300 events', async () => {
    sf.tokenAnswer = {
      status: 400,
      body: JSON.stringify({ error: 'invalid_grant', error_description: 'authentication failure' }),
    };
    const auth = new Authenticator(settings, allow);
    const outcomes = [];
    for (let i = 0; i < 301; i++)
      outcomes.push(
        classifyError(
          await call(auth, password()).then(
            () => undefined,
            (e: unknown) => e,
          ),
        ),
      );
    expect(sf.tokenRequests).to.have.length(1);
    expect(outcomes.every((o) => o.statusCode === 400 && o.errorCode === 'invalid_grant')).to.equal(true);
    expect(outcomes[300].error).to.match(/authentication failure.*remembered for \d+ s/);
    // Other credentials still get their own try.
    await call(auth, password('grace@acme.com')).catch(() => undefined);
    expect(sf.tokenRequests).to.have.length(2);
  });

  it('at most 4 token requests at once per login host, however many destinations log in', async () => {
    sf.tokenDelayMs = 100;
    let open = 0;
    let most = 0;
    const original = sf.tokenRequests.push.bind(sf.tokenRequests);
    sf.tokenRequests.push = (...items) => {
      open += items.length;
      most = Math.max(most, open);
      setTimeout(() => (open -= items.length), 100);
      return original(...items);
    };
    const auth = new Authenticator(settings, allow);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => call(auth, password(`user${i}@acme.com`))));
    expect(results.every((r) => r.status === 200)).to.equal(true);
    expect(sf.tokenRequests).to.have.length(12);
    expect(most).to.be.at.most(4);
  });

  it('instance_url is reduced to its origin: its path, query and fragment never reach a request line', async () => {
    const auth = new Authenticator(settings, allow);
    sf.validTokens.add('good');
    const creds: Credentials = {
      kind: 'oauth',
      accessToken: 'good',
      instanceUrl: `${sf.url}/evil/path?x=1#frag`,
      loginUrl: sf.url,
    };
    const res = await call(auth, creds);
    expect(res.status).to.equal(200);
    expect(sf.restRequests[0].path).to.equal('/services/data/v66.0/limits');
  });

  it('ALLOWED_SALESFORCE_HOSTS=127.0.0.1:8089 admits that port only', () => {
    const list = HostAllowlist.fromEnv({ ALLOWED_SALESFORCE_HOSTS: '127.0.0.1:8089' });
    expect(list.check('http://127.0.0.1:8089').ok).to.equal(true);
    expect(list.check('http://127.0.0.1:8090').ok).to.equal(false);
    expect(list.check('http://127.0.0.1:6379').ok).to.equal(false);
  });
});
