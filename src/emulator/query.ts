// Runs a parsed SOQL query against the store: checks names and literal types as Salesforce does,
// filters, and pages the answer (2,000 rows per page, the rest behind nextRecordsUrl).

import type { FieldMetadata, ObjectMetadata } from '../salesforce/object-metadata.js';
import { SfApiError } from './errors.js';
import type { ObjectRegistry } from './object-registry.js';
import { isTextType } from './object-registry.js';
import type { Prng } from './prng.js';
import { isRecordId } from '../salesforce/record-id.js';
import type { RecordService } from './records.js';
import type { RecordStore, StoredRecord } from './store.js';
import { formatAt, parseSoql, SoqlSyntaxError, type Condition, type FieldRef, type Literal } from './soql-parser.js';

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

interface Cursor {
  rows: Record<string, unknown>[];
  totalSize: number;
  apiVersion: string;
}

export class QueryEngine {
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    private readonly registry: ObjectRegistry,
    private readonly store: RecordStore,
    private readonly records: RecordService,
    private readonly prng: Prng,
    private readonly pageSize: () => number,
  ) {}

  run(soql: string | null, apiVersion: string): QueryPage {
    if (soql === null || soql.trim() === '') throw new SfApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    let parsed;
    try {
      parsed = parseSoql(soql);
    } catch (e) {
      if (e instanceof SoqlSyntaxError) throw new SfApiError(400, 'MALFORMED_QUERY', e.message);
      throw e;
    }
    const meta = this.registry.get(parsed.object.name);
    if (!meta) {
      throw new SfApiError(400, 'INVALID_TYPE', formatAt(soql, parsed.object.pos,
        `sObject type '${parsed.object.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`));
    }
    const selected = parsed.fields.map((f) => this.field(soql, meta, f).name);
    if (parsed.where) this.checkCondition(soql, meta, parsed.where);

    let rows = this.store.live(meta.name).filter((r) => !parsed.where || this.matches(meta, r, parsed.where));
    if (parsed.limit !== undefined) rows = rows.slice(0, parsed.limit);
    const presented = rows.map((r) => this.records.present(meta, r, apiVersion, [...new Set(selected)]));
    return this.page({ rows: presented, totalSize: presented.length, apiVersion }, 0);
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
    const size = this.pageSize();
    const records = cursor.rows.slice(offset, offset + size);
    const done = offset + size >= cursor.rows.length;
    const out: QueryPage = { totalSize: cursor.totalSize, done, records };
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
      throw new SfApiError(400, 'INVALID_FIELD', formatAt(soql, ref.pos,
        `No such column '${ref.name}' on entity '${meta.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`));
    }
    return field;
  }

  private checkCondition(soql: string, meta: ObjectMetadata, c: Condition): void {
    switch (c.kind) {
      case 'and': case 'or': c.items.forEach((i) => this.checkCondition(soql, meta, i)); return;
      case 'not': this.checkCondition(soql, meta, c.item); return;
      default: {
        const field = this.field(soql, meta, c.field);
        if (field.filterable === false) {
          throw new SfApiError(400, 'INVALID_FIELD', formatAt(soql, c.field.pos, `field '${field.name}' can not be filtered in a query call`));
        }
        const values = c.kind === 'in' ? c.values : [c.value];
        for (const v of values) this.checkLiteral(soql, c.field, field, v);
      }
    }
  }

  private checkLiteral(soql: string, ref: FieldRef, field: FieldMetadata, v: Literal): void {
    if (v.kind === 'null') return;
    const wrong = (kind: string, quoted: boolean): never => {
      throw new SfApiError(400, 'INVALID_FIELD', formatAt(soql, ref.pos,
        `value of filter criterion for field '${field.name}' must be of type ${kind} and should ${quoted ? '' : 'not '}be enclosed in quotes`));
    };
    if (field.type === 'id' || field.type === 'reference') {
      if (v.kind !== 'string') wrong('id', true);
      if (!isRecordId((v as { value: string }).value)) {
        throw new SfApiError(400, 'INVALID_QUERY_FILTER_OPERATOR', formatAt(soql, ref.pos, `invalid ID field: ${(v as { value: string }).value}`));
      }
    } else if (isTextType(field.type)) {
      if (v.kind !== 'string') wrong('string', true);
    } else if (field.type === 'boolean') {
      if (v.kind !== 'boolean') wrong('boolean', false);
    } else if (field.type === 'date' || field.type === 'datetime') {
      if (v.kind !== 'date') wrong(field.type, false);
    } else if (v.kind !== 'number') {
      wrong(field.type === 'int' ? 'int' : 'double', false);
    }
  }

  private matches(meta: ObjectMetadata, r: StoredRecord, c: Condition): boolean {
    switch (c.kind) {
      case 'and': return c.items.every((i) => this.matches(meta, r, i));
      case 'or': return c.items.some((i) => this.matches(meta, r, i));
      case 'not': return !this.matches(meta, r, c.item);
      case 'in': {
        const field = this.registry.field(meta.name, c.field.name) as FieldMetadata;
        const keys = inKeys(field, c);
        const hit = keys
          ? keys.has(equalityKey(field, r[field.name]) ?? '\u0000null')
          : c.values.some((v) => compare(field, r[field.name], v) === 0);
        return c.negated ? !hit : hit;
      }
      case 'compare': {
        const field = this.registry.field(meta.name, c.field.name) as FieldMetadata;
        const order = compare(field, r[field.name], c.value);
        switch (c.op) {
          case '=': return order === 0;
          case '!=': return order !== 0;
          // SOQL's ordering operators never match null on either side.
          case '<': return order !== undefined && order !== 0 && order < 0 && r[field.name] != null;
          case '<=': return order !== undefined && order <= 0 && r[field.name] != null;
          case '>': return order !== undefined && order > 0 && r[field.name] != null;
          case '>=': return order !== undefined && order >= 0 && r[field.name] != null;
        }
      }
    }
    return false;
  }
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
  // Text and dates: Salesforce compares text case-insensitively.
  const a = String(stored).toLowerCase();
  const b = String(lit.value).toLowerCase();
  return a === b ? 0 : a < b ? -1 : 1;
}

/** IN lists of up to hundreds of values are the product's batched lookup: compare by set, not by scan. */
const inKeyCache = new WeakMap<Condition, Set<string> | null>();

function inKeys(field: FieldMetadata, c: Extract<Condition, { kind: 'in' }>): Set<string> | undefined {
  let keys = inKeyCache.get(c);
  if (keys === undefined) {
    const textual = field.type === 'id' || field.type === 'reference' || isTextType(field.type);
    keys = textual && c.values.every((v) => v.kind === 'string' || v.kind === 'null')
      ? new Set(c.values.map((v) => (v.kind === 'string' ? equalityKey(field, v.value) ?? '\u0000null' : '\u0000null')))
      : null;
    inKeyCache.set(c, keys);
  }
  return keys ?? undefined;
}

/** The same equality compare() applies: Ids on their 15-character core, text case-insensitively. */
function equalityKey(field: FieldMetadata, value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return field.type === 'id' || field.type === 'reference' ? String(value).slice(0, 15) : String(value).toLowerCase();
}
