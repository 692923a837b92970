// The Plan: the middle arrow of mapping → plan → deliver as a plain value (schemas/plan.schema.json).
// It says which calls deliver a batch of operations to one org and how each call's answer maps
// back to the operations; deliver/ only sends the calls and reads the answers. Operations are
// referred to by `ref`, their index in the batch's operations taken event by event.
// The types are derived from the schema (src/generated/plan.ts, `npm run schema-types`): change
// the schema, not these aliases.
import type * as schema from '../generated/plan.js';

/** One SOQL lookup (several operations' matchers OR-ed together); paged by deliver. */
export type LookupCall = schema.LookupCall;

/** One record of a write call: what it writes and which operations it answers for. */
export type PlannedRecord = schema.PlannedRecord;

export type BulkOperation = schema.BulkOperation;

export type BulkJobSpec = schema.BulkJobSpec;

/** A write call: its records are in the order of the request's records or the CSV's rows. */
export type WriteCall = schema.WriteCall;

export type Plan = schema.DeliveryPlan;
