import { expect } from 'chai';
import { credentialKey, TokenCache, type Session } from '../../src/deliver/token-cache.js';

const later = <T>(value: T, ms = 10): Promise<T> => new Promise((r) => setTimeout(() => r(value), ms));

describe('token cache', () => {
  it('20 concurrent misses make one token request and all get its session', async () => {
    const cache = new TokenCache();
    let calls = 0;
    const fetch = () => later<Session>({ accessToken: `t${++calls}`, instanceUrl: 'https://a.my.salesforce.com' });
    const sessions = await Promise.all(Array.from({ length: 20 }, () => cache.get('k', fetch)));
    expect(calls).to.equal(1);
    expect(new Set(sessions.map((s) => s.accessToken))).to.deep.equal(new Set(['t1']));
    await cache.get('k', fetch);
    expect(calls).to.equal(1);
  });

  it('20 concurrent refreshes of the same stale token make one request; a caller with the old token later gets the new one at once', async () => {
    const cache = new TokenCache();
    let calls = 0;
    const fetch = () => later<Session>({ accessToken: `t${++calls}`, instanceUrl: 'https://a.my.salesforce.com' });
    await cache.get('k', fetch);
    const renewed = await Promise.all(Array.from({ length: 20 }, () => cache.refresh('k', 't1', fetch)));
    expect(calls).to.equal(2);
    expect(renewed.every((s) => s.accessToken === 't2')).to.equal(true);
    expect((await cache.refresh('k', 't1', fetch)).accessToken).to.equal('t2');
    expect(calls).to.equal(2);
    // Refused again (t2 is now stale): one more request.
    expect((await cache.refresh('k', 't2', fetch)).accessToken).to.equal('t3');
  });

  it('a failed request is shared by its waiters and not remembered', async () => {
    const cache = new TokenCache();
    let calls = 0;
    const failing = async (): Promise<Session> => {
      calls++;
      await later(null);
      throw new Error('invalid_grant');
    };
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => cache.get('k', failing)));
    expect(results.every((r) => r.status === 'rejected')).to.equal(true);
    expect(calls).to.equal(1);
    expect(cache.size).to.equal(0);
    expect((await cache.get('k', () => later({ accessToken: 'ok', instanceUrl: 'x' }))).accessToken).to.equal('ok');
  });

  it('keys never contain the secret, and differ when any credential differs', () => {
    const a = credentialKey({ userName: 'u', password: 'hunter2', token: 'T' });
    expect(a).to.match(/^[0-9a-f]{64}$/);
    expect(a).not.to.contain('hunter2');
    expect(credentialKey({ token: 'T', password: 'hunter2', userName: 'u' })).to.equal(a);
    expect(credentialKey({ userName: 'u', password: 'hunter3', token: 'T' })).not.to.equal(a);
  });

  it('stays bounded', async () => {
    const cache = new TokenCache(3);
    for (const k of ['a', 'b', 'c', 'd']) await cache.get(k, async () => ({ accessToken: k, instanceUrl: 'x' }));
    expect(cache.size).to.equal(3);
  });
});
