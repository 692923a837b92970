// Both warehouse adapters, opened the same way for tests: a DuckDB file in a temp dir and a database
// on a PostgreSQL server the suite starts itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DuckDbWarehouse } from '../../src/source/duckdb-warehouse.js';
import { PostgresWarehouse } from '../../src/source/postgres-warehouse.js';
import type { Warehouse } from '../../src/source/warehouse.js';
import { startPostgres, type PostgresServer } from './postgres-server.js';

export interface TestWarehouse {
  kind: 'duckdb' | 'postgres';
  /** The config's warehouse entry pointing at a fresh, empty database. */
  fresh(): Promise<{
    config: { type: 'duckdb'; path: string } | { type: 'postgres'; url: string };
    open(): Promise<DuckDbWarehouse | PostgresWarehouse>;
  }>;
  stop(): Promise<void>;
}

export async function duckdbWarehouses(): Promise<TestWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'sfmap-duck-'));
  let n = 0;
  return {
    kind: 'duckdb',
    fresh: async () => {
      const path = join(dir, `w${n++}.duckdb`);
      return { config: { type: 'duckdb', path }, open: () => DuckDbWarehouse.open(path) };
    },
    stop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

let shared: { server: Promise<PostgresServer>; users: number } | undefined;

/** One PostgreSQL server per mocha process, shared by the suites that need one; each fresh() is a new database. */
export async function postgresWarehouses(): Promise<TestWarehouse> {
  shared ??= { server: startPostgres(), users: 0 };
  shared.users++;
  const server = await shared.server;
  let n = 0;
  return {
    kind: 'postgres',
    fresh: async () => {
      const db = `w${process.pid}_${Date.now()}_${n++}`;
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${db}`);
      await admin.end();
      const url = server.url.replace(/\/postgres$/, `/${db}`);
      return { config: { type: 'postgres', url }, open: () => PostgresWarehouse.open(url) };
    },
    stop: async () => {
      if (!shared || --shared.users > 0) return;
      const s = shared;
      shared = undefined;
      await (await s.server).stop();
    },
  };
}

/** A synced table as comparable text: every row by id, without the load time. */
export async function tableOf(w: Warehouse, table: string): Promise<string> {
  const rows = await (w as Warehouse & { query(sql: string): Promise<Record<string, unknown>[]> }).query(
    `SELECT * FROM sfdc.${table} ORDER BY id`,
  );
  return JSON.stringify(rows.map(({ received_at: _r, ...rest }) => rest));
}
