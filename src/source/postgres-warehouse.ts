// PostgreSQL, the warehouse people run for real. Increments: multi-row INSERT … ON CONFLICT. First
// loads: COPY into a temporary table, then MERGE (PostgreSQL ≥ 15) — several times faster per row.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
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
  type TextValue,
  type Warehouse,
} from './warehouse.js';

const PG_TYPES: Record<ColumnType, string> = {
  text: 'text',
  bigint: 'bigint',
  numeric: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamptz: 'timestamptz',
};

/** PostgreSQL's bind-parameter limit is 65,535 per statement. */
const MAX_PARAMETERS = 65_000;

export class PostgresWarehouse implements Warehouse {
  readonly label: string;

  private constructor(
    private readonly pool: pg.Pool,
    label: string,
  ) {
    this.label = label;
  }

  /** `connectionString`: postgres://user@host:port/db (a password in it never reaches a log: the label drops it). */
  static async open(connectionString: string): Promise<PostgresWarehouse> {
    const pool = new pg.Pool({ connectionString, max: 4 });
    // A warehouse that cannot be reached is a configuration error: say so before any Salesforce call.
    const client = await pool.connect();
    client.release();
    const url = new URL(connectionString);
    return new PostgresWarehouse(pool, `postgresql ${url.pathname.slice(1)}@${url.hostname}:${url.port || 5432}`);
  }

  async ensureTable(spec: TableSpec): Promise<string[]> {
    const schema = quoteIdent(assertWarehouseIdentifier(spec.schema, 'schema'));
    const table = `${schema}.${quoteIdent(assertWarehouseIdentifier(spec.table, 'table'))}`;
    const columns = withSyncColumns(spec.columns);
    await this.ensureSchema(schema);
    const existing = new Set(
      (
        await this.pool.query<{ column_name: string }>(
          'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
          [spec.schema, spec.table],
        )
      ).rows.map((r) => r.column_name),
    );
    const def = (c: { name: string; type: ColumnType }) =>
      `${quoteIdent(assertWarehouseIdentifier(c.name, 'column'))} ${PG_TYPES[c.type]}${columnSuffix(c.name)}`;
    if (existing.size === 0) {
      await this.pool.query(`CREATE TABLE IF NOT EXISTS ${table} (${columns.map(def).join(', ')})`);
      return [];
    }
    const added = columns.filter((c) => !existing.has(c.name));
    for (const c of added) await this.pool.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${def(c)}`);
    return added.map((c) => c.name);
  }

  /** Creates the schema and its state table when missing, then reads every collection's state. */
  async readStates(schema: string): Promise<Map<string, CollectionState>> {
    const q = quoteIdent(assertWarehouseIdentifier(schema, 'schema'));
    await this.ensureSchema(q);
    const out = new Map<string, CollectionState>();
    const res = await this.pool.query<{ collection: string; state: string }>(
      `SELECT collection, state FROM ${q}.${quoteIdent(STATE_TABLE)}`,
    );
    for (const r of res.rows) out.set(r.collection, JSON.parse(r.state) as CollectionState);
    return out;
  }

  private async ensureSchema(schema: string): Promise<void> {
    await this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.${quoteIdent(STATE_TABLE)} (collection text PRIMARY KEY, state text NOT NULL, updated_at timestamptz)`,
    );
  }

  async commit(page: Page): Promise<void> {
    const schema = quoteIdent(assertWarehouseIdentifier(page.schema, 'schema'));
    const table = `${schema}.${quoteIdent(assertWarehouseIdentifier(page.table, 'table'))}`;
    const names = page.columns.map((c) => quoteIdent(assertWarehouseIdentifier(c.name, 'column')));
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (page.rows.length > 0) {
        if (page.bulk) await this.copyAndMerge(client, table, page, names);
        else await this.insertOnConflict(client, table, page, names);
      }
      await client.query(
        `INSERT INTO ${schema}.${quoteIdent(STATE_TABLE)} VALUES ($1, $2, now()) ON CONFLICT (collection) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
        [page.state.collection, JSON.stringify(page.state.value)],
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new Error(`writing ${page.schema}.${page.table}: ${(err as Error).message}`, { cause: err });
    } finally {
      client.release();
    }
  }

  private async insertOnConflict(client: pg.PoolClient, table: string, page: Page, names: string[]): Promise<void> {
    const width = page.columns.length;
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / width));
    const updates = [
      ...names.filter((n) => n !== '"id"').map((n) => `${n} = excluded.${n}`),
      '"received_at" = excluded."received_at"',
    ];
    for (let start = 0; start < page.rows.length; start += perStatement) {
      const rows = page.rows.slice(start, start + perStatement);
      const params: TextValue[] = [];
      const tuples = rows.map((row) => {
        const cells = row.map((v, i) => {
          params.push(v);
          return `$${params.length}::${PG_TYPES[page.columns[i].type]}`;
        });
        return `(${cells.join(', ')}, now())`;
      });
      await client.query(
        `INSERT INTO ${table} (${names.join(', ')}, "received_at") VALUES ${tuples.join(', ')} ON CONFLICT ("id") DO UPDATE SET ${updates.join(', ')}`,
        params,
      );
    }
  }

  private async copyAndMerge(client: pg.PoolClient, table: string, page: Page, names: string[]): Promise<void> {
    await client.query(`CREATE TEMP TABLE IF NOT EXISTS stage_rows (LIKE ${table} INCLUDING DEFAULTS) ON COMMIT DROP`);
    await client.query('TRUNCATE stage_rows');
    const csv = Readable.from(csvLines(page.rows));
    await pipeline(csv, client.query(copyFrom(`COPY stage_rows (${names.join(', ')}) FROM STDIN WITH (FORMAT csv)`)));
    const sets = [...names.filter((n) => n !== '"id"').map((n) => `${n} = s.${n}`), '"received_at" = now()'];
    await client.query(
      `MERGE INTO ${table} t USING stage_rows s ON t."id" = s."id" ` +
        `WHEN MATCHED THEN UPDATE SET ${sets.join(', ')} ` +
        `WHEN NOT MATCHED THEN INSERT (${names.join(', ')}, "received_at") VALUES (${names.map((n) => `s.${n}`).join(', ')}, now())`,
    );
    await client.query('DROP TABLE stage_rows');
  }

  /** For tests: rows of a query. */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.pool.query(sql)).rows as Record<string, unknown>[];
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** CSV for COPY: every value quoted, so an unquoted empty field is NULL and "" an empty string. */
function* csvLines(rows: TextValue[][]): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += `${row.map((v) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`)).join(',')}\n`;
    if (chunk.length > 65536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
