// Gives each batched lookup back the records a query of its own would have found. Salesforce
// compares text case-insensitively (`Email = 'ADA@x.com'` finds ada@x.com) and Ids by their first
// 15 characters, so the records of a batched query are assigned back the same way; an exact
// comparison would turn a found record into "none found" and create a duplicate.
import type { FieldValue, Match } from '../operation/operation.js';
import { isRecordId } from '../salesforce/record-id.js';
import { normalizeMatch } from './lookup-plan.js';

export type FoundRecord = Record<string, unknown>;

// Id and standard lookup fields (AccountId, OwnerId) hold record Ids; custom fields never count.
function holdsIds(field: string): boolean {
  return field === 'Id' || (/Id$/.test(field) && !field.includes('__'));
}

/** How Salesforce would compare `value` in `field`: the same string means "equal". */
export function comparable(field: string, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    if (holdsIds(field) && isRecordId(value)) return `id:${value.slice(0, 15)}`;
    return `s:${value.toLowerCase()}`;
  }
  if (typeof value === 'number') return `n:${value}`;
  if (typeof value === 'boolean') return `b:${value}`;
  return `j:${JSON.stringify(value)}`;
}

function readField(record: FoundRecord, field: string): unknown {
  if (field in record) return record[field];
  const key = Object.keys(record).find((k) => k.toLowerCase() === field.toLowerCase());
  return key === undefined ? undefined : record[key];
}

export function recordMatches(match: Match, record: FoundRecord): boolean {
  const m = normalizeMatch(match);
  const test = ([field, value]: [string, FieldValue]): boolean =>
    comparable(field, value) === comparable(field, readField(record, field));
  const entries = Object.entries(m.fields);
  return m.operator === 'AND' ? entries.every(test) : entries.some(test);
}

/**
 * For each match, the records (from one or more batched queries on its object) it would have
 * found alone, in the order the queries returned them. A record returned twice (two chunks)
 * counts once.
 */
export function assignRecords(matches: readonly Match[], records: readonly FoundRecord[]): FoundRecord[][] {
  const unique: FoundRecord[] = [];
  const ids = new Set<string>();
  for (const r of records) {
    const id = comparable('Id', r.Id);
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
        const c = comparable(field, readField(r, field));
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
      return (byField(field).get(comparable(field, value)) ?? []).filter((r) => recordMatches(m, r));
    }
    const found = new Set<FoundRecord>();
    for (const [field, value] of entries) for (const r of byField(field).get(comparable(field, value)) ?? []) found.add(r);
    return unique.filter((r) => found.has(r));
  });
}
