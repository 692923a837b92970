import { expect } from 'chai';
import { createLogger } from '../../src/server/logger.js';
import { ApiBudgetCounter, budgetSettingsFromEnv } from '../../src/shared-state/api-budget.js';
import { parseLimitInfo } from '../../src/salesforce/limit-info.js';
import { RedisLink } from '../../src/shared-state/redis-link.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

const logger = createLogger('silent');

describe('API budget', () => {
  it('reads its settings and refuses bad ones with the setting named', () => {
    expect(budgetSettingsFromEnv({ SALESFORCE_API_BUDGET_CALLS: '500', SALESFORCE_API_BUDGET_SHARE: '0.5' })).to.deep.equal({ calls: 500, share: 0.5 });
    expect(budgetSettingsFromEnv({})).to.deep.equal({});
    expect(() => budgetSettingsFromEnv({ SALESFORCE_API_BUDGET_SHARE: '50%' })).to.throw(/SALESFORCE_API_BUDGET_SHARE/);
    expect(() => budgetSettingsFromEnv({ SALESFORCE_API_BUDGET_CALLS: '-1' })).to.throw(/SALESFORCE_API_BUDGET_CALLS/);
    expect(parseLimitInfo('api-usage=25/15000')).to.deep.equal({ used: 25, max: 15000 });
    expect(parseLimitInfo(undefined)).to.equal(undefined);
  });

  it('in one process: a fixed number of calls a day, then refusals that say when the day ends', async () => {
    const noon = Date.parse('2026-03-01T12:00:00Z');
    let now = noon;
    const budget = new ApiBudgetCounter({ calls: 3 }, undefined, () => now);
    const decisions = await Promise.all(Array.from({ length: 5 }, () => budget.take('a.my.salesforce.com')));
    expect(decisions.filter((d) => d.ok)).to.have.length(3);
    const refused = decisions.find((d) => !d.ok);
    expect(refused).to.deep.include({ ok: false, limit: 3, retryAfterSeconds: 12 * 3600 });
    expect(budget.remaining('a.my.salesforce.com')).to.equal(0);
    expect((await budget.take('b.my.salesforce.com')).ok, 'another org has its own budget').to.equal(true);
    now = noon + 12 * 3600_000;
    expect((await budget.take('a.my.salesforce.com')).ok, 'a new day').to.equal(true);
  });

  it("a share of the org's allowance as Salesforce reports it, counting other clients' usage", async () => {
    const budget = new ApiBudgetCounter({ share: 0.1 });
    expect((await budget.take('org')).ok, 'the allowance is not known before the first answer').to.equal(true);
    budget.observe('org', 95, 1000); // the org used 95 of 1000 today (our 1 included); our share is 100
    const decisions = await Promise.all(Array.from({ length: 10 }, () => budget.take('org')));
    expect(decisions.filter((d) => d.ok)).to.have.length(5);
    expect(budget.remaining('org')).to.equal(0);
  });

  describe('shared in Redis', () => {
    let redis: TestRedis;
    const links: RedisLink[] = [];
    before(async () => {
      redis = await startRedis();
    });
    after(async () => {
      await Promise.all(links.map((l) => l.close()));
      await redis?.stop();
    });

    it('3 processes × 40 concurrent takes with a budget of 25: exactly 25 allowed; Redis gone → each continues from the last count', async () => {
      const budgets = await Promise.all([0, 1, 2].map(async () => {
        const link = new RedisLink(redis.url, logger);
        links.push(link);
        expect(await link.ready(5000)).to.equal(true);
        return new ApiBudgetCounter({ calls: 25 }, link);
      }));
      const decisions = await Promise.all(budgets.flatMap((b) => Array.from({ length: 40 }, () => b.take('org'))));
      expect(decisions.filter((d) => d.ok)).to.have.length(25);
      await redis.kill();
      // Per process from here: never more than the budget each process last saw spent.
      const after = await Promise.all(budgets.flatMap((b) => Array.from({ length: 5 }, () => b.take('org'))));
      expect(after.filter((d) => d.ok)).to.have.length(0);
      const fresh = await Promise.all(budgets.map((b) => b.take('other-org')));
      expect(fresh.every((d) => d.ok), 'no request fails because Redis is gone').to.equal(true);
    });
  });
});
