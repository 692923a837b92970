// The one place SOQL text is made. Every value goes through soqlLiteral and every name through
// assertApiName, so a value can never leave its quotes and a name can never carry syntax.

import { assertApiName } from './api-names.js';
import { DATE_ONLY, SOQL_DATE_TIME } from './date-formats.js';
import { fieldTypeOf, NUMBER_TYPES, type FieldType, type ObjectMetadata } from './object-metadata.js';

export type SoqlValue = string | number | boolean | null;

const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

// SOQL's escape sequences for quoted strings. Backslash first is implicit: the regex visits each
// character once, so an inserted backslash is never escaped again.
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A quoted, escaped SOQL string literal. */
function quoteSoqlString(s: string): string {
  return `'${s.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c])}'`;
}

/**
 * A SOQL literal for `value`. Strings are quoted and escaped; numbers (finite only) and booleans
 * are bare; null is `null`. With a `fieldType`, the literal fits the field: date/datetime fields
 * take bare ISO dates (and refuse anything else), numeric fields take numeric strings bare,
 * boolean fields take 'true'/'false' bare, and text fields quote numbers and booleans.
 */
export function soqlLiteral(value: SoqlValue, fieldType?: FieldType): string {
  return literal(value, fieldType, true);
}

// `write` false: the same checks without the quoting (no string can be refused for what it holds).
// `field` names the compared field in a refusal, so a person knows which matcher to fix.
function literal(value: SoqlValue, fieldType: FieldType | undefined, write: boolean, field?: string): string {
  if (value === null) return 'null';
  if (fieldType === 'date' || fieldType === 'datetime') {
    if (typeof value === 'string') {
      const ok = fieldType === 'date' ? DATE_ONLY.test(value) : SOQL_DATE_TIME.test(value);
      if (ok) return value;
    }
    const expected = fieldType === 'date' ? 'yyyy-MM-dd' : 'yyyy-MM-ddTHH:mm:ssZ';
    throw new Error(`Invalid ${fieldType} value ${JSON.stringify(value)} for ${placeOf(field)}: expected ${expected}`);
  }
  if (fieldType && NUMBER_TYPES.has(fieldType)) {
    if (typeof value === 'number') return soqlNumber(value);
    if (typeof value === 'string' && PLAIN_NUMBER.test(value.trim())) return soqlNumber(Number(value));
    throw new Error(`Invalid ${fieldType} value ${JSON.stringify(value)} for ${placeOf(field)}: expected a number`);
  }
  if (fieldType === 'boolean') {
    if (typeof value === 'boolean') return String(value);
    if (value === 'true' || value === 'false') return value;
    throw new Error(`Invalid boolean value ${JSON.stringify(value)} for ${placeOf(field)}: expected true or false`);
  }
  if (typeof value === 'string') return write ? quoteSoqlString(value) : value;
  // A text-like field compared with a number or boolean must still get a string literal.
  if (fieldType) {
    const text = typeof value === 'number' ? soqlNumber(value) : String(value);
    return write ? quoteSoqlString(text) : text;
  }
  if (typeof value === 'number') return soqlNumber(value);
  if (typeof value === 'boolean') return String(value);
  throw new Error(`Unsupported SOQL value of type ${typeof value}`);
}

// Only a refusal builds this text: literals are made for every matcher of every event.
const placeOf = (field: string | undefined): string => (field === undefined ? 'SOQL' : `${field} in SOQL`);

function soqlNumber(n: number): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new Error(`Invalid number ${String(n)} for SOQL: only finite numbers are allowed`);
  }
  // SOQL has no exponent notation; write 1e21 and 1e-7 out in full.
  const s = String(n === 0 ? 0 : n);
  return /e/i.test(s) ? n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : s;
}

export interface EqualsCondition {
  field: string;
  value: SoqlValue;
}

export interface InCondition {
  field: string;
  in: readonly Exclude<SoqlValue, null>[];
}

export type Condition = EqualsCondition | InCondition;

export interface Where {
  operator: 'AND' | 'OR';
  conditions: readonly Condition[];
}

export interface SelectSpec {
  object: string;
  fields: readonly string[];
  where?: Where;
  limit?: number;
  /** When given, literals are shaped by each field's type (dates bare, numbers bare, ...). */
  meta?: ObjectMetadata;
}

