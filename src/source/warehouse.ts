// The one interface between the sync and a warehouse. The sync knows nothing of SQL dialects and the
// adapters nothing of Salesforce: a table is columns with one of six types, a row is their values
// in text form, and every page of rows is committed together with the state it advances.
import type { ColumnType } from './column-types.js';
import type { CollectionState } from './sync-state.js';

export interface WarehouseColumn {
  name: string;
  type: ColumnType;
}

export interface TableSpec {
  schema: string;
  table: string;
  /** Must include `id`. `received_at` and `is_deleted` are added by the adapter when absent. */
  columns: WarehouseColumn[];
}

/**
 * A value in text form: booleans `true`/`false`, numbers in decimal, dates `YYYY-MM-DD`, timestamps
 * ISO 8601 with an offset; null for no value. Every warehouse casts from this form, so one
 * conversion (row-values.ts) serves all adapters.
 */
export type TextValue = string | null;

export interface Page {
  schema: string;
  table: string;
  /** The columns `rows` fill, in order; must include `id`. Other columns keep their values on update. */
  columns: WarehouseColumn[];
  /** At most one row per id (the sync dedupes). */
  rows: TextValue[][];
  /** Written in the same transaction as the rows. */
  state: { collection: string; value: CollectionState };
  /** A first load: the adapter may use its bulk path (DuckDB Appender, PostgreSQL COPY). */
  bulk: boolean;
}

export interface Warehouse {
  /** A name for logs ("duckdb ./data/warehouse.duckdb", "postgresql db@host"). */
  readonly label: string;
  /** Creates the schema, the table and any missing column; returns the columns it added. */
  ensureTable(spec: TableSpec): Promise<string[]>;
  /** Every collection's saved state in `schema` (creating the schema and its state table when missing). */
  readStates(schema: string): Promise<Map<string, CollectionState>>;
  /** Upserts the rows by id and saves the state, all or nothing. */
  commit(page: Page): Promise<void>;
  close(): Promise<void>;
}

/** The table holding each collection's state, inside the source's schema. */
export const STATE_TABLE = '_sfmap_sync_state';

/** Columns every synced table has, whatever the object. */
const RECEIVED_AT: WarehouseColumn = { name: 'received_at', type: 'timestamptz' };
const IS_DELETED: WarehouseColumn = { name: 'is_deleted', type: 'boolean' };

/** The table's full column list: the given ones, then is_deleted (when the object has none) and received_at. */
export function withSyncColumns(columns: WarehouseColumn[]): WarehouseColumn[] {
  const out = [...columns];
  if (!out.some((c) => c.name === IS_DELETED.name)) out.push(IS_DELETED);
  if (!out.some((c) => c.name === RECEIVED_AT.name)) out.push(RECEIVED_AT);
  return out;
}

/** Double-quoted identifier; callers pass names already checked by assertWarehouseIdentifier. */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** `id` is the key; `is_deleted` is false for objects that have no IsDeleted field. */
export function columnSuffix(name: string): string {
  if (name === 'id') return ' PRIMARY KEY';
  if (name === IS_DELETED.name) return ' DEFAULT false';
  return '';
}
