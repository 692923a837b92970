// Lookups of many operations as few SOQL queries: one query per object and match shape, the
// values of all operations OR-ed together (`Email IN (...)`), cut into chunks that keep the GET
// URI under Salesforce's 16,384-byte limit. Which found record belongs to which operation is
// decided afterwards by lookup-resolve.ts, exactly as a one-operation query would decide.
import type { FieldValue, Match } from '../operation/operation.js';
import { fieldTypeOf, type ObjectCatalog, type ObjectMetadata } from '../salesforce/object-metadata.js';
import {
  DEFAULT_MAX_ENCODED_QUERY_LENGTH,
  buildSelect,
  buildWhere,
  checkSelect,
  encodedQueryLength,
  soqlLiteral,
  type Condition,
  type SelectSpec,
} from '../salesforce/soql.js';

export interface LookupRequest {
  object: string;
  match: Match;
  /** Fields the caller needs from the found record besides Id (e.g. IsConverted). */
  select?: readonly string[];
}

export interface LookupQuery {
  object: string;
  soql: string;
  /** Indexes into the requests whose values this query carries. */
  requests: number[];
}

export interface LookupPlanOptions {
  /** Budget for encodeURIComponent(soql); the default leaves room for the path. */
  maxEncodedLength?: number;
  /** Object metadata: each literal takes its field's type (a date bare, a number quoted for a text field). */
  catalog?: ObjectCatalog;
}

/** Two rows are enough to tell "one match" from "several": a lookup of its own never reads more. */
const SINGLE_LOOKUP_LIMIT = 2;
const ID_ONLY: readonly string[] = ['Id'];

/**
 * One request's lookup on its own, as /transform describes it (`F = literal LIMIT 2`): the same
 * conditions and typed literals the batched form ORs together, for a caller that sends one
 * operation at a time.
 */
export function singleLookup(request: LookupRequest, meta?: ObjectMetadata): string {
  return buildSelect(singleLookupSpec(request, meta));
}

/** Throws what singleLookup would throw, without writing the query (the compact /transform answer). */
export function checkSingleLookup(request: LookupRequest, meta?: ObjectMetadata): void {
  checkSelect(singleLookupSpec(request, meta));
}

function singleLookupSpec(request: LookupRequest, meta: ObjectMetadata | undefined): SelectSpec {
  const { match, select } = request;
  return {
    object: request.object,
    fields: select && select.length > 0 ? ['Id', ...select] : ID_ONLY,
    where: {
      operator: match.operator,
      conditions: Object.entries(match.fields).map(([field, value]) => ({ field, value })),
    },
    limit: SINGLE_LOOKUP_LIMIT,
    meta,
  };
}

/** A match with one field is the same query under OR and AND; name it one way so they batch together. */
export function normalizeMatch(match: Match): Match {
  const names = Object.keys(match.fields);
  return names.length <= 1 ? { operator: 'OR', fields: match.fields } : match;
}

/** Bytes `text` takes in the request target (soql.ts owns the rule). */
const wireLength = encodedQueryLength;

function shapeKey(object: string, match: Match): string {
  const names = Object.keys(match.fields)
    .map((f) => f.toLowerCase())
    .sort();
  return `${object.toLowerCase()}\u0000${match.operator}\u0000${names.join(',')}`;
}

/**
 * One OR-ed group of conditions: an OR match contributes one value per field (`F IN (...)`, or
 * `F = null`), an AND match contributes the parenthesised conjunction of its fields.
 */
interface Group {
  object: string;
  operator: 'OR' | 'AND';
  fields: string[];
  select: string[];
  requests: number[];
  meta?: ObjectMetadata;
}

export function planLookups(requests: readonly LookupRequest[], options: LookupPlanOptions = {}): LookupQuery[] {
  const max = options.maxEncodedLength ?? DEFAULT_MAX_ENCODED_QUERY_LENGTH;
  const groups = new Map<string, Group>();
  requests.forEach((request, index) => {
    const match = normalizeMatch(request.match);
    if (Object.keys(match.fields).length === 0) throw new Error(`lookup on ${request.object} has no match field`);
    const key = shapeKey(request.object, match);
    let group = groups.get(key);
    if (!group) {
      group = {
        object: request.object,
        operator: match.operator,
        fields: Object.keys(match.fields),
        select: ['Id'],
        requests: [],
        meta: options.catalog?.get(request.object),
      };
      groups.set(key, group);
    }
    for (const f of [...Object.keys(match.fields), ...(request.select ?? [])]) {
      if (!group.select.some((s) => s.toLowerCase() === f.toLowerCase())) group.select.push(f);
    }
    group.requests.push(index);
  });
  const queries: LookupQuery[] = [];
  for (const group of groups.values()) {
    queries.push(...(group.operator === 'OR' ? chunkOr(group, requests, max) : chunkAnd(group, requests, max)));
  }
  return queries;
}

