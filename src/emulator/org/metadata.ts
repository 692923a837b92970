// The emulated org's own view of objects and fields: the product's metadata shape plus what a
// real describe tells a source sync (compound and binary types, formulas, sortable/queryable
// flags, picklist values). Wider than the product's types on purpose: the org may have types the
// product has never seen, and the product must cope with them.

import type * as product from '../../salesforce/object-metadata.js';

export type FieldType =
  | product.FieldType
  /** Compound fields: read as one JSON object through REST, refused by Bulk queries. */
  | 'address'
  | 'location'
  /** Binary: a query answers the blob's URL; Bulk queries refuse it. */
  | 'base64'
  | 'time'
  | 'anyType'
  | 'combobox'
  | 'encryptedstring'
  | 'complexvalue';

export interface FieldMetadata extends Omit<product.FieldMetadata, 'type'> {
  type: FieldType;
  label?: string;
  /** Formula field (read-only; a formula change does not move SystemModstamp). */
  calculated?: boolean;
  calculatedFormula?: string;
  /** Can appear in ORDER BY (default true except long text, compound and binary fields). */
  sortable?: boolean;
  picklistValues?: string[];
  /** For a component of a compound field: the compound's name (BillingCity → BillingAddress). */
  compoundFieldName?: string;
  relationshipName?: string;
  nillable?: boolean;
  precision?: number;
  scale?: number;
  unique?: boolean;
  nameField?: boolean;
}

export interface ObjectMetadata extends Omit<product.ObjectMetadata, 'fields'> {
  labelPlural?: string;
  /** false for objects SOQL cannot read (Name). Default true. */
  queryable?: boolean;
  /** false for objects that getUpdated/getDeleted cannot replicate. Default: queryable. */
  replicateable?: boolean;
  createable?: boolean;
  fields: Record<string, FieldMetadata>;
}

/** A label from an API name: "LastModifiedDate" → "Last Modified Date", "Customer_Tier__c" → "Customer Tier". */
export function labelOf(apiName: string): string {
  return apiName
    .replace(/__[cs]$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .trim();
}
