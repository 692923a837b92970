// Salesforce values (REST JSON or Bulk CSV text) → the warehouse's text form (warehouse.ts). A value
// that does not fit its column's type is an error naming the record and field, never a silent null.
import type { ColumnType } from './column-types.js';
import type { Column } from './sync-plan.js';
import type { TextValue } from './warehouse.js';

export class BadValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadValueError';
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const NUL = /\0/g;

/** Where a value came from: JSON keeps types; Bulk CSV has only text, and an empty cell is null. */
export type ValueSource = 'json' | 'csv';

export interface RowConversion {
  values: TextValue[];
  /** Fields whose NUL bytes were removed (PostgreSQL text cannot hold them; Salesforce data sometimes does). */
  strippedNul: string[];
}

export function convertRow(
  object: string,
  record: Record<string, unknown>,
  columns: Column[],
  source: ValueSource,
): RowConversion {
  const strippedNul: string[] = [];
  const values = columns.map((c) => {
    const raw = record[c.field];
    try {
      const v = convertValue(c.type, raw, source);
      if (v !== null && v.includes('\0')) {
        strippedNul.push(c.field);
        return v.replace(NUL, '');
      }
      return v;
    } catch (err) {
      const id = typeof record.Id === 'string' ? record.Id : '(no Id)';
      throw new BadValueError(`${object} ${id}, field ${c.field}: ${(err as Error).message}`);
    }
  });
  return { values, strippedNul };
}

function convertValue(type: ColumnType, raw: unknown, source: ValueSource): TextValue {
  if (raw === null || raw === undefined) return null;
  if (source === 'csv' && raw === '') return null;
  const shown = () => JSON.stringify(raw)?.slice(0, 60);
  switch (type) {
    case 'text':
      return typeof raw === 'string' ? raw : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
    case 'boolean':
      if (typeof raw === 'boolean') return String(raw);
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) return raw.toLowerCase();
      throw new Error(`${shown()} is not a boolean`);
    case 'bigint':
    case 'numeric': {
      const text =
        typeof raw === 'number' && Number.isFinite(raw)
          ? String(raw)
          : typeof raw === 'string'
            ? raw.trim()
            : undefined;
      if (text === undefined || !(type === 'bigint' ? INTEGER : NUMBER).test(text))
        throw new Error(`${shown()} is not ${type === 'bigint' ? 'an integer' : 'a number'}`);
      return text;
    }
    case 'date':
      if (typeof raw === 'string' && DATE.test(raw)) return raw;
      throw new Error(`${shown()} is not a date (YYYY-MM-DD)`);
    case 'timestamptz': {
      // Salesforce writes 2024-03-01T10:00:00.000+0000; normalised to ISO 8601 with Z for every warehouse.
      const t = typeof raw === 'string' ? Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
      if (Number.isNaN(t)) throw new Error(`${shown()} is not a date-time`);
      return new Date(t).toISOString();
    }
  }
}
