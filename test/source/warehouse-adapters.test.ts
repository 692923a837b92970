// Both adapters honour the same contract: tables with the sync columns, upserts by id, new columns
// added in place, the state committed with its rows — and nothing at all when a page fails.
import { expect } from 'chai';
import type { Warehouse, WarehouseColumn } from '../../src/source/warehouse.js';
import { duckdbWarehouses, postgresWarehouses, type TestWarehouse } from './warehouses.js';

const COLUMNS: WarehouseColumn[] = [
  { name: 'id', type: 'text' },
  { name: 'first_name', type: 'text' },
  { name: 'annual_revenue', type: 'numeric' },
  { name: 'number_of_employees', type: 'bigint' },
  { name: 'has_opted_out_of_email', type: 'boolean' },
  { name: 'converted_date', type: 'date' },
  { name: 'system_modstamp', type: 'timestamptz' },
];

for (const make of [duckdbWarehouses, postgresWarehouses]) {
  describe(`source warehouse adapter: ${make === duckdbWarehouses ? 'DuckDB' : 'PostgreSQL'}`, function () {
    this.timeout(30_000);
    let factory: TestWarehouse;
    let w: Warehouse & { query(sql: string): Promise<Record<string, unknown>[]> };

    before(async () => {
      factory = await make();
    });
    after(async () => factory.stop());
    beforeEach(async () => {
      w = await (await factory.fresh()).open();
    });
    afterEach(async () => w.close());

    const rows = async () =>
      (
        await w.query(
          'SELECT id, first_name, CAST(annual_revenue AS double precision) AS rev, number_of_employees AS n, has_opted_out_of_email AS opt, CAST(converted_date AS varchar) AS d, is_deleted, received_at IS NOT NULL AS got FROM sfdc.leads ORDER BY id',
        )
      ).map((r) => ({ ...r, n: r.n === null ? null : Number(r.n) }));

    it('creates the table with id, is_deleted and received_at, and upserts typed rows by id', async () => {
      expect(await w.ensureTable({ schema: 'sfdc', table: 'leads', columns: COLUMNS })).to.deep.equal([]);
      await w.commit({
        schema: 'sfdc',
        table: 'leads',
        columns: COLUMNS,
        bulk: true,
        rows: [
          ['00Q1', 'Ada', '1234.5', '42', 'true', '2024-02-29', '2024-03-01T10:00:00.000Z'],
          ['00Q2', 'Bo "quoted", comma', null, null, 'false', null, '2024-03-01T10:00:00.000Z'],
        ],
        state: { collection: 'leads', value: { cursor: '2024-03-01T10:00:00Z', cursorField: 'SystemModstamp' } },
      });
      await w.commit({
        schema: 'sfdc',
        table: 'leads',
        columns: COLUMNS,
        bulk: false,
        rows: [['00Q1', 'Ada L.', '99', '43', 'false', null, '2024-03-02T10:00:00.000Z']],
        state: { collection: 'leads', value: { cursor: '2024-03-02T10:00:00Z', cursorField: 'SystemModstamp' } },
      });
      expect(await rows()).to.deep.equal([
        { id: '00Q1', first_name: 'Ada L.', rev: 99, n: 43, opt: false, d: null, is_deleted: false, got: true },
        {
          id: '00Q2',
          first_name: 'Bo "quoted", comma',
          rev: null,
          n: null,
          opt: false,
          d: null,
          is_deleted: false,
          got: true,
        },
      ]);
      expect((await w.readStates('sfdc')).get('leads')).to.deep.equal({
        cursor: '2024-03-02T10:00:00Z',
        cursorField: 'SystemModstamp',
      });
    });

    it('adds a new column in place and keeps the rows; a partial page updates only its columns', async () => {
      await w.ensureTable({ schema: 'sfdc', table: 'leads', columns: COLUMNS });
      await w.commit({
        schema: 'sfdc',
        table: 'leads',
        columns: COLUMNS,
        bulk: false,
        rows: [['00Q1', 'Ada', '1', '1', 'true', null, null]],
        state: { collection: 'leads', value: {} },
      });
      const more = [...COLUMNS, { name: 'score__c', type: 'numeric' as const }];
      expect(await w.ensureTable({ schema: 'sfdc', table: 'leads', columns: more })).to.deep.equal(['score__c']);
      await w.commit({
        schema: 'sfdc',
        table: 'leads',
        columns: [COLUMNS[0], more[7]],
        bulk: false,
        rows: [['00Q1', '7.25']],
        state: { collection: 'leads', value: {} },
      });
      const [r] = await w.query('SELECT first_name, CAST(score__c AS double precision) AS s FROM sfdc.leads');
      expect(r).to.deep.equal({ first_name: 'Ada', s: 7.25 });
    });

    it('commits nothing, state included, when a page cannot be written', async () => {
      await w.ensureTable({ schema: 'sfdc', table: 'leads', columns: COLUMNS });
      let error: Error | undefined;
      try {
        await w.commit({
          schema: 'sfdc',
          table: 'leads',
          columns: COLUMNS,
          bulk: false,
          rows: [['00Q1', 'Ada', 'not a number', null, null, null, null]],
          state: { collection: 'leads', value: { cursor: 'x' } },
        });
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).to.match(/^writing sfdc\.leads: /);
      expect(await rows()).to.deep.equal([]);
      expect((await w.readStates('sfdc')).has('leads')).to.equal(false);
    });
  });
}
