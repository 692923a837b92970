// Salesforce field types (as describe reports them) → the warehouse's column types. One table, so
// every adapter agrees; the adapters only spell these six types in their dialect.

export type ColumnType = 'text' | 'bigint' | 'numeric' | 'boolean' | 'date' | 'timestamptz';

/**
 * Every field type describe is documented to return. Compound fields (address, location) are left
 * out on purpose: their components (BillingStreet, BillingCity, …) are fields of their own, and Bulk
 * queries refuse the compound names.
 */
const FIELD_TYPE_COLUMNS: Readonly<Record<string, ColumnType>> = {
  id: 'text',
  reference: 'text',
  string: 'text',
  textarea: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  picklist: 'text',
  multipicklist: 'text',
  combobox: 'text',
  encryptedstring: 'text',
  anyType: 'text',
  time: 'text',
  base64: 'text',
  datacategorygroupreference: 'text',
  json: 'text',
  boolean: 'boolean',
  int: 'bigint',
  long: 'bigint',
  double: 'numeric',
  currency: 'numeric',
  percent: 'numeric',
  date: 'date',
  datetime: 'timestamptz',
};

/** Compound types: never selected, their components are. */
export const COMPOUND_FIELD_TYPES: ReadonlySet<string> = new Set(['address', 'location']);

/** The column type for a describe field type, or undefined for a type this product has never seen. */
export function columnTypeOf(fieldType: string): ColumnType | undefined {
  return Object.hasOwn(FIELD_TYPE_COLUMNS, fieldType) ? FIELD_TYPE_COLUMNS[fieldType] : undefined;
}
