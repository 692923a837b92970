// The Plan: the middle arrow of mapping → plan → deliver as a plain value (schemas/plan.schema.json).
// It says which calls deliver a batch of operations to one org and how each call's answer maps
// back to the operations; deliver/ only sends the calls and reads the answers. Operations are
// referred to by `ref`, their index in the batch's operations taken event by event.
import type { Outcome } from '../operation/outcome.js';
import type { BulkCsv } from './bulk-csv.js';
import type { WriteIntent, WriteKind } from './record-merge.js';
import type { PlannedRequest } from './write-plan.js';

/** One SOQL lookup (several operations' matchers OR-ed together); paged by deliver. */
export interface LookupCall {
  object: string;
  soql: string;
  /** The operations whose record this query finds. */
  refs: number[];
}

/** One record of a write call: what it writes and which operations it answers for. */
export interface PlannedRecord {
  object: string;
  kind: WriteKind;
  /** update/delete: the record (also the answer's Id when Salesforce gives none). */
  id?: string;
  /** The operations merged into this record, in event order; the first one is the one that creates. */
  refs: number[];
  /** Refs of sync-mode-add operations merged in: they skip the record the first one creates. */
  skips?: number[];
}

export type BulkOperation = 'insert' | 'update' | 'upsert' | 'delete';

export interface BulkJobSpec {
  object: string;
  operation: BulkOperation;
  externalIdFieldName?: string;
  csv: BulkCsv;
}

/** A write call: its records are in the order of the request's records or the CSV's rows. */
export type WriteCall =
  | { via: 'collections'; request: PlannedRequest; records: PlannedRecord[] }
  | { via: 'bulk'; job: BulkJobSpec; records: PlannedRecord[] }
  /** Nothing can be sent (a CSV Salesforce would refuse): every record gets `outcome`. */
  | { via: 'refused'; outcome: Outcome; records: PlannedRecord[] };

export interface Plan {
  apiVersion: string;
  /** Per operation ref: the index of its event. */
  events: number[];
  lookups: LookupCall[];
  /** Outcomes settled without a write (refused lookups, no or several matches, events not sent). */
  decided: Array<{ ref: number; outcome: Outcome }>;
  /** Per operation ref: the write it asks for once its lookup is answered, or null. Replays start from these. */
  writes: Array<WriteIntent | null>;
  /** Write calls in waves: every call of a wave may run at once; a wave starts when the previous one ended. */
  waves: WriteCall[][];
  /** Custom fields left out of an operation's write because the org does not have them (absent when none). */
  dropped?: Array<{ ref: number; object: string; fields: string[] }>;
}
