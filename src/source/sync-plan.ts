// The pure middle of a sync: from a collection's describe, its remembered state and the run's start,
// decide what to read (fields, window, REST or Bulk) and what the table looks like. No I/O here.
import { assertApiName } from '../salesforce/api-names.js';
import type { Collection } from './collections.js';
import { columnTypeOf, COMPOUND_FIELD_TYPES, type ColumnType } from './column-types.js';
import { snakeCase } from './naming.js';
import type { ObjectDescription } from './object-description.js';
import type { CollectionState } from './sync-state.js';

/** Preferred cursor fields, best first (REFERENCE §6). */
const CURSOR_FIELDS = ['SystemModstamp', 'LastModifiedDate', 'CreatedDate'] as const;

export interface Column {
  /** Warehouse column (snake case). */
  name: string;
  /** Salesforce API name. */
  field: string;
  type: ColumnType;
}

export interface PlanOptions {
  /** Rows committed late carry an older SystemModstamp: re-read this far behind the cursor (Airbyte: 600 s). */
  lookbackSeconds: number;
  /** Re-read formula fields in full this often (they change without moving SystemModstamp). */
  formulaRefreshHours: number;
  /** Ignore the cursor and read everything again. */
  fullRefresh: boolean;
  /** Salesforce's longest request target; a longer REST query goes through Bulk (its query is a POST body). */
  maxUriBytes: number;
}

export const DEFAULT_PLAN_OPTIONS: PlanOptions = {
  lookbackSeconds: 600,
  formulaRefreshHours: 24,
  fullRefresh: false,
  maxUriBytes: 16384,
};

/** One read: a SOQL text and the columns its rows fill. */
export interface Read {
  soql: string;
  columns: Column[];
  /** REST (queryAll, paged by nextRecordsUrl) or Bulk 2.0 (queryAll job, paged by Sforce-Locator). */
  via: 'rest' | 'bulk';
  /** REST only: the same read as a Bulk query (no ORDER BY: it turns PK chunking off), for when the answer turns out large. */
  bulkSoql?: string;
  /** Rows come ordered by the cursor field, so each page can advance the cursor. */
  ordered: boolean;
}

export interface CollectionPlan {
  collection: Collection;
  table: string;
  /** Every column of the table (the rows read fill all of them). */
  columns: Column[];
  cursorField?: string;
  /** `incremental`: rows changed in the window; `full`: every row (first load, no cursor, --full-refresh). */
  kind: 'incremental' | 'full';
  /** Window [start, end): start absent on full reads. ISO 8601, whole seconds. */
  windowStart?: string;
  windowEnd: string;
  rows: Read;
  /** Re-read of Id + formula fields, when due. */
  formulas?: Read;
  /** A Bulk job of an earlier, interrupted run to finish first. */
  resume?: NonNullable<CollectionState['bulk']>;
  /** Fields left out, each with why (a type never seen before, base64 in a Bulk read). */
  notices: string[];
}

