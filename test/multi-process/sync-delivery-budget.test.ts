// Delivery and the source sync draw on one API budget per org: a product process delivering /proxy
// events and a sync in another process, both on the same redis-server with a budget of 30 calls a
// day, together never send more than 30 calls to the org; what is refused is a 429 for delivery and a
// clean stop for the sync.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createLogger } from '../../src/server/logger.js';
import { ApiBudgetCounter } from '../../src/shared-state/api-budget.js';
import { RedisLink } from '../../src/shared-state/redis-link.js';
import { DuckDbWarehouse } from '../../src/source/duckdb-warehouse.js';
import { runSource } from '../../src/source/sync-run.js';
import { startSourceOrg, type SourceOrg } from '../source/source-org.js';
import { postProxy, proxyItems, startProduct, type ProductProcess } from '../support/product-process.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

const BUDGET = 30;

describe('API budget shared by delivery and the source sync (redis-server, emulator, a product process)', function () {
  this.timeout(120_000);
  let redis: TestRedis;
  let org: SourceOrg;
  let product: ProductProcess;
  let dir: string;

  before(async () => {
    [redis, org] = await Promise.all([startRedis(), startSourceOrg({ clock: 'real', leads: 120 })]);
    product = await startProduct(org.emulator.url, {
      REDIS_URL: redis.url,
      SALESFORCE_API_BUDGET_CALLS: String(BUDGET),
    });
    dir = mkdtempSync(join(tmpdir(), 'sfmap-budget-'));
  });
  after(async () => {
    await product?.stop();
    await Promise.all([redis?.stop(), org?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${BUDGET} calls in 24 h between them: never more reach the org, and each side is refused cleanly past it`, async () => {
    const items = await proxyItems(
      product.url,
      Array.from({ length: 40 }, (_, i) => `budget${i}@example.com`),
    );
    const leadsBefore = org.emulator.state.list('Lead').length;
    const link = new RedisLink(redis.url, createLogger('silent'));
    const budget = new ApiBudgetCounter({ calls: BUDGET }, link);
    const warehouse = await DuckDbWarehouse.open(join(dir, 'w.duckdb'));
    org.emulator.state.stats.reset();
    try {
      // The sync wants ~50 calls alone, delivery ~20: together well past the budget.
      const [sync, answers] = await Promise.all([
        runSource(org.source(), warehouse, {}, {}, { budget }),
        Promise.all(Array.from({ length: 10 }, (_, i) => postProxy(product.url, items.slice(i * 4, i * 4 + 4)))),
      ]);
      const calls = org.emulator.state.getStats().apiCalls;
      expect(calls, 'API calls that reached the org').to.be.at.most(BUDGET);

      expect(sync.calls, 'the sync made some of them').to.be.greaterThan(0);
      expect(sync.stopped).to.match(/stopped at the API budget of 127\.0\.0\.1:\d+: 30 calls/);
      expect(sync.collections.some((c) => c.status === 'not run')).to.equal(true);
      expect(
        sync.collections.some((c) => c.status === 'failed'),
        JSON.stringify(sync.collections.filter((c) => c.status === 'failed')),
      ).to.equal(false);

      const statuses = answers.flatMap((a) => a.items.map((x) => x.statusCode));
      expect(
        statuses.filter((s) => s !== 200 && s !== 429),
        JSON.stringify(answers),
      ).to.deep.equal([]);
      const delivered = statuses.filter((s) => s === 200).length;
      expect(calls - sync.calls, 'delivery made the rest').to.be.greaterThan(0);
      expect(org.emulator.state.list('Lead').length - leadsBefore, 'delivered events are in the org, once').to.equal(
        delivered,
      );
      for (const a of answers.filter((x) => x.items.some((i) => i.statusCode === 429))) {
        expect(a.items.find((i) => i.statusCode === 429)?.errorCode).to.equal('API_BUDGET_EXCEEDED');
      }
    } finally {
      await warehouse.close();
      await link.close();
    }
  });
});
