// Salesforce object metadata as data: which fields an object has, their types and limits.
// The shipped descriptions live in mappings/salesforce/objects/*.yaml; the same data drives the
// product (trimming, read-only refusal, mapping checks) and the local emulator (validation).

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  /** A picklist that also takes any text (Task.Subject, Event.Subject). */
  | 'combobox'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'reference';

/** Types whose values are text to Salesforce (SOQL quotes them; comparison ignores case). */
export const TEXT_TYPES: ReadonlySet<FieldType> = new Set([
  'id',
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'combobox',
  'reference',
]);
/** Types whose values are numbers (SOQL writes them bare). */
export const NUMBER_TYPES: ReadonlySet<FieldType> = new Set(['int', 'double', 'currency', 'percent']);
/** Types that hold record Ids (compared on their 15-character case-sensitive core). */
export const ID_TYPES: ReadonlySet<FieldType> = new Set(['id', 'reference']);

export interface FieldMetadata {
  name: string;
  type: FieldType;
  /** Maximum length in characters (string-like types). */
  length?: number;
  /** Salesforce refuses a create without it (and it has no default). */
  requiredOnCreate?: boolean;
  /** System or formula field: Salesforce refuses writes to it. */
  readOnly?: boolean;
  /** Can appear in a SOQL WHERE clause. Defaults to true except for long text. */
  filterable?: boolean;
  /** Marked External ID (or idLookup): usable for native upsert. */
  externalId?: boolean;
  /** For reference fields: the object(s) it points to. */
  referenceTo?: string[];
}

export interface ObjectMetadata {
  name: string;
  label?: string;
  /** The 3-character key prefix of record Ids (00Q for Lead). */
  keyPrefix: string;
  fields: Record<string, FieldMetadata>;
}

export type ObjectCatalog = ReadonlyMap<string, ObjectMetadata>;

/** The type of `field` when `meta` describes it (exact API name), else undefined. */
export function fieldTypeOf(meta: ObjectMetadata | undefined, field: string): FieldType | undefined {
  return meta && Object.hasOwn(meta.fields, field) ? meta.fields[field].type : undefined;
}
