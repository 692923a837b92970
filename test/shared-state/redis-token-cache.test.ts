import { expect } from 'chai';
import { createLogger } from '../../src/server/logger.js';
import { RedisLink } from '../../src/shared-state/redis-link.js';
import { RedisTokenCache } from '../../src/shared-state/redis-token-cache.js';
import type { Session } from '../../src/deliver/token-cache.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

const later = <T>(value: T, ms = 30): Promise<T> => new Promise((r) => setTimeout(() => r(value), ms));
const logger = createLogger('silent');

describe('Redis token cache (shared by processes)', () => {
  let redis: TestRedis;
  const links: RedisLink[] = [];
  // Each cache has its own connection, as each process would.
  const cache = async (
    options: Partial<ConstructorParameters<typeof RedisTokenCache>[1]> = {},
  ): Promise<RedisTokenCache> => {
    const link = new RedisLink(redis.url, logger);
    links.push(link);
    expect(await link.ready(5000)).to.equal(true);
    return new RedisTokenCache(link, { secret: 'test-secret', ...options });
  };

  before(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(links.splice(0).map((l) => l.close()));
    const flush = new RedisLink(redis.url, logger);
    await flush.ready(5000);
    await flush.client.flushall();
    await flush.close();
  });
  after(async () => redis?.stop());

  it('3 caches × 20 concurrent misses make one token request; all get its session', async () => {
    const caches = await Promise.all([cache(), cache(), cache()]);
    let calls = 0;
    const fetch = () => later<Session>({ accessToken: `t${++calls}`, instanceUrl: 'https://a.my.salesforce.com' }, 100);
    const key = caches[0].keyOf({ user: 'u', password: 'p' });
    expect(caches[1].keyOf({ user: 'u', password: 'p' }), 'same key in every process').to.equal(key);
    const sessions = await Promise.all(caches.flatMap((c) => Array.from({ length: 20 }, () => c.get(key, fetch))));
    expect(calls).to.equal(1);
    expect(new Set(sessions.map((s) => s.accessToken))).to.deep.equal(new Set(['t1']));
  });

  it('3 caches refreshing the same refused token make one token request; a late caller with the old token gets the new one', async () => {
    const caches = await Promise.all([cache(), cache(), cache()]);
    let calls = 0;
    const fetch = () => later<Session>({ accessToken: `t${++calls}`, instanceUrl: 'https://a.my.salesforce.com' }, 100);
    const key = caches[0].keyOf({ user: 'u' });
    await Promise.all(caches.map((c) => c.get(key, fetch)));
    expect(calls).to.equal(1);
    const renewed = await Promise.all(
      caches.flatMap((c) => Array.from({ length: 20 }, () => c.refresh(key, 't1', fetch))),
    );
    expect(calls).to.equal(2);
    expect(renewed.every((s) => s.accessToken === 't2')).to.equal(true);
    const late = await cache();
    expect((await late.refresh(key, 't1', fetch)).accessToken).to.equal('t2');
    expect(calls).to.equal(2);
  });

  it('a lock whose holder died expires and the next caller takes over', async () => {
    const c = await cache({ lockTtlMs: 400 });
    const key = c.keyOf({ user: 'dead-holder' });
    // A process took the lock and died before storing a session.
    await links[0].client.set(`sf:session-lock:${key}`, 'someone-else', 'PX', 400);
    let calls = 0;
    const started = Date.now();
    const s = await c.get(key, () =>
      later<Session>({ accessToken: `t${++calls}`, instanceUrl: 'https://a.my.salesforce.com' }),
    );
    expect(s.accessToken).to.equal('t1');
    expect(calls).to.equal(1);
    expect(Date.now() - started).to.be.greaterThan(300);
  });

  it('stores sessions encrypted under an HMAC key: no token and no credential in Redis', async () => {
    const c = await cache();
    const key = c.keyOf({ user: 'alice@example.com', password: 'hunter2' });
    await c.get(key, async () => ({ accessToken: '00Dxx!SECRET-TOKEN', instanceUrl: 'https://a.my.salesforce.com' }));
    const keys = await links[0].client.keys('*');
    const values = await Promise.all(keys.map((k) => links[0].client.get(k)));
    const dump = JSON.stringify([keys, values]);
    for (const secret of ['SECRET-TOKEN', 'alice', 'hunter2', 'my.salesforce.com']) expect(dump).not.to.contain(secret);
    // Another secret cannot read it: it is fetched anew instead.
    const other = new RedisTokenCache(links[0], { secret: 'another-secret' });
    let calls = 0;
    await other.get(key, async () => ({ accessToken: `fresh${++calls}`, instanceUrl: 'https://a.my.salesforce.com' }));
    expect(calls).to.equal(1);
  });

  it('a login failure reaches every waiter and is not remembered', async () => {
    const caches = await Promise.all([cache(), cache()]);
    const key = caches[0].keyOf({ user: 'bad' });
    let calls = 0;
    const failing = async (): Promise<Session> => {
      calls++;
      await later(null, 50);
      throw new Error('invalid_grant');
    };
    const results = await Promise.allSettled(caches.flatMap((c) => [c.get(key, failing), c.get(key, failing)]));
    expect(results.every((r) => r.status === 'rejected')).to.equal(true);
    // One per process at most: the second process tried after the first let go of the lock.
    expect(calls).to.be.within(1, 2);
    const ok = await caches[0].get(key, async () => ({
      accessToken: 'good',
      instanceUrl: 'https://a.my.salesforce.com',
    }));
    expect(ok.accessToken).to.equal('good');
  });

  it('without Redis it falls back to per-process single-flight and says so in its health', async () => {
    const link = new RedisLink('redis://127.0.0.1:1', logger);
    links.push(link);
    expect(await link.ready(300)).to.equal(false);
    const c = new RedisTokenCache(link, { secret: 's' });
    let calls = 0;
    const sessions = await Promise.all(
      Array.from({ length: 10 }, () =>
        c.get('k', () => later<Session>({ accessToken: `t${++calls}`, instanceUrl: 'https://x' })),
      ),
    );
    expect(calls).to.equal(1);
    expect(sessions.every((s) => s.accessToken === 't1')).to.equal(true);
    expect(link.health()).to.include({ mode: 'redis', available: false });
    expect(link.health().fallback).to.be.a('string');
  });
});
