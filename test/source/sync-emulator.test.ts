// The sync against the emulated org, into DuckDB and into a real PostgreSQL: a first sync of every
// collection, then the changes a seed-000 user cares about between runs (update, soft delete, hard
// delete, new custom field, a row committed late behind the cursor), and the API budget stop.
// The steps of each suite build on each other, in order, like the runs of a real schedule.
import { expect } from 'chai';
import type { SyncClient } from '../../src/source/sync-client.js';
import { STANDARD_COLLECTIONS } from '../../src/source/collections.js';
import type { SourceConfig } from '../../src/source/source-config.js';
import { runSource, type RunSummary } from '../../src/source/sync-run.js';
import type { Warehouse } from '../../src/source/warehouse.js';
import { LEADS, startSourceOrg, V, type SourceOrg } from './source-org.js';
import { duckdbWarehouses, postgresWarehouses, type TestWarehouse } from './warehouses.js';

type Queryable = Warehouse & { query(sql: string): Promise<Record<string, unknown>[]> };

for (const make of [duckdbWarehouses, postgresWarehouses]) {
  describe(`source sync against the emulator, into ${make === duckdbWarehouses ? 'DuckDB' : 'PostgreSQL'}`, function () {
    this.timeout(60_000);
    let org: SourceOrg;
    let factory: TestWarehouse;
    let w: Queryable;
    let source: SourceConfig;

    const run = async (src: SourceConfig = source, client?: SyncClient): Promise<RunSummary> =>
      runSource(src, w, {}, {}, client ?? {}, () => org.clock.now);
    const leads = async (where = 'true') =>
      await w.query(
        `SELECT id, last_name, company, CAST(annual_revenue AS double precision) AS annual_revenue, is_deleted FROM sfdc.leads WHERE ${where} ORDER BY last_name`,
      );
    const count = async (table: string) => Number((await w.query(`SELECT count(*) AS n FROM sfdc.${table}`))[0].n);
    const statusOf = (s: RunSummary, c: string) => s.collections.find((x) => x.collection === c);

    before(async () => {
      org = await startSourceOrg();
      factory = await make();
      w = await (await factory.fresh()).open();
      source = org.source();
      org.clock.advance(3600);
    });
    after(async () => {
      await w?.close();
      await factory?.stop();
      await org?.close();
    });

    it('first sync: a table for every queryable collection, names reported as not queryable, rows typed', async () => {
      const s = await run();
      expect(s.error).to.equal(undefined);
      const synced = s.collections.filter((c) => c.status === 'synced').map((c) => c.collection);
      expect(synced).to.have.length(STANDARD_COLLECTIONS.length - 1 + 1); // every standard one but names, plus invoice__c
      expect(statusOf(s, 'names')).to.include({ status: 'skipped' });
      expect(statusOf(s, 'names')?.message).to.match(/Name is not queryable/);
      expect(statusOf(s, 'leads')).to.include({ upserted: LEADS, deleted: 0 });
      expect(await count('leads')).to.equal(LEADS);
      expect(await count('accounts')).to.equal(3);
      expect(await count('_group')).to.be.a('number');
      const [first] = await leads(`last_name = 'Lead 3'`);
      expect(first).to.include({ last_name: 'Lead 3', company: 'Co 3', annual_revenue: 3001.5, is_deleted: false });
      const invoices = await w.query(
        'SELECT name, CAST(amount__c AS double precision) AS amount, paid__c FROM sfdc.invoice__c ORDER BY name',
      );
      expect(invoices).to.deep.equal([
        { name: 'INV-1', amount: 12.5, paid__c: true },
        { name: 'INV-2', amount: 99, paid__c: false },
      ]);
      // Describes batched 25 per call: 1 listing + 2 describe calls, then one query per collection (leads: 3 pages of 50).
      expect(s.calls).to.equal(1 + 2 + (synced.length - 1) + 3);
    });

    it('an update, a soft delete, a hard delete and a new custom field between runs are each seen as the seed says', async () => {
      const [l1, l2, l3, l4] = (await leads(`last_name IN ('Lead 1', 'Lead 2', 'Lead 3', 'Lead 4')`)) as {
        id: string;
      }[];
      org.clock.advance(600);
      expect((await org.api.call('PATCH', `${V}/sobjects/Lead/${l1.id}`, { Company: 'Renamed Inc' })).status).to.equal(
        204,
      );
      expect((await org.api.call('DELETE', `${V}/sobjects/Lead/${l2.id}`)).status).to.equal(204);
      org.emulator.state.mutations.hardDelete('Lead', { ids: [l3.id] });
      org.emulator.state.defineObject({ name: 'Lead', fields: { Tier__c: { type: 'picklist' } } });
      expect((await org.api.call('PATCH', `${V}/sobjects/Lead/${l4.id}`, { Tier__c: 'Gold' })).status).to.equal(204);
      org.clock.advance(600);

      const s = await run();
      expect(statusOf(s, 'leads')).to.include({ status: 'synced', kind: 'incremental', upserted: 3, deleted: 1 });
      expect(statusOf(s, 'leads')?.addedColumns).to.deep.equal(['tier__c']);
      expect(await count('leads')).to.equal(LEADS);
      const rows = await w.query(
        `SELECT last_name, company, is_deleted, tier__c FROM sfdc.leads WHERE id IN ('${l1.id}', '${l2.id}', '${l3.id}', '${l4.id}') ORDER BY last_name`,
      );
      expect(rows).to.deep.equal([
        { last_name: 'Lead 1', company: 'Renamed Inc', is_deleted: false, tier__c: null },
        { last_name: 'Lead 2', company: 'Co 2', is_deleted: true, tier__c: null },
        // Hard-deleted in Salesforce: invisible to the API, so it stays with is_deleted = false (seed 000).
        { last_name: 'Lead 3', company: 'Co 3', is_deleted: false, tier__c: null },
        { last_name: 'Lead 4', company: 'Co 4', is_deleted: false, tier__c: 'Gold' },
      ]);
    });

    it('a row committed late, with a SystemModstamp behind the cursor, is still picked up (lookback, >=, deduped)', async () => {
      const states = await w.readStates('sfdc');
      const cursor = Date.parse(states.get('leads')?.cursor as string);
      org.emulator.state.seed('Lead', [
        {
          LastName: 'Late Lead',
          Company: 'Slow Trigger Co',
          SystemModstamp: new Date(cursor - 120_000).toISOString().replace('Z', '+0000'),
        },
      ]);
      org.clock.advance(600);
      const s = await run();
      expect(await leads(`last_name = 'Late Lead'`)).to.have.length(1);
      expect(await count('leads')).to.equal(LEADS + 1);
      expect(statusOf(s, 'leads')?.upserted).to.be.at.least(1);
    });

    it('stops cleanly at the configured share of the daily quota, keeps its state, and the next run completes', async () => {
      org.emulator.state.seed('Lead', [{ LastName: 'After Budget', Company: 'X' }]);
      org.clock.advance(600);
      org.emulator.state.limits.set({ apiMax: 1000, apiUsed: 795 });
      const stopped = await run(org.source({ budgetShare: 0.8 }));
      expect(stopped.stopped).to.match(
        /stopped at the API budget of 127\.0\.0\.1:\d+: 800 calls \(this source may use 80 % of the org's daily quota.*the org has used 800\/1000 API calls\)/,
      );
      expect(stopped.calls).to.equal(5);
      expect(stopped.collections.filter((c) => c.status === 'not run').length).to.be.greaterThan(40);
      expect(stopped.collections.some((c) => c.status === 'failed')).to.equal(false);

      org.emulator.state.limits.set({ apiMax: 1000, apiUsed: 1000 });
      const refused = await run(org.source({ budgetShare: 1 }));
      expect(refused.stopped).to.match(/REQUEST_LIMIT_EXCEEDED/);
      expect(refused.calls).to.equal(1);

      org.emulator.state.limits.set({ apiMax: 15000, apiUsed: 0 });
      const next = await run();
      expect(next.stopped).to.equal(undefined);
      expect(next.collections.filter((c) => c.status === 'synced')).to.have.length(STANDARD_COLLECTIONS.length);
      expect(await leads(`last_name = 'After Budget'`)).to.have.length(1);
    });

    it('bad answers stay with their collection: an object the org lacks, a value that is not its type; the others sync', async () => {
      const src = org.source({ customObjects: ['Invoice__c', 'Missing__c'] });
      const [bad] = org.emulator.state.seed('Account', [{ Name: 'Broken Co', AnnualRevenue: 'lots' }]);
      org.emulator.state.seed('Contact', [{ LastName: 'Still Synced' }]);
      org.clock.advance(600);
      const s = await run(src);
      expect(statusOf(s, 'missing__c')).to.include({ status: 'failed' });
      expect(statusOf(s, 'missing__c')?.message).to.match(/the org has no object Missing__c \(not in GET \/sobjects\)/);
      expect(statusOf(s, 'accounts')).to.include({ status: 'failed' });
      expect(statusOf(s, 'accounts')?.message).to.equal(
        `accounts: Account ${bad.Id}, field AnnualRevenue: "lots" is not a number`,
      );
      expect(s.collections.filter((c) => c.status === 'synced')).to.have.length(STANDARD_COLLECTIONS.length - 1);
      expect(await w.query(`SELECT last_name FROM sfdc.contacts WHERE last_name = 'Still Synced'`)).to.have.length(1);
    });

    it('wrong credentials: a clear error naming the source, nothing written', async () => {
      const src = org.source({
        credentials: {
          loginUrl: org.emulator.url,
          username: 'admin@example.com',
          password: 'wrong',
          clientId: 'emulator-client',
          clientSecret: 'emulator-secret',
        },
      });
      const s = await run(src);
      expect(s.error).to.match(
        /^source "Emulated org": Salesforce refused the username-password login \(invalid_grant\)/,
      );
      expect(s.collections.every((c) => c.status === 'not run')).to.equal(true);
    });
  });
}
