// Runs a parsed SOQL query against the store: checks names and literal types as Salesforce does,
// filters, orders, and pages the answer (2,000 rows per page, or fewer when the client asks with
// `Sforce-Query-Options: batchSize=N`, the rest behind nextRecordsUrl). `query` sees live rows;
// `queryAll` also the soft-deleted ones (IsDeleted = true), as Salesforce's recycle bin does.

import type { FieldMetadata, ObjectMetadata } from './org/metadata.js';
import { SfApiError } from './errors.js';
import type { ObjectRegistry } from './object-registry.js';
import { isTextType } from './object-registry.js';
import type { Prng } from './prng.js';
import { isOrgId } from './org/record-ids.js';
import type { RecordService } from './records.js';
import type { RecordStore, StoredRecord } from './store.js';
import { canonicalDatetime } from './datetime.js';
import {
  formatAt,
  parseSoql,
  SoqlSyntaxError,
  type Condition,
  type FieldRef,
  type Literal,
  type OrderItem,
} from './soql-parser.js';

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

export interface QueryOptions {
  /** queryAll: soft-deleted rows too. */
  all?: boolean;
  /** From `Sforce-Query-Options: batchSize=N` (Salesforce: 200..2000; a hint it may lower). */
  batchSize?: number;
}

/** Salesforce's bounds on the batchSize hint. */
const MIN_BATCH = 200;
const MAX_BATCH = 2000;

interface Cursor {
  meta: ObjectMetadata;
  /** Matching rows, ordered; presented page by page so a large answer is not copied up front. */
  rows: StoredRecord[];
  fields: string[];
  apiVersion: string;
  pageSize: number;
}

type Predicate = (r: StoredRecord) => boolean;

