// Which uploaded row each Bulk API 2.0 result row belongs to. Salesforce returns results in any
// order, with the uploaded columns echoed beside sf__Id / sf__Created / sf__Error, and a job
// cannot carry a column of our own. So a row is found by its key column (Id for update and
// delete, the external id for upsert: unique within a job, record-merge.ts sees to it) and, for
// inserts, by its whole content; identical rows are paired in upload order, which is
// deterministic and, the rows being identical, indistinguishable to anyone.
import { parse } from 'csv-parse/sync';
import type { Outcome } from '../operation/outcome.js';
import type { BulkCsv } from './bulk-csv.js';

export type BulkRowResult =
  { success: true; id: string; created: boolean } | { success: false; id?: string; error: string };

/** Per uploaded row: its result, or the outcome that applies because the job gave none. */
export type BulkJobRow = BulkRowResult | { success: false; outcome: Outcome };

export function parseCsv(text: string): Array<Record<string, string>> {
  if (text.trim() === '') return [];
  return parse<Record<string, string>>(text, {
    columns: true,
    skip_empty_lines: true,
    relax_column_count: true,
    bom: true,
  });
}

/** Turns a result file's rows into results by uploaded row index; rows it cannot place are returned apart. */
export function correlateBulkResults(
  csv: BulkCsv,
  keyColumn: string | undefined,
  successful: Array<Record<string, string>>,
  failed: Array<Record<string, string>>,
): { results: Array<BulkRowResult | undefined>; unplaced: number } {
  // Our own rows, read back by the same parser, so quoting never makes equal content look different.
  const uploaded = parseCsv(csv.text);
  const columns = keyColumn ? [keyColumn] : csv.header;
  const keyOf = (row: Record<string, string>): string => JSON.stringify(columns.map((c) => row[c] ?? ''));
  const waiting = new Map<string, number[]>();
  uploaded.forEach((row, i) => {
    const k = keyOf(row);
    const list = waiting.get(k);
    if (list) list.push(i);
    else waiting.set(k, [i]);
  });
  const results: Array<BulkRowResult | undefined> = uploaded.map(() => undefined);
  let unplaced = 0;
  const place = (row: Record<string, string>, result: BulkRowResult): void => {
    const index = waiting.get(keyOf(row))?.shift();
    if (index === undefined) unplaced++;
    else results[index] = result;
  };
  for (const row of successful) {
    place(row, { success: true, id: row.sf__Id ?? '', created: /^true$/i.test(row.sf__Created ?? '') });
  }
  for (const row of failed) {
    const result: BulkRowResult = { success: false, error: row.sf__Error ?? 'failed without a message' };
    if (row.sf__Id) result.id = row.sf__Id;
    place(row, result);
  }
  return { results, unplaced };
}

/** A Bulk result row's sf__Error, `STRING_TOO_LONG:Last Name: data value too large:LastName --`, read as code and message. */
export { splitErrorCode as splitBulkError } from '../salesforce/error-text.js';
