// What happened to one operation or event, in the words the upstream router acts on (REFERENCE §3,
// CONTRACT "POST /proxy"): 200 delivered, 400 aborted (retrying cannot help), 429 throttled, 500
// retry. The planner decides some outcomes itself (no record matches, several do); deliver/classify.ts
// turns Salesforce's answers into the others.
import type * as schema from '../generated/plan.js';

/** The plan schema's "outcome" (schemas/plan.schema.json): the Plan records the outcomes it decides. */
export type Outcome = schema.Outcome;

/**
 * An operation that wrote nothing on purpose (Segment's sync modes): RECORD_EXISTS — sync mode add
 * found a record with its identifier (`id`), or an earlier event of the batch creates it; NO_RECORD
 * — an update or delete with whenNotFound: skip found no record.
 */
export type Skip = schema.Skip;

/** What one operation wrote. */
export interface WriteResult {
  object: string;
  id: string;
  created: boolean;
  /** Custom fields left out of the write because the org does not have them (unknownFields: drop). */
  droppedFields?: string[];
}

/** One operation's outcome, with what it wrote when it was written. */
export type OpOutcome = Outcome & { result?: WriteResult };

/** A planned skip: delivered (200), nothing written. */
export const skipped = (skip: Skip): Outcome => ({ statusCode: 200, skip });

/** Sync mode add, after an earlier operation of the same write created the record it would add. */
export const createdEarlier = (object: string, id: string): Outcome =>
  skipped({
    object,
    code: 'RECORD_EXISTS',
    id,
    message: `an earlier event of this batch created ${object} ${id} with this identifier; nothing written (sync mode add)`,
  });

/** A lookup found several records where one was expected: nothing is written, and retrying cannot help. */
export function severalMatches(object: string, count: number, where?: string): Outcome {
  return {
    statusCode: 400,
    errorCode: 'MULTIPLE_RECORDS_MATCH',
    error: `${count} ${object} records match${where ? ` ${where}` : ''}; nothing was written`,
  };
}