/** `Field = literal`, or `Field IN (a, b)`. Field names are plain identifiers (no paths). */
function buildCondition(condition: Condition, meta: ObjectMetadata | undefined, write: boolean): string {
  const field = assertApiName(condition.field, 'field');
  const type = fieldTypeOf(meta, field);
  if ('in' in condition) {
    if (!Array.isArray(condition.in) || condition.in.length === 0) {
      throw new Error(`IN condition on ${field} needs at least one value`);
    }
    const literals = condition.in.map((v) => {
      if (v === null) throw new Error(`IN condition on ${field} cannot hold null; match null with its own condition`);
      return literal(v, type, write, field);
    });
    return write ? `${field} IN (${literals.join(', ')})` : '';
  }
  // `= null` is how SOQL spells IS NULL (SOQL has no IS NULL); Salesforce accepts it for any field.
  const value = literal(condition.value, type, write, field);
  return write ? `${field} = ${value}` : '';
}

/** `WHERE`-clause body: conditions joined by the operator (each condition is atomic, so no parentheses). */
export function buildWhere(where: Where, meta?: ObjectMetadata): string {
  return whereText(where, meta, true) as string;
}

function whereText(where: Where, meta: ObjectMetadata | undefined, write: boolean): string | undefined {
  if (where.operator !== 'AND' && where.operator !== 'OR') {
    throw new Error(`Invalid WHERE operator ${JSON.stringify(where.operator)}: expected AND or OR`);
  }
  if (where.conditions.length === 0) {
    // A lookup without conditions would match every record; never let that happen by accident.
    throw new Error('A WHERE clause needs at least one condition');
  }
  if (!write) {
    for (const c of where.conditions) buildCondition(c, meta, false);
    return undefined;
  }
  return where.conditions.map((c) => buildCondition(c, meta, true)).join(` ${where.operator} `);
}

/**
 * `SELECT f1, f2 FROM Object [WHERE ...] [LIMIT n]`. Selected fields may be relationship paths
 * (`ConvertedContact.Email`); duplicates (in any letter case) are dropped, since Salesforce
 * refuses a query that selects a field twice.
 */
export function buildSelect(spec: SelectSpec): string {
  return select(spec, true) as string;
}

/**
 * Throws what buildSelect would throw for `spec`, without writing the query: for a caller that
 * must refuse what cannot be queried but does not send the query (the compact /transform answer).
 */
export function checkSelect(spec: SelectSpec): void {
  select(spec, false);
}

// One body for both, so a query is refused by the same rules, in the same order, whether or not
// its text is wanted.
function select(spec: SelectSpec, write: boolean): string | undefined {
  const object = assertApiName(spec.object, 'object');
  if (spec.fields.length === 0) throw new Error(`SELECT from ${object} needs at least one field`);
  const seen = new Set<string>();
  const fields: string[] = [];
  for (const f of spec.fields) {
    assertApiName(f, 'field', { allowPath: true });
    if (!write || seen.has(f.toLowerCase())) continue;
    seen.add(f.toLowerCase());
    fields.push(f);
  }
  const where = spec.where && whereText(spec.where, spec.meta, write);
  if (spec.limit !== undefined && (!Number.isSafeInteger(spec.limit) || spec.limit < 1)) {
    throw new Error(`Invalid LIMIT ${String(spec.limit)}: must be a positive whole number`);
  }
  if (!write) return undefined;
  let soql = `SELECT ${fields.join(', ')} FROM ${object}`;
  if (where !== undefined) soql += ` WHERE ${where}`;
  if (spec.limit !== undefined) soql += ` LIMIT ${spec.limit}`;
  return soql;
}

/**
 * Salesforce refuses a GET whose URI exceeds 16,384 bytes. The query text travels URL-encoded
 * in `?q=`; this budget leaves room for `/services/data/vNN.N/query?q=` and the host-relative rest.
 */
const MAX_QUERY_URI_LENGTH = 16_384;
export const DEFAULT_MAX_ENCODED_QUERY_LENGTH = MAX_QUERY_URI_LENGTH - 256;

/**
 * The bytes `q` takes in the request target (what counts against Salesforce's URI limit).
 * encodeURIComponent leaves `'` alone, but the WHATWG URL that fetch sends percent-encodes it in a
 * query (%27), and SOQL string literals are full of them: counting only encodeURIComponent
 * overruns the limit with a 414.
 */
export function encodedQueryLength(q: string): number {
  let quotes = 0;
  for (let i = q.indexOf("'"); i >= 0; i = q.indexOf("'", i + 1)) quotes++;
  return encodeURIComponent(q).length + 2 * quotes;
}
