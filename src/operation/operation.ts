// The plain data type between mapping (pure) and plan/deliver: one Salesforce record operation.
// Its JSON shape is CONTRACT.md's "Operation"; the types are derived from
// schemas/operation.schema.json (src/generated/operation.ts, `npm run schema-types`), so the
// schema and the code cannot drift apart. Change the schema, not these aliases.
import type * as schema from '../generated/operation.js';

/** A value Salesforce can store in a field. `null` clears the field; an absent key leaves it alone. */
export type FieldValue = schema.Value;

/** What a rule asks Salesforce to do with one record. */
export type OperationKind = schema.OperationKind;

export type MatchOperator = schema.MatchOperator;

/** Record matchers: field API name → the value the record must have (null means IS NULL). */
export type Match = schema.Match;

/** Where an update goes when the found record says so (a converted Lead → its Contact). */
export type Follow = schema.Follow;

/** One HTTP request of an operation's delivery, relative to the instance URL. */
export type HttpStep = schema.HttpStep;

/** A trait or property that was deliberately not sent, and why (so a person can act on it). */
export type Skipped = schema.Skipped;

/**
 * An operation as /transform builds it: what the schema accepts, always naming its rule. `http` is
 * there only when asked for (the full answer shape, src/server/answer-shape.ts); /proxy never needs it.
 */
export type Operation = schema.SalesforceRecordOperation & { mapping: string };
