// Several product processes against one emulated org and one Redis, as pods of one deployment.
import { expect } from 'chai';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { postProxy, proxyItems, startProduct, type ProductProcess } from '../support/product-process.js';

const emails = (prefix: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com`);

describe('several processes sharing Redis', function () {
  this.timeout(90_000);
  let emulator: RunningEmulator;
  let redis: TestRedis;
  const started: ProductProcess[] = [];

  // Process start-up dominates on a loaded machine: one emulator, one Redis, and one set of 3
  // processes serve the token and outage tests; the budget test starts its own set.
  before(async () => {
    [emulator, redis] = await Promise.all([startEmulator(), startRedis()]);
  });
  after(async () => {
    await Promise.all(started.map((p) => p.stop()));
    await Promise.all([emulator?.close(), redis?.stop()]);
  });

  const start = async (
    n: number,
    org: RunningEmulator,
    env: Record<string, string> = {},
  ): Promise<ProductProcess[]> => {
    const ps = await Promise.all(
      Array.from({ length: n }, () => startProduct(org.url, { REDIS_URL: redis.url, ...env })),
    );
    started.push(...ps);
    return ps;
  };
  let shared: ProductProcess[] | undefined;
  const sharedSet = async (): Promise<ProductProcess[]> => (shared ??= await start(3, emulator));

  it('3 processes × 20 concurrent /proxy: one token request cold, and one again after the token expires', async () => {
    const ps = await sharedSet();
    const cold = await proxyItems(ps[0].url, emails('cold', 60));
    const answers = await Promise.all(cold.map((item, i) => postProxy(ps[i % 3].url, [item])));
    expect(answers.flatMap((a) => a.items.map((x) => x.statusCode))).to.deep.equal(Array(60).fill(200));
    expect(emulator.state.getStats().tokenRequests, 'token requests, cold').to.equal(1);

    emulator.state.expireTokens();
    emulator.state.stats.reset();
    const expired = await proxyItems(ps[0].url, emails('expired', 60));
    const again = await Promise.all(expired.map((item, i) => postProxy(ps[i % 3].url, [item])));
    expect(again.flatMap((a) => a.items.map((x) => x.statusCode))).to.deep.equal(Array(60).fill(200));
    expect(emulator.state.getStats().tokenRequests, 'token requests after expiry').to.equal(1);
    expect(emulator.state.list('Lead').filter((l) => /^(cold|expired)/.test(String(l.Email)))).to.have.length(120);
  });

  it('3 processes sharing a budget of 12 calls: at most 12 reach the emulator, the rest answer 429 with a retry hint', async () => {
    // Its own org, so the other tests' calls do not count against this budget.
    const org = await startEmulator();
    try {
      await budgetTest(await start(3, org, { SALESFORCE_API_BUDGET_CALLS: '12' }), org);
    } finally {
      await org.close();
    }
  });

  const budgetTest = async (ps: ProductProcess[], emulator: RunningEmulator): Promise<void> => {
    const items = await proxyItems(ps[0].url, emails('budget', 30));
    emulator.state.stats.reset();
    const answers = await Promise.all(items.map((item, i) => postProxy(ps[i % 3].url, [item])));
    const statuses = answers.map((a) => a.items[0].statusCode);
    expect(emulator.state.getStats().apiCalls).to.be.at.most(12);
    expect(
      statuses.filter((s) => s !== 200 && s !== 429),
      JSON.stringify(answers),
    ).to.deep.equal([]);
    const throttled = answers.filter((a) => a.items[0].statusCode === 429);
    expect(throttled.length).to.be.greaterThan(0);
    for (const t of throttled) {
      expect(t.items[0].errorCode).to.equal('API_BUDGET_EXCEEDED');
      expect(t.items[0].retryAfterSeconds).to.be.within(1, 86_400);
      expect(t.retryAfter).to.equal(String(t.items[0].retryAfterSeconds));
    }
    // Every event that was delivered is in the org, once; none that was throttled is.
    const delivered = statuses.filter((s) => s === 200).length;
    expect(emulator.state.list('Lead')).to.have.length(delivered);
    const metrics = (await Promise.all(ps.map(async (p) => (await fetch(`${p.url}/metrics`)).text()))).join('\n');
    expect(metrics).to.match(
      /sfbridge_salesforce_api_calls_total\{org="127\.0\.0\.1:\d+",kind="\w+",status="2xx"\} \d+/,
    );
  };

  it('Redis killed mid-run: no request fails, each process falls back and says so in its log and /health, then recovers', async () => {
    const ps = await sharedSet();
    const items = await proxyItems(ps[0].url, emails('outage', 90));
    const answers: Array<Promise<Awaited<ReturnType<typeof postProxy>>>> = [];
    // Three waves of 30: before, during and after the outage; each process also sees an expired token after the kill.
    const wave = (from: number): void => {
      for (let i = from; i < from + 30; i++) answers.push(postProxy(ps[i % 3].url, [items[i]]));
    };
    wave(0);
    await Promise.all(answers);
    await redis.kill();
    emulator.state.expireTokens();
    wave(30);
    await Promise.all(answers);
    for (const p of ps) {
      const health = (await (await fetch(`${p.url}/health`)).json()) as {
        status: string;
        sharedState: { available: boolean; fallback?: string };
      };
      expect(health.status).to.equal('ok');
      expect(health.sharedState.available).to.equal(false);
      expect(health.sharedState.fallback).to.be.a('string');
      expect(p.logs.some((l) => l.level === 'warn' && String(l.message).startsWith('redis unavailable'))).to.equal(
        true,
      );
    }
    await redis.restart();
    wave(60);
    const all = await Promise.all(answers);
    expect(all.flatMap((a) => a.items.map((x) => x.statusCode))).to.deep.equal(Array(90).fill(200));
    expect(emulator.state.list('Lead').filter((l) => String(l.Email).startsWith('outage'))).to.have.length(90);
    // ioredis reconnects by itself.
    const deadline = Date.now() + 10_000;
    for (const p of ps) {
      for (;;) {
        const health = (await (await fetch(`${p.url}/health`)).json()) as { sharedState: { available: boolean } };
        if (health.sharedState.available) break;
        expect(Date.now(), 'reconnected to redis').to.be.below(deadline);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
});
