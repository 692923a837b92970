// Generated from schemas/plan.schema.json by `npm run schema-types` (scripts/schema-types.ts). Do not edit.

/**
 * A Salesforce API name.
 *
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "identifier".
 */
export type Identifier = string;
/**
 * An operation's index in the batch.
 *
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "ref".
 */
export type Ref = number;
/**
 * @minItems 1
 *
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "refs".
 */
export type Refs = Ref[];
/**
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "writeKind".
 */
export type WriteKind = 'create' | 'update' | 'upsert' | 'delete';
/**
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "value".
 */
export type FieldValue = string | number | boolean | null;
/**
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "call".
 */
export type WriteCall =
  | {
      via: 'collections';
      request: PlannedRequest;
      records: Records;
    }
  | {
      via: 'bulk';
      job: BulkJobSpec;
      records: Records;
    }
  | {
      via: 'refused';
      outcome: Outcome;
      records: Records;
    };
/**
 * In event order; the first one creates.
 *
 * @minItems 1
 */
export type Refs1 = Ref[];
/**
 * Refs of sync-mode-add creates merged in: they skip the record the first one creates (RECORD_EXISTS).
 *
 * @minItems 1
 */
export type Refs2 = Ref[];
/**
 * @minItems 1
 *
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "records".
 */
export type Records = PlannedRecord[];
export type BulkOperation = 'insert' | 'update' | 'upsert' | 'delete';

/**
 * The calls that deliver a batch of operations to one org, and how each call's answer maps back to the operations (src/plan/plan.ts). Operations are named by ref: their index in the batch, event by event. Produced by the pure planner (src/plan/delivery-planner.ts) from operations, object metadata and lookup answers; run by src/deliver/execute.ts.
 */
export interface DeliveryPlan {
  apiVersion: string;
  /**
   * Per ref: the index of its event.
   */
  events: number[];
  lookups: LookupCall[];
  decided: {
    ref: Ref;
    outcome: Outcome;
  }[];
  writes: (null | WriteIntent)[];
  waves: WriteCall[][];
  /**
   * Custom fields left out of an operation's write because the org does not have them (describe; destination.Config.unknownFields drop). Absent when none.
   */
  dropped?: {
    ref: Ref;
    object: Identifier;
    /**
     * @minItems 1
     */
    fields: Identifier[];
  }[];
}
/**
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "lookup".
 */
export interface LookupCall {
  object: Identifier;
  soql: string;
  refs: Refs;
}
/**
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "outcome".
 */
export interface Outcome {
  statusCode: 200 | 400 | 429 | 500;
  error?: string;
  errorCode?: string;
  authErrorCategory?: 'REFRESH_TOKEN';
  /**
   * With a 429: when trying again can succeed (an exhausted API budget).
   */
  retryAfterSeconds?: number;
  skip?: Skip;
}
/**
 * With a 200: the operation wrote nothing on purpose. RECORD_EXISTS: sync mode add (a create with match) found its record (`id`), or an earlier operation of the batch creates it. NO_RECORD: an update or delete with whenNotFound: skip found no record.
 *
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "skip".
 */
export interface Skip {
  object: Identifier;
  code: 'RECORD_EXISTS' | 'NO_RECORD';
  id?: string;
  message: string;
}
/**
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "writeIntent".
 */
export interface WriteIntent {
  ref: Ref;
  object: Identifier;
  kind: WriteKind;
  id?: string;
  externalId?: ExternalId;
  fields: FieldMap;
  createFields?: FieldMap;
  /**
   * Creates with the same key make one new record.
   */
  sameNewRecord?: string;
  /**
   * Sync mode add: merged after another create of the same new record, it writes nothing and skips.
   */
  addOnly?: true;
  bulk?: boolean;
}
/**
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "externalId".
 */
export interface ExternalId {
  field: Identifier;
  value: string;
}
/**
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "fieldMap".
 */
export interface FieldMap {
  [k: string]: FieldValue;
}
/**
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "request".
 */
export interface PlannedRequest {
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: {
    [k: string]: string;
  };
  body?: {
    [k: string]: unknown;
  };
}
/**
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "record".
 */
export interface PlannedRecord {
  object: Identifier;
  kind: WriteKind;
  id?: string;
  refs: Refs1;
  skips?: Refs2;
}
export interface BulkJobSpec {
  object: Identifier;
  operation: BulkOperation;
  externalIdFieldName?: Identifier;
  csv: BulkCsv;
}
/**
 * This interface was referenced by `DeliveryPlan`'s JSON-Schema
 * via the `definition` "csv".
 */
export interface BulkCsv {
  /**
   * @minItems 1
   */
  header: string[];
  lines: string[];
  text: string;
  bytes: number;
}
