// A large answer goes through a Bulk API 2.0 queryAll job, paged by Sforce-Locator, and lands the same
// rows as REST pages would; a crash between pages resumes the same job at its committed locator.
import { expect } from 'chai';
import { runSource } from '../../src/source/sync-run.js';
import type { Warehouse } from '../../src/source/warehouse.js';
import { startSourceOrg, type SourceOrg } from './source-org.js';
import { duckdbWarehouses, postgresWarehouses, type TestWarehouse } from './warehouses.js';

type Queryable = Warehouse & { query(sql: string): Promise<Record<string, unknown>[]> };
const table = async (w: Queryable, name: string) =>
  JSON.stringify((await w.query(`SELECT * FROM sfdc.${name} ORDER BY id`)).map(({ received_at: _r, ...rest }) => rest));

for (const make of [duckdbWarehouses, postgresWarehouses]) {
  describe(`source sync through Bulk 2.0, into ${make === duckdbWarehouses ? 'DuckDB' : 'PostgreSQL'}`, function () {
    this.timeout(60_000);
    let org: SourceOrg;
    let factory: TestWarehouse;
    before(async () => {
      org = await startSourceOrg();
      org.clock.advance(3600);
      factory = await make();
    });
    after(async () => {
      await factory?.stop();
      await org?.close();
    });

    it('reads a large first load as a Bulk job in locator pages, the same rows as REST; resumes a job after a crash', async () => {
      const only = { collections: ['leads'], customObjects: [] };
      const rest = (await (await factory.fresh()).open()) as Queryable;
      const bulk = (await (await factory.fresh()).open()) as Queryable;
      try {
        await runSource(org.source(only), rest, {}, {}, undefined, () => org.clock.now);
        // A crash once the job exists: its results cannot be read this run.
        org.emulator.state.addFault({
          pathRegex: 'jobs/query/[^/]+/results',
          kind: 'error',
          status: 503,
          errorCode: 'SERVER_UNAVAILABLE',
          message: 'down',
          times: 1,
        });
        const big = org.source({ ...only, bulkThreshold: 50, bulkPageRows: 40 });
        const crashed = await runSource(big, bulk, {}, {}, undefined, () => org.clock.now);
        expect(crashed.collections[0].status).to.equal('failed');
        const job = (await bulk.readStates('sfdc')).get('leads')?.bulk;
        expect(job?.jobId, 'the job is remembered before its results are read').to.be.a('string');

        const resumed = await runSource(big, bulk, {}, {}, undefined, () => org.clock.now);
        const leads = resumed.collections[0];
        expect(leads.status, leads.message).to.equal('synced');
        expect(leads.via?.[0]).to.equal('bulk (resumed)');
        expect(org.emulator.state.getStats().byPath['POST jobs/query']).to.equal(1);
        expect(await table(bulk, 'leads')).to.equal(await table(rest, 'leads'));
        expect((await bulk.readStates('sfdc')).get('leads')?.bulk).to.equal(undefined);
      } finally {
        await rest.close();
        await bulk.close();
      }
    });
  });
}
