// The emulated org's own view of objects and fields, in the shape of Salesforce's describe: what a
// write may set (createable, updateable, required on create), what a source sync meets (compound
// and binary types, formulas, sortable/queryable flags, picklist values). Deliberately its own
// types, not the product's (src/salesforce/object-metadata.ts): the org must be able to disagree
// with the product's description, and may have types the product has never seen.

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'reference'
  /** Compound fields: read as one JSON object through REST, refused by Bulk queries. */
  | 'address'
  | 'location'
  /** Binary: a query answers the blob's URL; Bulk queries refuse it. */
  | 'base64'
  | 'time'
  | 'anyType'
  | 'encryptedstring'
  | 'complexvalue';

export interface FieldMetadata {
  name: string;
  type: FieldType;
  label?: string;
  /** Maximum length in characters (text-like types). */
  length?: number;
  precision?: number;
  scale?: number;
  /** Neither createable nor updateable: system, formula and audit fields. */
  readOnly?: boolean;
  /** Createable, not updateable (a junction's parent Id, CampaignMember.CampaignId). */
  createOnly?: boolean;
  /** Updateable, not createable (Lead.EmailBouncedDate). */
  updateOnly?: boolean;
  /** Createable, not nillable and not defaulted on create: a create without it is refused. */
  requiredOnCreate?: boolean;
  /** Salesforce fills it when a create leaves it out (Lead.Status, OwnerId). */
  defaultedOnCreate?: boolean;
  /** false for fields that can never be null; default: nillable unless boolean or required. */
  nillable?: boolean;
  /** Can appear in a SOQL WHERE clause. Default true except long text, compound and binary fields. */
  filterable?: boolean;
  /** Marked External ID. */
  externalId?: boolean;
  /** A standard field usable to find a record in an upsert (Id, Lead.Email, Case.CaseNumber). */
  idLookup?: boolean;
  referenceTo?: string[];
  /** Formula field (read-only; a formula change does not move SystemModstamp). */
  calculated?: boolean;
  calculatedFormula?: string;
  /** Can appear in ORDER BY (default true except long text, compound and binary fields). */
  sortable?: boolean;
  picklistValues?: string[];
  /** For a component of a compound field: the compound's name (BillingCity → BillingAddress). */
  compoundFieldName?: string;
  relationshipName?: string;
  unique?: boolean;
  nameField?: boolean;
}

/**
 * A field a create must give unless a condition holds, beyond what describe's nillable says:
 * Salesforce refuses a timed Event without ActivityDateTime ("REQUIRED_FIELD_MISSING: Required
 * fields are missing: [ActivityDateTime]", as recorded in jsforce issue #217), though its describe
 * calls the field nillable because an all-day event needs none.
 */
export interface CreateRequirement {
  /** The field reported missing. */
  field: string;
  /** Fields any of which, given instead, satisfy it (StartDateTime for ActivityDateTime). */
  or?: string[];
  /** The requirement does not apply when this boolean field is true (IsAllDayEvent). */
  unlessTrue?: string;
}

export interface ObjectMetadata {
  name: string;
  label?: string;
  /** The 3-character key prefix of record Ids ('' for objects without records of their own). */
  keyPrefix: string;
  labelPlural?: string;
  /** false for objects SOQL cannot read (Name). Default true. */
  queryable?: boolean;
  /** false for objects that getUpdated/getDeleted cannot replicate. Default: queryable. */
  replicateable?: boolean;
  createable?: boolean;
  /** Requirements on create that depend on other fields (Event's start and length). */
  createRequires?: CreateRequirement[];
  fields: Record<string, FieldMetadata>;
}

/** Whether a create may set the field. */
export function isCreateable(f: FieldMetadata): boolean {
  return f.readOnly !== true && f.updateOnly !== true;
}

/** Whether an update may set the field. */
export function isUpdateable(f: FieldMetadata): boolean {
  return f.readOnly !== true && f.createOnly !== true;
}

/**
 * Whether an upsert may name the field as its key: an External ID, or (SOAP API upsert(): "on
 * standard objects, this call can use the name of any field with the idLookup") an idLookup field.
 */
export function isUpsertKey(f: FieldMetadata): boolean {
  return f.externalId === true || f.idLookup === true;
}

/** A label from an API name: "LastModifiedDate" → "Last Modified Date", "Customer_Tier__c" → "Customer Tier". */
export function labelOf(apiName: string): string {
  return apiName
    .replace(/__[cs]$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .trim();
}

/** System fields Salesforce fills itself: never createable, always defaulted, never edited by a user. */
export const AUDIT_FIELDS: ReadonlySet<string> = new Set([
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
]);
