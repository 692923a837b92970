// Generated from schemas/operation.schema.json by `npm run schema-types` (scripts/schema-types.ts). Do not edit.

/**
 * One operation as POST /transform produces it and POST /proxy takes it (CONTRACT.md "Operation"). Unknown keys are allowed, so producers may extend it.
 */
export type SalesforceRecordOperation = {
  /**
   * The rule that produced it.
   */
  mapping?: string;
  object: Identifier;
  operation: OperationKind;
  recordId?: RecordId;
  externalId?: ExternalId;
  match?: Match;
  fields: FieldMap;
  createFields?: FieldMap;
  followConvertedLead?: boolean;
  follow?: Follow;
  /**
   * update/delete found by match or externalId: skip delivers an event whose lookup finds no record as skipped (200, `skipped` NO_RECORD in the /proxy outcome); absent or fail aborts it (400 NOT_FOUND).
   */
  whenNotFound?: 'skip' | 'fail';
  /**
   * The rule asked for Bulk API 2.0 delivery.
   */
  bulk?: boolean;
  skipped?: Skipped[];
  /**
   * Things the event's sender should know that did not stop it (a matcher value trimmed to fit).
   */
  warnings?: string[];
  http?: HttpStep[];
};
/**
 * A Salesforce API name.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "identifier".
 */
export type Identifier = string;
/**
 * create with match: created only when no record matches, else skipped (`skipped` RECORD_EXISTS with the found Id in the /proxy outcome).
 */
export type OperationKind = 'create' | 'update' | 'upsert' | 'delete';
/**
 * A 15- or 18-character record Id.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "recordId".
 */
export type RecordId = string;
export type MatchOperator = 'OR' | 'AND';
/**
 * A field value; null clears the field.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "value".
 */
export type Value = string | number | boolean | null;

export interface ExternalId {
  field: Identifier;
  value: string;
}
/**
 * Record matchers: field API name → the value the record must have (null means IS NULL).
 */
export interface Match {
  operator: MatchOperator;
  fields: FieldMap;
}
/**
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "fieldMap".
 */
export interface FieldMap {
  [k: string]: Value;
}
/**
 * Where an update goes when the found record says so (a converted Lead → its Contact): `when` is a boolean field of the found record, `idField` holds the target record's Id.
 */
export interface Follow {
  when: Identifier;
  idField: Identifier;
  object: Identifier;
  fields: FieldMap;
}
/**
 * A trait or property that was deliberately not sent, and why (so a person can act on it).
 */
export interface Skipped {
  key: string;
  reason: string;
}
/**
 * One HTTP request of an operation's delivery, relative to the instance URL.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "httpStep".
 */
export interface HttpStep {
  step: 'lookup' | 'create' | 'update' | 'upsert' | 'delete';
  /**
   * Lookup outcome this step depends on; absent = always. `{Id}` / `{<Field>}` in path are filled from the found record.
   */
  when?: 'found' | 'notFound' | 'foundConverted';
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: {
    [k: string]: string;
  };
  body?: FieldMap;
}