function fieldValue(fields: Record<string, FieldValue>, name: string): FieldValue {
  // Shape keys fold case, so read the field whatever case this request spelled it in.
  const key = Object.keys(fields).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? null : fields[key];
}

/**
 * `F1 IN (...) OR F1 = null OR F2 IN (...)`, grown request by request. The cost of adding a
 * request is computed exactly (encodeURIComponent works per character, so lengths add up), so a
 * chunk is as full as the budget allows without rebuilding the text for every request.
 */
function chunkOr(group: Group, requests: readonly LookupRequest[], max: number): LookupQuery[] {
  const head = `${buildSelect({ object: group.object, fields: group.select })} WHERE `;
  const headLength = wireLength(head);
  const OR = wireLength(' OR ');
  const COMMA = wireLength(', ');
  const queries: LookupQuery[] = [];
  type FieldState = { literals: Set<string>; values: Array<string | number | boolean>; wantsNull: boolean };
  let state: FieldState[] = [];
  let members: number[] = [];
  let length = headLength;
  let conditionCount = 0;
  const reset = (): void => {
    state = group.fields.map(() => ({ literals: new Set<string>(), values: [], wantsNull: false }));
    members = [];
    length = headLength;
    conditionCount = 0;
  };
  const flush = (): void => {
    if (members.length === 0) return;
    const conditions: Condition[] = [];
    group.fields.forEach((field, f) => {
      if (state[f].values.length > 0) conditions.push({ field, in: state[f].values });
      if (state[f].wantsNull) conditions.push({ field, value: null });
    });
    const soql = head + buildWhere({ operator: 'OR', conditions }, group.meta);
    if (wireLength(soql) > max) throw new Error('lookup chunking overran its budget');
    queries.push({ object: group.object, soql, requests: members });
  };
  // Growth of the query if request `i` joins, and how many new conditions it opens.
  const growth = (i: number): { bytes: number; opened: number; add: Array<() => void> } => {
    let bytes = 0;
    let opened = 0;
    const add: Array<() => void> = [];
    group.fields.forEach((field, f) => {
      const s = state[f];
      const v = fieldValue(requests[i].match.fields, field);
      if (v === null) {
        if (!s.wantsNull) {
          bytes += wireLength(`${field} = null`) + (conditionCount + opened > 0 ? OR : 0);
          opened++;
          add.push(() => (s.wantsNull = true));
        }
        return;
      }
      const literal = soqlLiteral(v, fieldTypeOf(group.meta, field));
      if (s.literals.has(literal)) return;
      if (s.values.length === 0) {
        bytes += wireLength(`${field} IN (${literal})`) + (conditionCount + opened > 0 ? OR : 0);
        opened++;
      } else {
        bytes += COMMA + wireLength(literal);
      }
      add.push(() => {
        s.literals.add(literal);
        s.values.push(v);
      });
    });
    return { bytes, opened, add };
  };
  reset();
  for (const index of group.requests) {
    let g = growth(index);
    if (length + g.bytes > max && members.length > 0) {
      flush();
      reset();
      g = growth(index);
    }
    if (length + g.bytes > max) throw new Error(`a ${group.object} lookup value is too long for one query`);
    g.add.forEach((apply) => apply());
    // A value seen in the same group twice costs nothing: the request still joins this query.
    members.push(index);
    length += g.bytes;
    conditionCount += g.opened;
  }
  flush();
  return queries;
}

/** `(A = 1 AND B = 2) OR (A = 3 AND B = 4)`: each request's conjunction, built by buildWhere. */
function chunkAnd(group: Group, requests: readonly LookupRequest[], max: number): LookupQuery[] {
  const head = `${buildSelect({ object: group.object, fields: group.select })} WHERE `;
  const OR = wireLength(' OR ');
  const queries: LookupQuery[] = [];
  let parts: string[] = [];
  let seen = new Set<string>();
  let members: number[] = [];
  let length = wireLength(head);
  const flush = (): void => {
    if (members.length > 0) queries.push({ object: group.object, soql: head + parts.join(' OR '), requests: members });
    parts = [];
    seen = new Set();
    members = [];
    length = wireLength(head);
  };
  for (const index of group.requests) {
    const conditions = group.fields.map((field) => ({ field, value: fieldValue(requests[index].match.fields, field) }));
    const part = `(${buildWhere({ operator: 'AND', conditions }, group.meta)})`;
    if (seen.has(part)) {
      members.push(index);
      continue;
    }
    const cost = wireLength(part) + (parts.length > 0 ? OR : 0);
    if (length + cost > max && members.length > 0) flush();
    const fresh = wireLength(part) + (parts.length > 0 ? OR : 0);
    if (length + fresh > max) throw new Error(`a ${group.object} lookup value is too long for one query`);
    parts.push(part);
    seen.add(part);
    members.push(index);
    length += fresh;
  }
  flush();
  return queries;
}