/** Whole seconds, ISO 8601 with Z: the form SOQL datetime literals take. */
function soqlDateTime(d: Date): string {
  return new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function planCollection(
  collection: Collection,
  described: ObjectDescription,
  state: CollectionState | undefined,
  runStart: Date,
  options: PlanOptions = DEFAULT_PLAN_OPTIONS,
): CollectionPlan {
  const notices: string[] = [];
  const columns: Column[] = [];
  const base64: Column[] = [];
  const seen = new Set<string>();
  for (const f of described.fields) {
    if (COMPOUND_FIELD_TYPES.has(f.type)) continue;
    let type = columnTypeOf(f.type);
    if (type === undefined) {
      notices.push(`${described.name}.${f.name}: field type "${f.type}" is new to this product; stored as text`);
      type = 'text';
    }
    const name = snakeCase(f.name);
    if (seen.has(name)) {
      notices.push(`${described.name}.${f.name}: column ${name} already taken by another field; left out`);
      continue;
    }
    seen.add(name);
    const column = { name, field: assertApiName(f.name, 'field'), type };
    columns.push(column);
    if (f.type === 'base64') base64.push(column);
  }
  if (!columns.some((c) => c.field === 'Id'))
    throw new Error(`${described.name} has no Id field: it cannot be upserted`);

  const object = assertApiName(described.name, 'object');
  const filterable = new Set(described.fields.filter((f) => f.filterable && f.type === 'datetime').map((f) => f.name));
  const cursorField = CURSOR_FIELDS.find((f) => filterable.has(f));
  const windowEnd = soqlDateTime(runStart);
  const sameCursor = state?.cursorField === cursorField;
  const incremental = cursorField !== undefined && !options.fullRefresh && sameCursor && state?.cursor !== undefined;
  const windowStart = incremental
    ? soqlDateTime(new Date(Date.parse(state.cursor as string) - options.lookbackSeconds * 1000))
    : undefined;

  const where: string[] = [];
  if (cursorField && windowStart) where.push(`${cursorField} >= ${windowStart}`);
  if (cursorField) where.push(`${cursorField} < ${windowEnd}`);
  const select = (cols: Column[]) => `SELECT ${cols.map((c) => c.field).join(', ')} FROM ${object}`;
  const whereText = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  const orderText = cursorField ? ` ORDER BY ${cursorField} ASC` : '';
  const bulkColumns = columns.filter((c) => !base64.includes(c));
  const restSoql = select(columns) + whereText + orderText;
  // A REST query travels in the URL: past Salesforce's limit it must go as a Bulk job instead.
  const tooLong = uriBytes(restSoql) > options.maxUriBytes;
  if (tooLong && base64.length > 0) {
    notices.push(
      `${object}: ${base64.map((c) => c.field).join(', ')} left out: base64 fields cannot be read through Bulk and the query is too long for REST`,
    );
  }
  // Every read starts as REST: its first page says how many rows there are, and only a large answer
  // is worth a Bulk job (at least create + poll + results calls, and one of the org's 10,000 daily
  // jobs) — most collections of an org are small. base64 values only come through REST.
  const bulkSoql = base64.length === 0 ? select(columns) + whereText : undefined;
  const rows: Read = tooLong
    ? { soql: select(bulkColumns) + whereText, columns: bulkColumns, via: 'bulk', ordered: false }
    : { soql: restSoql, columns, via: 'rest', bulkSoql, ordered: cursorField !== undefined };

  const formulaColumns = columns.filter((c) => described.fields.some((f) => f.name === c.field && f.calculated));
  const formulasDue =
    incremental &&
    formulaColumns.length > 0 &&
    (state?.formulasReadAt === undefined ||
      runStart.getTime() - Date.parse(state.formulasReadAt) >= options.formulaRefreshHours * 3600_000);
  const idColumn = columns.find((c) => c.field === 'Id') as Column;
  const formulaSelect =
    select([idColumn, ...formulaColumns]) + (cursorField ? ` WHERE ${cursorField} < ${windowEnd}` : '');
  const formulas: Read | undefined = formulasDue
    ? {
        soql: formulaSelect,
        columns: [idColumn, ...formulaColumns],
        via: 'rest',
        bulkSoql: formulaSelect,
        ordered: false,
      }
    : undefined;

  // An interrupted Bulk read resumes only if it read the same thing this run would (same cursor field, no refresh asked).
  const resume = state?.bulk && sameCursor && !options.fullRefresh ? state.bulk : undefined;
  return {
    collection,
    table: collection.name,
    columns,
    cursorField,
    kind: incremental ? 'incremental' : 'full',
    windowStart,
    windowEnd,
    rows,
    formulas,
    resume,
    notices,
  };
}

function uriBytes(soql: string): number {
  // Path prefix (/services/data/vNN.N/queryAll?q=) plus the encoded query.
  return 40 + encodeURIComponent(soql).length;
}
