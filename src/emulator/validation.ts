// What Salesforce checks on a write, driven by the object metadata. Two phases, because Salesforce
// has two: deserialising the body (unknown field, wrong JSON type) fails the whole request, even a
// 200-record collection; the record checks (read-only, required, length, Id shape) fail one record.

import { isCreateable, isUpdateable, type FieldMetadata, type ObjectMetadata } from './org/metadata.js';
import { SfApiError, type SfError } from './errors.js';
import type { ObjectRegistry } from './object-registry.js';
import { isTextType } from './object-registry.js';
import { isOrgId } from './org/record-ids.js';
import type { FieldValues } from './store.js';
import { sfDatetime } from './datetime.js';

export type WriteMode = 'create' | 'update';
/** JSON bodies carry typed values; Bulk CSV cells are text with `#N/A` for null. */
export type ValueSource = 'json' | 'csv';

export interface Deserialised {
  /** Canonical field name → value (Id excluded). */
  values: FieldValues;
  /** The record's Id when the body carried one. */
  id?: unknown;
  /** Per-record problems found while reading the values (CSV type errors). */
  errors: SfError[];
}

function noSuchColumn(field: string, objectName: string): SfApiError {
  return new SfApiError(400, 'INVALID_FIELD', `No such column '${field}' on sobject of type ${objectName}`);
}

/** Reads a body into canonical fields. Throws (whole request fails) on an unknown field or a JSON type error. */
export function deserialise(
  registry: ObjectRegistry,
  meta: ObjectMetadata,
  body: FieldValues,
  source: ValueSource,
): Deserialised {
  const out: Deserialised = { values: {}, errors: [] };
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'attributes') continue;
    const field = registry.field(meta.name, key);
    if (!field) throw noSuchColumn(key, meta.name);
    if (field.name === 'Id') {
      out.id = raw;
      continue;
    }
    if (source === 'csv') {
      if (raw === '' || raw === undefined) continue;
      const converted = fromCsv(field, String(raw));
      if (converted.error) out.errors.push(converted.error);
      else out.values[field.name] = converted.value;
    } else {
      out.values[field.name] = fromJson(field, raw);
    }
  }
  return out;
}

function jsonTypeError(field: FieldMetadata, raw: unknown): SfApiError {
  const token =
    raw === null
      ? 'VALUE_NULL'
      : Array.isArray(raw)
        ? 'START_ARRAY'
        : typeof raw === 'object'
          ? 'START_OBJECT'
          : typeof raw === 'string'
            ? 'VALUE_STRING'
            : typeof raw === 'boolean'
              ? raw
                ? 'VALUE_TRUE'
                : 'VALUE_FALSE'
              : Number.isInteger(raw)
                ? 'VALUE_NUMBER_INT'
                : 'VALUE_NUMBER_FLOAT';
  const javaType =
    {
      boolean: 'boolean',
      int: 'int',
      double: 'double',
      currency: 'double',
      percent: 'double',
      date: 'date',
      datetime: 'datetime',
    }[field.type as string] ?? 'string';
  const shown = typeof raw === 'object' ? '' : ` value ${String(raw)}`;
  return new SfApiError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${javaType} from ${token}${shown} or request may be missing a required field`,
  );
}

function fromJson(field: FieldMetadata, raw: unknown): unknown {
  if (raw === null) return field.type === 'boolean' ? false : null;
  if (typeof raw === 'object') throw jsonTypeError(field, raw);
  switch (field.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw jsonTypeError(field, raw);
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isInteger(n)) throw jsonTypeError(field, raw);
      return n;
    }
    case 'double':
    case 'currency':
    case 'percent': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) throw jsonTypeError(field, raw);
      return n;
    }
    case 'date':
      if (typeof raw !== 'string' || !isDate(raw)) throw jsonTypeError(field, raw);
      return raw.slice(0, 10);
    case 'datetime':
      if (typeof raw !== 'string' || !isDateTime(raw)) throw jsonTypeError(field, raw);
      return sfDatetime(new Date(raw));
    default:
      return typeof raw === 'string' ? raw : String(raw);
  }
}

function fromCsv(field: FieldMetadata, cell: string): { value?: unknown; error?: SfError } {
  if (cell === '#N/A') return { value: field.type === 'boolean' ? false : null };
  const wrongType = (): { error: SfError } => ({
    error: {
      errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
      message: `${field.name}: value not of required type: ${cell}`,
      fields: [field.name],
    },
  });
  switch (field.type) {
    case 'boolean': {
      const v = cell.trim().toLowerCase();
      if (v === 'true' || v === '1') return { value: true };
      if (v === 'false' || v === '0') return { value: false };
      return wrongType();
    }
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const n = cell.trim() === '' ? NaN : Number(cell);
      if (!Number.isFinite(n) || (field.type === 'int' && !Number.isInteger(n))) return wrongType();
      return { value: n };
    }
    case 'date':
      return isDate(cell) ? { value: cell.slice(0, 10) } : wrongType();
    case 'datetime':
      return isDateTime(cell) ? { value: sfDatetime(new Date(cell)) } : wrongType();
    default:
      return { value: cell };
  }
}

function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function isDateTime(text: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(text) &&
    !Number.isNaN(Date.parse(text))
  );
}

/** Counts characters as Salesforce does: code points, so an emoji is one. */
function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The per-record checks. Returns the first group of problems Salesforce would report, or []. */
export function checkRecord(
  meta: ObjectMetadata,
  values: FieldValues,
  mode: WriteMode,
  registry: ObjectRegistry,
): SfError[] {
  const fields = Object.keys(values).map((k) => registry.field(meta.name, k) as FieldMetadata);

  // Salesforce answers the same error for a read-only field, a create-only one in an update and an
  // update-only one in a create.
  const writable = mode === 'create' ? isCreateable : isUpdateable;
  const readOnly = fields.filter((f) => !writable(f)).map((f) => f.name);
  if (readOnly.length > 0) {
    return [
      {
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message: `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        fields: readOnly,
      },
    ];
  }

  const blank = (v: unknown): boolean => v === null || v === undefined || v === '';
  const required = Object.values(meta.fields)
    .filter((f) => f.requiredOnCreate)
    .map((f) => f.name)
    .filter((name) => (mode === 'create' ? blank(values[name]) : name in values && blank(values[name])));
  if (mode === 'create') {
    for (const r of meta.createRequires ?? []) {
      if (r.unlessTrue && values[r.unlessTrue] === true) continue;
      if ([r.field, ...(r.or ?? [])].every((name) => blank(values[name]))) required.push(r.field);
    }
  }
  if (required.length > 0) {
    return [
      {
        errorCode: 'REQUIRED_FIELD_MISSING',
        message: `Required fields are missing: [${required.join(', ')}]`,
        fields: required,
      },
    ];
  }

  for (const f of fields) {
    const v = values[f.name];
    if (typeof v !== 'string') continue;
    if ((f.type === 'reference' || f.type === 'id') && v !== '' && !isOrgId(v)) {
      return [{ errorCode: 'MALFORMED_ID', message: `${f.name}: id value of incorrect type: ${v}`, fields: [f.name] }];
    }
    if (isTextType(f.type) && f.length !== undefined && charLength(v) > f.length) {
      return [
        {
          errorCode: 'STRING_TOO_LONG',
          message: `${f.name}: data value too large: ${v} (max length=${f.length})`,
          fields: [f.name],
        },
      ];
    }
  }
  return [];
}
