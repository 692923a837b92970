// Gives each batched lookup back the records a query of its own would have found. Salesforce
// compares text case-insensitively (`Email = 'ADA@x.com'` finds ada@x.com) and Ids by their first
// 15 characters, so the records of a batched query are assigned back the same way; an exact
// comparison would turn a found record into "none found" and create a duplicate.
import type { FieldValue, Match } from '../operation/operation.js';
import { isRecordId } from '../salesforce/record-id.js';
import { resolveFieldName } from '../salesforce/object-catalog.js';
import {
  fieldTypeOf,
  ID_TYPES,
  NUMBER_TYPES,
  TEXT_TYPES,
  type FieldType,
  type ObjectMetadata,
} from '../salesforce/object-metadata.js';
import { normalizeMatch } from './lookup-plan.js';

export type FoundRecord = Record<string, unknown>;

/**
 * How Salesforce would compare `value` in a field of `type`: the same string means "equal". The
 * field's type decides, not the JSON value's: 42 and '42' are one value in a text field, Ids
 * compare on their 15-character core, datetimes as instants ('…000Z' and '…000+0000' agree).
 * Without a type (a field the metadata does not describe) only `Id` is known to hold Ids.
 */
export function comparable(value: unknown, type: FieldType | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (type === undefined) return untyped(value);
  if (ID_TYPES.has(type)) return isRecordId(value) ? `id:${value.slice(0, 15)}` : untyped(value);
  if (TEXT_TYPES.has(type)) return typeof value === 'object' ? untyped(value) : `s:${String(value).toLowerCase()}`;
  if (NUMBER_TYPES.has(type)) {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    return typeof n === 'number' && Number.isFinite(n) ? `n:${n}` : untyped(value);
  }
  if (type === 'boolean')
    return value === true || value === 'true'
      ? 'b:true'
      : value === false || value === 'false'
        ? 'b:false'
        : untyped(value);
  if (type === 'datetime' && typeof value === 'string') {
    const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isNaN(ms) ? untyped(value) : `t:${ms}`;
  }
  return untyped(value);
}

function untyped(value: unknown): string {
  if (typeof value === 'string') return `s:${value.toLowerCase()}`;
  if (typeof value === 'number') return `n:${value}`;
  if (typeof value === 'boolean') return `b:${value}`;
  return `j:${JSON.stringify(value)}`;
}

/** The field's type by metadata; `Id` always holds Ids, whatever the metadata says or lacks. */
export function typeFor(meta: ObjectMetadata | undefined, field: string): FieldType | undefined {
  return field === 'Id' ? 'id' : fieldTypeOf(meta, resolveName(meta, field));
}

function resolveName(meta: ObjectMetadata | undefined, field: string): string {
  return meta ? (resolveFieldName(meta, field) ?? field) : field;
}

function readField(record: FoundRecord, field: string): unknown {
  if (field in record) return record[field];
  const key = Object.keys(record).find((k) => k.toLowerCase() === field.toLowerCase());
  return key === undefined ? undefined : record[key];
}

function recordMatches(match: Match, record: FoundRecord, meta?: ObjectMetadata): boolean {
  const m = normalizeMatch(match);
  const test = ([field, value]: [string, FieldValue]): boolean =>
    comparable(value, typeFor(meta, field)) === comparable(readField(record, field), typeFor(meta, field));
  const entries = Object.entries(m.fields);
  return m.operator === 'AND' ? entries.every(test) : entries.some(test);
}

/**
 * For each match, the records (from one or more batched queries on its object) it would have
 * found alone, in the order the queries returned them. A record returned twice (two chunks)
 * counts once.
 */
export function assignRecords(
  matches: readonly Match[],
  records: readonly FoundRecord[],
  meta?: ObjectMetadata,
): FoundRecord[][] {
  const unique: FoundRecord[] = [];
  const ids = new Set<string>();
  for (const r of records) {
    const id = comparable(r.Id, 'id');
    if (r.Id !== undefined && ids.has(id)) continue;
    ids.add(id);
    unique.push(r);
  }
  // Index by each field's comparable value so that assigning is linear, not matches × records.
  const index = new Map<string, Map<string, FoundRecord[]>>();
  const byField = (field: string): Map<string, FoundRecord[]> => {
    const key = field.toLowerCase();
    let m = index.get(key);
    if (!m) {
      m = new Map();
      for (const r of unique) {
        const c = comparable(readField(r, field), typeFor(meta, field));
        const list = m.get(c);
        if (list) list.push(r);
        else m.set(c, [r]);
      }
      index.set(key, m);
    }
    return m;
  };
  return matches.map((match) => {
    const m = normalizeMatch(match);
    const entries = Object.entries(m.fields);
    if (entries.length === 0) return [];
    if (m.operator === 'AND') {
      const [field, value] = entries[0];
      return (byField(field).get(comparable(value, typeFor(meta, field))) ?? []).filter((r) =>
        recordMatches(m, r, meta),
      );
    }
    const found = new Set<FoundRecord>();
    for (const [field, value] of entries)
      for (const r of byField(field).get(comparable(value, typeFor(meta, field))) ?? []) found.add(r);
    return unique.filter((r) => found.has(r));
  });
}
