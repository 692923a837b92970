// Fits an event value to a Salesforce field's type before it is sent: analytics payloads carry
// numbers as strings ("42"), booleans as "true", and timestamps where a date field wants
// yyyy-MM-dd. Anything that cannot be fitted is reported, not sent, so Salesforce never rejects
// the whole record for one field.

import type { FieldValue } from '../operation/operation.js';
import { DATE_ONLY, LOOSE_DATE_TIME } from './date-formats.js';
import { TEXT_TYPES, type FieldMetadata } from './object-metadata.js';

export type Coerced = { value: FieldValue } | { error: string };

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * `value` shaped for the field `meta` describes: `{ value }` when it fits, `{ error }` (naming the
 * field and the expected type) when it cannot. Without metadata (a field the catalog does not
 * know) any scalar passes unchanged. `null` always passes: it clears the field.
 */
export function coerceForField(meta: FieldMetadata | undefined, value: unknown): Coerced {
  if (value === null) return { value: null };
  const name = meta?.name ?? 'field';
  if (value === undefined) return { error: `${name}: no value` };
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return { error: `${name}: ${String(value)} is not a number Salesforce can store` };
  }
  if (!meta) {
    return isScalar(value) ? { value } : { error: `${name}: expected a single value, got ${describe(value)}` };
  }
  const type = meta.type;
  if (TEXT_TYPES.has(type)) return toText(meta, value);
  switch (type) {
    case 'boolean':
      return toBoolean(meta, value);
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return toNumber(meta, value);
    case 'date':
      return toDate(meta, value, false);
    case 'datetime':
      return toDate(meta, value, true);
    default:
      return isScalar(value) ? { value } : { error: `${name}: expected a single value, got ${describe(value)}` };
  }
}

function toText(meta: FieldMetadata, value: unknown): Coerced {
  if (typeof value === 'string') return { value };
  if (typeof value === 'number' || typeof value === 'boolean') return { value: String(value) };
  // A multi-select picklist stores its choices joined by semicolons.
  if (meta.type === 'multipicklist' && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return { value: value.join(';') };
  }
  return fail(meta, `text (${meta.type})`, value);
}

function toBoolean(meta: FieldMetadata, value: unknown): Coerced {
  if (typeof value === 'boolean') return { value };
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return { value: true };
    if (v === 'false') return { value: false };
  }
  if (value === 1 || value === 0) return { value: value === 1 };
  return fail(meta, 'true or false (boolean)', value);
}

function toNumber(meta: FieldMetadata, value: unknown): Coerced {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) n = Number(value.trim());
  if (n === undefined || !Number.isFinite(n)) return fail(meta, `a number (${meta.type})`, value);
  if (meta.type === 'int' && !Number.isInteger(n)) return fail(meta, 'a whole number (int)', value);
  return { value: n };
}

function toDate(meta: FieldMetadata, value: unknown, withTime: boolean): Coerced {
  const expected = withTime ? 'an ISO date-time (datetime)' : 'an ISO date yyyy-MM-dd (date)';
  if (typeof value !== 'string') return fail(meta, expected, value);
  const s = value.trim();
  const dateOnly = DATE_ONLY.exec(s);
  if (dateOnly) {
    if (!isRealDate(s)) return fail(meta, expected, value);
    return { value: withTime ? `${s}T00:00:00.000Z` : s };
  }
  const m = LOOSE_DATE_TIME.exec(s);
  if (!m || !isRealDate(m[1])) return fail(meta, expected, value);
  // Date.parse wants milliseconds at most and a colon in the offset.
  const fraction = m[4] ? m[4].slice(0, 4) : '';
  let zone = m[5] ?? 'Z';
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ':00'}${fraction}${zone.toUpperCase()}`);
  if (Number.isNaN(ms)) return fail(meta, expected, value);
  // A date field takes the calendar date as written: converting 2024-12-31T23:30-05:00 to UTC first
  // would move it into the next year. A datetime field is an instant, stored in UTC.
  return { value: withTime ? new Date(ms).toISOString() : m[1] };
}

/** Rejects 2024-02-30 and friends, which Date.parse would roll over. */
function isRealDate(yyyyMmDd: string): boolean {
  const [y, mo, d] = yyyyMmDd.split('-').map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function isScalar(value: unknown): value is FieldValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function fail(meta: FieldMetadata, expected: string, value: unknown): Coerced {
  return { error: `${meta.name}: expected ${expected}, got ${describe(value)}` };
}

/** A short description of the offending value; long values are cut so errors stay readable. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'an object';
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
