// How the answer for one planned record becomes each of its operations' outcomes: the Id written,
// and whether it was created (a merged create is created by its first operation; the later ones
// updated the record it made).
import { createdEarlier, type OpOutcome, type Outcome } from '../operation/outcome.js';
import { splitBulkError, type BulkJobRow } from '../plan/bulk-results.js';
import type { PlannedRecord } from '../plan/plan.js';
import type { RecordResult } from '../plan/write-plan.js';
import { classifyRecordErrors } from './classify.js';

export type WriteAnswer = { ok: true; id: string; created: boolean } | { ok: false; outcome: Outcome };

const created = (record: PlannedRecord, reported: boolean | undefined): boolean =>
  record.kind === 'create' ? true : record.kind === 'upsert' ? reported === true : false;

export function collectionAnswer(r: RecordResult | undefined, record: PlannedRecord): WriteAnswer {
  if (!r)
    return { ok: false, outcome: { statusCode: 500, error: 'Salesforce answered without a result for this record' } };
  if (!r.success)
    return {
      ok: false,
      outcome: classifyRecordErrors(r.errors.length > 0 ? r.errors : [{ message: 'record refused without a reason' }]),
    };
  return { ok: true, id: r.id ?? record.id ?? '', created: created(record, r.created) };
}

export function bulkAnswer(row: BulkJobRow, record: PlannedRecord): WriteAnswer {
  if ('outcome' in row) return { ok: false, outcome: row.outcome };
  if (!row.success) {
    const { errorCode, message } = splitBulkError(row.error);
    return { ok: false, outcome: classifyRecordErrors([{ statusCode: errorCode, errorCode, message }]) };
  }
  return { ok: true, id: row.id || record.id || '', created: created(record, row.created) };
}

/** Each operation of the record with its outcome. */
export function recordOutcomes(record: PlannedRecord, answer: WriteAnswer): Array<{ ref: number; outcome: OpOutcome }> {
  return record.refs.map((ref, k) => ({
    ref,
    outcome: !answer.ok
      ? answer.outcome
      : record.skips?.includes(ref)
        ? createdEarlier(record.object, answer.id)
        : { statusCode: 200, result: { object: record.object, id: answer.id, created: k === 0 && answer.created } },
  }));
}

/** A merged write Salesforce refused for good: one of its operations carries a value it refuses. */
export function replaysOperations(record: PlannedRecord, answer: WriteAnswer): boolean {
  return !answer.ok && record.refs.length > 1 && answer.outcome.statusCode === 400;
}