export class QueryEngine {
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    private readonly registry: ObjectRegistry,
    private readonly store: RecordStore,
    private readonly records: RecordService,
    private readonly prng: Prng,
    private readonly pageSize: () => number,
  ) {}

  run(soql: string | null, apiVersion: string, options: QueryOptions = {}): QueryPage {
    if (soql === null || soql.trim() === '')
      throw new SfApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    const { meta, rows, fields, count } = this.select(soql, options.all === true);
    if (count) return { totalSize: rows.length, done: true, records: [] };
    const hint =
      options.batchSize === undefined ? MAX_BATCH : Math.min(MAX_BATCH, Math.max(MIN_BATCH, options.batchSize));
    return this.page({ meta, rows, fields, apiVersion, pageSize: Math.min(hint, this.pageSize()) }, 0);
  }

  /**
   * Parses, checks and evaluates a query: the matching stored rows (ordered, limited) and the
   * canonical names of the selected fields. Bulk query jobs use this too, so both refuse alike.
   */
  select(
    soql: string,
    all: boolean,
    opts: { checkOnly?: boolean } = {},
  ): { meta: ObjectMetadata; rows: StoredRecord[]; fields: string[]; count: boolean } {
    let parsed;
    try {
      parsed = parseSoql(soql);
    } catch (e) {
      if (e instanceof SoqlSyntaxError) throw new SfApiError(400, 'MALFORMED_QUERY', e.message);
      throw e;
    }
    const meta = this.registry.get(parsed.object.name);
    if (!meta) {
      throw new SfApiError(
        400,
        'INVALID_TYPE',
        formatAt(
          soql,
          parsed.object.pos,
          `sObject type '${parsed.object.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
        ),
      );
    }
    if (this.registry.isQueryable(meta.name) === false) {
      throw new SfApiError(
        400,
        'INVALID_TYPE_FOR_OPERATION',
        formatAt(soql, parsed.object.pos, `entity type ${meta.name} does not support query`),
      );
    }
    const fields = [...new Set(parsed.fields.map((f) => this.field(soql, meta, f).name))];
    const where = parsed.where ? this.compile(soql, meta, parsed.where) : undefined;
    if (opts.checkOnly) {
      if (parsed.orderBy) this.sort(soql, meta, [], parsed.orderBy);
      return { meta, rows: [], fields, count: parsed.count === true };
    }
    const source = all ? this.store.all(meta.name) : this.store.live(meta.name);
    let rows = where ? source.filter(where) : source;
    if (parsed.orderBy) rows = this.sort(soql, meta, rows, parsed.orderBy);
    if (parsed.limit !== undefined) rows = rows.slice(0, parsed.limit);
    return { meta, rows, fields, count: parsed.count === true };
  }

  /** GET query/<locator>-<offset> */
  more(locator: string): QueryPage {
    const m = /^([A-Za-z0-9]+)-(\d+)$/.exec(locator);
    const cursor = m ? this.cursors.get(m[1]) : undefined;
    if (!m || !cursor) throw new SfApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return this.page(cursor, Number(m[2]), m[1]);
  }

  clear(): void {
    this.cursors.clear();
  }

  private page(cursor: Cursor, offset: number, existingLocator?: string): QueryPage {
    const size = cursor.pageSize;
    const records = cursor.rows
      .slice(offset, offset + size)
      .map((r) => this.records.present(cursor.meta, r, cursor.apiVersion, cursor.fields));
    const done = offset + size >= cursor.rows.length;
    const out: QueryPage = { totalSize: cursor.rows.length, done, records };
    if (!done) {
      const locator = existingLocator ?? `01g5g000${this.prng.base62(7)}`;
      this.cursors.set(locator, cursor);
      out.nextRecordsUrl = `/services/data/v${cursor.apiVersion}/query/${locator}-${offset + size}`;
    } else if (existingLocator) {
      this.cursors.delete(existingLocator);
    }
    // Salesforce puts nextRecordsUrl before records; keep that order for people reading dumps.
    return out.nextRecordsUrl ? { totalSize: out.totalSize, done, nextRecordsUrl: out.nextRecordsUrl, records } : out;
  }

  private field(soql: string, meta: ObjectMetadata, ref: FieldRef): FieldMetadata {
    const field = this.registry.field(meta.name, ref.name);
    if (!field) {
      throw new SfApiError(
        400,
        'INVALID_FIELD',
        formatAt(
          soql,
          ref.pos,
          `No such column '${ref.name}' on entity '${meta.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
        ),
      );
    }
    return field;
  }

  /** Checks a condition once and turns it into a row predicate (names and literals resolved up front). */
  private compile(soql: string, meta: ObjectMetadata, c: Condition): Predicate {
    switch (c.kind) {
      case 'and': {
        const items = c.items.map((i) => this.compile(soql, meta, i));
        return (r) => items.every((p) => p(r));
      }
      case 'or': {
        const items = c.items.map((i) => this.compile(soql, meta, i));
        return (r) => items.some((p) => p(r));
      }
      case 'not': {
        const item = this.compile(soql, meta, c.item);
        return (r) => !item(r);
      }
      default: {
        const field = this.field(soql, meta, c.field);
        if (field.filterable === false) {
          throw new SfApiError(
            400,
            'INVALID_FIELD',
            formatAt(soql, c.field.pos, `field '${field.name}' can not be filtered in a query call`),
          );
        }
        const values = c.kind === 'in' ? c.values : [c.value];
        for (const v of values) this.checkLiteral(soql, c.field, field, v);
        const name = field.name;
        if (c.kind === 'in') {
          const keys = inKeys(field, c.values);
          // Datetime literals in the stored form, as for `=`: `IN (2024-05-01T10:00:00.000Z)` finds …000+0000.
          const literals = c.values.map((v) => normaliseLiteral(field, v));
          const hit = keys
            ? (r: StoredRecord): boolean => keys.has(equalityKey(field, r[name]) ?? '\u0000null')
            : (r: StoredRecord): boolean => literals.some((v) => compare(field, r[name], v) === 0);
          return c.negated ? (r) => !hit(r) : hit;
        }
        const lit = normaliseLiteral(field, c.value);
        const order = (r: StoredRecord): number | undefined => compare(field, r[name], lit);
        const present = (r: StoredRecord): boolean => r[name] !== null && r[name] !== undefined;
        switch (c.op) {
          case '=':
            return (r) => order(r) === 0;
          case '!=':
            return (r) => order(r) !== 0;
          // SOQL's ordering operators never match null on either side.
          case '<':
            return (r) => {
              const o = order(r);
              return o !== undefined && o < 0 && present(r);
            };
          case '<=':
            return (r) => {
              const o = order(r);
              return o !== undefined && o <= 0 && present(r);
            };
          case '>':
            return (r) => {
              const o = order(r);
              return o !== undefined && o > 0 && present(r);
            };
          case '>=':
            return (r) => {
              const o = order(r);
              return o !== undefined && o >= 0 && present(r);
            };
        }
      }
    }
    return () => false;
  }

  private checkLiteral(soql: string, ref: FieldRef, field: FieldMetadata, v: Literal): void {
    if (v.kind === 'null') return;
    const wrong = (kind: string, quoted: boolean): never => {
      throw new SfApiError(
        400,
        'INVALID_FIELD',
        formatAt(
          soql,
          ref.pos,
          `value of filter criterion for field '${field.name}' must be of type ${kind} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
        ),
      );
    };
    if (field.type === 'id' || field.type === 'reference') {
      if (v.kind !== 'string') wrong('id', true);
      if (!isOrgId((v as { value: string }).value)) {
        throw new SfApiError(
          400,
          'INVALID_QUERY_FILTER_OPERATOR',
          formatAt(soql, ref.pos, `invalid ID field: ${(v as { value: string }).value}`),
        );
      }
    } else if (isTextType(field.type)) {
      if (v.kind !== 'string') wrong('string', true);
    } else if (field.type === 'boolean') {
      if (v.kind !== 'boolean') wrong('boolean', false);
    } else if (field.type === 'date') {
      if (v.kind !== 'date' || v.value.length !== 10) wrong('date', false);
    } else if (field.type === 'datetime') {
      // A datetime field takes a datetime literal with a time and a zone; a bare date is refused.
      if (v.kind !== 'date' || v.value.length === 10) wrong('dateTime', false);
    } else if (v.kind !== 'number') {
      wrong(field.type === 'int' ? 'int' : 'double', false);
    }
  }

  private sort(soql: string, meta: ObjectMetadata, rows: StoredRecord[], items: OrderItem[]): StoredRecord[] {
    const keys = items.map((item) => {
      const field = this.field(soql, meta, item.field);
      if (field.sortable === false) {
        throw new SfApiError(
          400,
          'INVALID_FIELD',
          formatAt(soql, item.field.pos, `field '${field.name}' can not be sorted in a query call`),
        );
      }
      return { field, item };
    });
    const out = rows.slice();
    out.sort((a, b) => {
      for (const { field, item } of keys) {
        const x = sortValue(field, a[field.name]);
        const y = sortValue(field, b[field.name]);
        if (x === y) continue;
        if (x === undefined) return item.nullsLast ? 1 : -1;
        if (y === undefined) return item.nullsLast ? -1 : 1;
        const o = x < y ? -1 : 1;
        return item.descending ? -o : o;
      }
      return 0;
    });
    return out;
  }
}

/** A stored value as something `<` orders the way Salesforce does; undefined for null. */
function sortValue(field: FieldMetadata, v: unknown): string | number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (field.type === 'datetime') return canonicalDatetime(String(v)) ?? String(v);
  if (field.type === 'id' || field.type === 'reference') return String(v);
  return String(v).toLowerCase();
}

/** Datetime literals in the stored form, so rows compare as strings; other literals as they are. */
function normaliseLiteral(field: FieldMetadata, lit: Literal): Literal {
  if (field.type !== 'datetime' || lit.kind !== 'date') return lit;
  return { kind: 'date', value: canonicalDatetime(lit.value) ?? lit.value };
}

/** -1 / 0 / 1, NaN-free; undefined when the two cannot be ordered (null against a value). */
function compare(field: FieldMetadata, stored: unknown, lit: Literal): number | undefined {
  const storedNull = stored === null || stored === undefined || stored === '';
  if (lit.kind === 'null') return storedNull ? 0 : undefined;
  if (storedNull) return undefined;
  if (field.type === 'id' || field.type === 'reference') {
    // Ids compare on their case-sensitive 15-character core, so 15 and 18 character forms are equal.
    const a = String(stored).slice(0, 15);
    const b = String((lit as { value: string }).value).slice(0, 15);
    return a === b ? 0 : a < b ? -1 : 1;
  }
  if (lit.kind === 'number') return Math.sign(Number(stored) - lit.value);
  if (lit.kind === 'boolean') return stored === lit.value ? 0 : stored ? 1 : -1;
  if (field.type === 'datetime') {
    const a = canonicalDatetime(String(stored)) ?? String(stored);
    return a === lit.value ? 0 : a < lit.value ? -1 : 1;
  }
  // Text and dates: Salesforce compares text case-insensitively.
  const a = String(stored).toLowerCase();
  const b = String(lit.value).toLowerCase();
  return a === b ? 0 : a < b ? -1 : 1;
}

/** IN lists of up to hundreds of values are the product's batched lookup: compare by set, not by scan. */
function inKeys(field: FieldMetadata, values: Literal[]): Set<string> | undefined {
  const textual = field.type === 'id' || field.type === 'reference' || isTextType(field.type);
  if (!textual || !values.every((v) => v.kind === 'string' || v.kind === 'null')) return undefined;
  return new Set(
    values.map((v) => (v.kind === 'string' ? (equalityKey(field, v.value) ?? '\u0000null') : '\u0000null')),
  );
}

/** The same equality compare() applies: Ids on their 15-character core, text case-insensitively. */
function equalityKey(field: FieldMetadata, value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return field.type === 'id' || field.type === 'reference' ? String(value).slice(0, 15) : String(value).toLowerCase();
}
