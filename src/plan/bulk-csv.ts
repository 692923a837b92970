// The CSV of a Bulk API 2.0 ingest job. Built here rather than by a client library because the
// peers' writers lose data: a header taken from the first record drops later records' fields, and a
// `#N/A` in every missing cell clears fields on update. Here the header is the union of all records'
// fields, a missing cell stays empty (Salesforce: leave unchanged) and only an explicit null (or
// empty string, which Salesforce stores as null anyway) becomes `#N/A` (set to null).
import type * as schema from '../generated/plan.js';
import type { FieldValue } from '../operation/operation.js';

export type CsvRecord = Readonly<Record<string, FieldValue | undefined>>;

export class BulkCsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BulkCsvError';
  }
}

/** header + one line per record (same order, no trailing LF) + the whole text, LF endings (plan schema "csv"). */
export type BulkCsv = schema.BulkCsv;

/** `leading` columns come first (Id, the external id field) so a person reading the file finds the key. */
function csvHeader(records: readonly CsvRecord[], leading: readonly string[] = []): string[] {
  const header: string[] = [];
  // Salesforce field names are case-insensitive: `Email` and `email` would be two columns for one
  // field, and the job would fail (or, worse, one would silently win). Refuse before a job exists.
  const seen = new Map<string, string>();
  const add = (name: string): void => {
    const folded = name.toLowerCase();
    const before = seen.get(folded);
    if (before === undefined) {
      seen.set(folded, name);
      header.push(name);
    } else if (before !== name) {
      throw new BulkCsvError(`fields "${before}" and "${name}" name the same Salesforce field`);
    }
  };
  for (const name of leading) add(name);
  for (const record of records) for (const name of Object.keys(record)) if (record[name] !== undefined) add(name);
  return header;
}

function csvCell(value: FieldValue | undefined): string {
  if (value === undefined) return '';
  if (value === null || value === '') return '#N/A';
  const text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new BulkCsvError(`${text} cannot be written to Salesforce`);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(header: readonly string[], record: CsvRecord): string {
  return header.map((name) => csvCell(record[name])).join(',');
}

export function buildBulkCsv(records: readonly CsvRecord[], leading: readonly string[] = []): BulkCsv {
  const header = csvHeader(records, leading);
  if (header.length === 0) throw new BulkCsvError('no field to write');
  const lines = records.map((r) => csvLine(header, r));
  const text = `${header.map((h) => csvCell(h)).join(',')}\n${lines.map((l) => `${l}\n`).join('')}`;
  return { header, lines, text, bytes: Buffer.byteLength(text, 'utf8') };
}
