// The embedded default warehouse: one DuckDB file. Rows go in through the Appender into a staging
// table and then one INSERT … ON CONFLICT per page (a prepared statement per row runs at ~50 rows/s).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ColumnType } from './column-types.js';
import { assertWarehouseIdentifier } from './naming.js';
import type { CollectionState } from './sync-state.js';
import {
  columnSuffix,
  quoteIdent,
  STATE_TABLE,
  withSyncColumns,
  type Page,
  type TableSpec,
  type Warehouse,
} from './warehouse.js';

export const DEFAULT_DUCKDB_PATH = './data/warehouse.duckdb';

const DUCKDB_TYPES: Record<ColumnType, string> = {
  text: 'VARCHAR',
  bigint: 'BIGINT',
  numeric: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamptz: 'TIMESTAMPTZ',
};

export class DuckDbWarehouse implements Warehouse {
  readonly label: string;
  /** DuckDB runs one transaction per connection: pages from concurrent syncs take turns. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly db: DuckDBConnection,
    path: string,
  ) {
    this.label = `duckdb ${path}`;
  }

  static async open(path: string = DEFAULT_DUCKDB_PATH): Promise<DuckDbWarehouse> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path);
    return new DuckDbWarehouse(instance, await instance.connect(), path);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  ensureTable(spec: TableSpec): Promise<string[]> {
    return this.serial(async () => {
      const schema = quoteIdent(assertWarehouseIdentifier(spec.schema, 'schema'));
      const table = `${schema}.${quoteIdent(assertWarehouseIdentifier(spec.table, 'table'))}`;
      const columns = withSyncColumns(spec.columns);
      await this.db.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await this.ensureStateTable(schema);
      const existing = await this.columnsOf(spec.schema, spec.table);
      if (existing.size === 0) {
        const defs = columns.map(
          (c) =>
            `${quoteIdent(assertWarehouseIdentifier(c.name, 'column'))} ${DUCKDB_TYPES[c.type]}${columnSuffix(c.name)}`,
        );
        await this.db.run(`CREATE TABLE IF NOT EXISTS ${table} (${defs.join(', ')})`);
        return [];
      }
      const added: string[] = [];
      for (const c of columns) {
        if (existing.has(c.name)) continue;
        await this.db.run(
          `ALTER TABLE ${table} ADD COLUMN ${quoteIdent(assertWarehouseIdentifier(c.name, 'column'))} ${DUCKDB_TYPES[c.type]}${columnSuffix(c.name)}`,
        );
        added.push(c.name);
      }
      return added;
    });
  }

  private async ensureStateTable(schema: string): Promise<void> {
    await this.db.run(
      `CREATE TABLE IF NOT EXISTS ${schema}.${quoteIdent(STATE_TABLE)} (collection VARCHAR PRIMARY KEY, state VARCHAR NOT NULL, updated_at TIMESTAMPTZ)`,
    );
  }

  private async columnsOf(schema: string, table: string): Promise<Set<string>> {
    const reader = await this.db.runAndReadAll(
      'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
      [schema, table],
    );
    return new Set(reader.getRows().map((r) => String(r[0])));
  }

  /** Creates the schema and its state table when missing, then reads every collection's state. */
  readStates(schema: string): Promise<Map<string, CollectionState>> {
    return this.serial(async () => {
      const q = quoteIdent(assertWarehouseIdentifier(schema, 'schema'));
      await this.db.run(`CREATE SCHEMA IF NOT EXISTS ${q}`);
      await this.ensureStateTable(q);
      const out = new Map<string, CollectionState>();
      const reader = await this.db.runAndReadAll(`SELECT collection, state FROM ${q}.${quoteIdent(STATE_TABLE)}`);
      for (const [collection, state] of reader.getRows())
        out.set(String(collection), JSON.parse(String(state)) as CollectionState);
      return out;
    });
  }

  commit(page: Page): Promise<void> {
    return this.serial(async () => {
      const schema = quoteIdent(assertWarehouseIdentifier(page.schema, 'schema'));
      const table = `${schema}.${quoteIdent(assertWarehouseIdentifier(page.table, 'table'))}`;
      const names = page.columns.map((c) => quoteIdent(assertWarehouseIdentifier(c.name, 'column')));
      const stage = quoteIdent(`stage_${page.table}`);
      await this.db.run('BEGIN TRANSACTION');
      try {
        if (page.rows.length > 0) {
          await this.db.run(`CREATE OR REPLACE TEMP TABLE ${stage} (${names.map((n) => `${n} VARCHAR`).join(', ')})`);
          const appender = await this.db.createAppender(`stage_${page.table}`, 'main', 'temp');
          for (const row of page.rows) {
            for (const v of row) {
              if (v === null) appender.appendNull();
              else appender.appendVarchar(v);
            }
            appender.endRow();
          }
          appender.closeSync();
          const casts = page.columns.map((c, i) => `CAST(${names[i]} AS ${DUCKDB_TYPES[c.type]})`);
          const updates = names.filter((n) => n !== '"id"').map((n) => `${n} = excluded.${n}`);
          await this.db.run(
            `INSERT INTO ${table} (${names.join(', ')}, "received_at") SELECT ${casts.join(', ')}, now() FROM temp.main.${stage} ` +
              `ON CONFLICT ("id") DO UPDATE SET ${[...updates, '"received_at" = excluded."received_at"'].join(', ')}`,
          );
          await this.db.run(`DROP TABLE temp.main.${stage}`);
        }
        await this.db.run(
          `INSERT INTO ${schema}.${quoteIdent(STATE_TABLE)} VALUES ($1, $2, now()) ON CONFLICT (collection) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
          [page.state.collection, JSON.stringify(page.state.value)],
        );
        await this.db.run('COMMIT');
      } catch (err) {
        await this.db.run('ROLLBACK').catch(() => undefined);
        throw new Error(`writing ${page.schema}.${page.table}: ${(err as Error).message}`, { cause: err });
      }
    });
  }

  /** For tests and the README's one-liner: rows of a query as objects. */
  query(sql: string): Promise<Record<string, unknown>[]> {
    return this.serial(async () => (await this.db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[]);
  }

  async close(): Promise<void> {
    await this.queue;
    this.db.closeSync();
    this.instance.closeSync();
  }
}
