import { expect } from 'chai';
import { createLogger } from '../../src/server/logger.js';
import { ApiBudgetCounter, budgetSettingsFromEnv } from '../../src/shared-state/api-budget.js';
import { parseLimitInfo } from '../../src/salesforce/limit-info.js';
import { RedisLink } from '../../src/shared-state/redis-link.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

const logger = createLogger('silent');

describe('API budget', () => {
  it('reads its settings and refuses bad ones with the setting named', () => {
    expect(
      budgetSettingsFromEnv({ SALESFORCE_API_BUDGET_CALLS: '500', SALESFORCE_API_BUDGET_SHARE: '0.5' }),
    ).to.deep.equal({ calls: 500, share: 0.5 });
    expect(budgetSettingsFromEnv({})).to.deep.equal({});
    expect(() => budgetSettingsFromEnv({ SALESFORCE_API_BUDGET_SHARE: '50%' })).to.throw(/SALESFORCE_API_BUDGET_SHARE/);
    expect(() => budgetSettingsFromEnv({ SALESFORCE_API_BUDGET_CALLS: '-1' })).to.throw(/SALESFORCE_API_BUDGET_CALLS/);
    expect(parseLimitInfo('api-usage=25/15000')).to.deep.equal({ used: 25, max: 15000 });
    expect(parseLimitInfo(undefined)).to.equal(undefined);
  });

  it('in one process: a fixed number of calls per rolling 24 h (not per UTC day), refused with the time the oldest calls leave it', async () => {
    const at = (iso: string) => Date.parse(iso);
    let now = at('2026-03-01T23:30:00Z');
    const budget = new ApiBudgetCounter({ calls: 3 }, undefined, () => now);
    const decisions = await Promise.all(Array.from({ length: 5 }, () => budget.take('a.my.salesforce.com')));
    expect(decisions.filter((d) => d.ok)).to.have.length(3);
    // The 23:00 hour's calls leave the window at 23:00 tomorrow.
    expect(decisions.find((d) => !d.ok)).to.deep.include({ ok: false, limit: 3, retryAfterSeconds: 23.5 * 3600 });
    expect(budget.remaining('a.my.salesforce.com')).to.equal(0);
    expect((await budget.take('b.my.salesforce.com')).ok, 'another org has its own budget').to.equal(true);
    now = at('2026-03-02T00:30:00Z');
    // A UTC-day counter would start over here; Salesforce still counts these calls, so does the budget.
    expect(await budget.take('a.my.salesforce.com')).to.deep.include({ ok: false, retryAfterSeconds: 22.5 * 3600 });
    now = at('2026-03-02T22:59:59Z');
    expect((await budget.take('a.my.salesforce.com')).ok).to.equal(false);
    now = at('2026-03-02T23:00:00Z');
    expect((await budget.take('a.my.salesforce.com')).ok, '24 h after their hour').to.equal(true);
  });

  it('the retry hint is the hour boundary at which enough of the oldest calls have left', async () => {
    let now = Date.parse('2026-03-01T10:10:00Z');
    const budget = new ApiBudgetCounter({ calls: 3 }, undefined, () => now);
    expect((await budget.take('org')).ok).to.equal(true);
    now = Date.parse('2026-03-01T11:20:00Z');
    expect((await budget.take('org')).ok && (await budget.take('org')).ok).to.equal(true);
    now = Date.parse('2026-03-01T12:00:00Z');
    // One call must leave: the 10:00 hour's, at 10:00 tomorrow (22 h), not when all of them have.
    expect(await budget.take('org')).to.deep.include({ ok: false, used: 3, retryAfterSeconds: 22 * 3600 });
    now = Date.parse('2026-03-02T10:00:00Z');
    expect(await budget.take('org')).to.deep.include({ ok: true, used: 3 });
    expect(await budget.take('org')).to.deep.include({ ok: false, retryAfterSeconds: 3600 });
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

    it('3 processes × 40 concurrent takes with a budget of 25: exactly 25 allowed over 24 h; Redis gone → each continues from the last count', async () => {
      let now = Date.parse('2026-03-01T23:30:00Z');
      const budgets = await Promise.all(
        [0, 1, 2].map(async () => {
          const link = new RedisLink(redis.url, logger);
          links.push(link);
          expect(await link.ready(5000)).to.equal(true);
          return new ApiBudgetCounter({ calls: 25 }, link, () => now);
        }),
      );
      const decisions = await Promise.all(budgets.flatMap((b) => Array.from({ length: 40 }, () => b.take('org'))));
      expect(decisions.filter((d) => d.ok)).to.have.length(25);
      expect(decisions.find((d) => !d.ok)).to.deep.include({ retryAfterSeconds: 23.5 * 3600 });
      now = Date.parse('2026-03-02T01:00:00Z');
      expect(
        (await Promise.all(budgets.map((b) => b.take('org')))).some((d) => d.ok),
        'the next UTC day is still inside the window',
      ).to.equal(false);
      now = Date.parse('2026-03-02T23:00:00Z');
      const next = await Promise.all(budgets.flatMap((b) => Array.from({ length: 40 }, () => b.take('org'))));
      expect(
        next.filter((d) => d.ok),
        'a window later: the budget again, once across processes',
      ).to.have.length(25);
      await redis.kill();
      // Per process from here: never more than the budget each process last saw spent.
      const after = await Promise.all(budgets.flatMap((b) => Array.from({ length: 5 }, () => b.take('org'))));
      expect(after.filter((d) => d.ok)).to.have.length(0);
      const fresh = await Promise.all(budgets.map((b) => b.take('other-org')));
      expect(
        fresh.every((d) => d.ok),
        'no request fails because Redis is gone',
      ).to.equal(true);
    });
  });
});
