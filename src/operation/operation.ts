// The plain data type between mapping (pure) and plan/deliver: one Salesforce record operation.
// Its JSON shape is CONTRACT.md's "Operation" and schemas/operation.schema.json.

/** A value Salesforce can store in a field. `null` clears the field; an absent key leaves it alone. */
export type FieldValue = string | number | boolean | null;

/** What a rule asks Salesforce to do with one record. */
export type OperationKind = 'create' | 'update' | 'upsert' | 'delete';

export type MatchOperator = 'OR' | 'AND';

/** Record matchers: field API name → the value the record must have (null means IS NULL). */
export interface Match {
  operator: MatchOperator;
  fields: Record<string, FieldValue>;
}

/**
 * Where an update goes when the found record says so (a converted Lead → its Contact).
 * `when` is a boolean field of the found record, `idField` holds the target record's Id.
 */
export interface Follow {
  when: string;
  idField: string;
  object: string;
  fields: Record<string, FieldValue>;
}

/** One HTTP request of an operation's delivery, relative to the instance URL. */
export interface HttpStep {
  step: 'lookup' | 'create' | 'update' | 'upsert' | 'delete';
  /** Lookup outcome this step depends on; absent = always. `{Id}` / `{<Field>}` in path are filled from the found record. */
  when?: 'found' | 'notFound' | 'foundConverted';
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: Record<string, FieldValue>;
}

/** A trait or property that was deliberately not sent, and why (so a person can act on it). */
export interface Skipped {
  key: string;
  reason: string;
}

export interface Operation {
  mapping: string;
  object: string;
  operation: OperationKind;
  recordId?: string;
  externalId?: { field: string; value: string };
  match?: Match;
  fields: Record<string, FieldValue>;
  createFields?: Record<string, FieldValue>;
  followConvertedLead?: boolean;
  follow?: Follow;
  /**
   * update/delete found by `match` or `externalId`: "skip" delivers an event whose lookup finds no
   * record as skipped (200, nothing written); absent or "fail" aborts it (400 NOT_FOUND).
   */
  whenNotFound?: 'skip' | 'fail';
  /** The rule asked for Bulk API 2.0 delivery. */
  bulk?: boolean;
  skipped?: Skipped[];
  /** Things the event's sender should know that did not stop it (a matcher value trimmed to fit). */
  warnings?: string[];
  http: HttpStep[];
}
