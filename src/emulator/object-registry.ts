// The objects and fields this emulated org has: the org's own definition only (org/source-objects.ts,
// written from Salesforce's describe output), never the product's object metadata, so that an
// end-to-end test catches a product that describes Salesforce wrongly; tests add the custom objects
// and fields a real org would have predefined. Names are case-insensitive in Salesforce, so every
// lookup here is too.

import type { FieldMetadata, FieldType, ObjectMetadata } from './org/metadata.js';

/** A custom object or extra fields, as tests and the admin endpoint describe them. */
export interface ObjectDefinition {
  name: string;
  label?: string;
  keyPrefix?: string;
  /** Field name → definition (without the name), or a list of full definitions. */
  fields?: Record<string, Omit<FieldMetadata, 'name'>> | FieldMetadata[];
}

const FIELD_TYPES: ReadonlySet<FieldType> = new Set<FieldType>([
  'id',
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'boolean',
  'int',
  'double',
  'currency',
  'percent',
  'date',
  'datetime',
  'reference',
  'address',
  'location',
  'base64',
  'time',
  'anyType',
  'combobox',
  'encryptedstring',
  'complexvalue',
]);
const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** What every custom object has without anyone declaring it. */
const CUSTOM_OBJECT_SYSTEM_FIELDS: FieldMetadata[] = [
  { name: 'Id', type: 'id', readOnly: true, idLookup: true },
  { name: 'IsDeleted', type: 'boolean', readOnly: true },
  { name: 'Name', type: 'string', length: 80, idLookup: true },
  { name: 'OwnerId', type: 'reference', referenceTo: ['User', 'Group'], defaultedOnCreate: true, nillable: false },
  { name: 'CreatedDate', type: 'datetime', readOnly: true },
  { name: 'CreatedById', type: 'reference', referenceTo: ['User'], readOnly: true },
  { name: 'LastModifiedDate', type: 'datetime', readOnly: true },
  { name: 'LastModifiedById', type: 'reference', referenceTo: ['User'], readOnly: true },
  { name: 'SystemModstamp', type: 'datetime', readOnly: true },
];

export class ObjectRegistry {
  private readonly objects = new Map<string, ObjectMetadata>();
  private readonly fieldIndex = new Map<string, Map<string, FieldMetadata>>();
  private customPrefixCounter = 0;

  constructor(org: ObjectMetadata[], extra: ObjectDefinition[] = []) {
    for (const meta of org) this.put(meta);
    for (const def of extra) this.define(def);
  }

  /** false for objects SOQL cannot read (Salesforce's Name). */
  isQueryable(objectName: string): boolean {
    return this.get(objectName)?.queryable !== false;
  }

  get(objectName: string): ObjectMetadata | undefined {
    return this.objects.get(objectName.toLowerCase());
  }

  field(objectName: string, fieldName: string): FieldMetadata | undefined {
    return this.fieldIndex.get(objectName.toLowerCase())?.get(fieldName.toLowerCase());
  }

  list(): ObjectMetadata[] {
    return [...this.objects.values()];
  }

  byKeyPrefix(prefix: string): ObjectMetadata | undefined {
    return this.list().find((o) => o.keyPrefix === prefix);
  }

  /** Adds an object, or adds fields to an existing one. Throws on a definition Salesforce could not have. */
  define(def: ObjectDefinition): ObjectMetadata {
    if (!def || typeof def.name !== 'string' || !API_NAME.test(def.name)) {
      throw new Error(`object name must match ${API_NAME}: ${JSON.stringify(def?.name)}`);
    }
    const fields = normaliseFields(def.fields);
    const existing = this.get(def.name);
    if (existing) {
      for (const f of fields) existing.fields[f.name] = f;
      this.put(existing);
      return existing;
    }
    const meta: ObjectMetadata = {
      name: def.name,
      label: def.label ?? def.name,
      keyPrefix: def.keyPrefix ?? this.nextCustomPrefix(),
      fields: {},
    };
    if (!/^[a-zA-Z0-9]{3}$/.test(meta.keyPrefix))
      throw new Error(`keyPrefix must be 3 letters or digits: ${meta.keyPrefix}`);
    if (this.byKeyPrefix(meta.keyPrefix)) throw new Error(`keyPrefix ${meta.keyPrefix} is already used`);
    for (const f of CUSTOM_OBJECT_SYSTEM_FIELDS) meta.fields[f.name] = { ...f };
    for (const f of fields) meta.fields[f.name] = f;
    this.put(meta);
    return meta;
  }

  /** Deletes a custom field (an admin's change): gone from describe, queries and writes. */
  removeField(objectName: string, fieldName: string): FieldMetadata {
    const meta = this.get(objectName);
    const field = this.field(objectName, fieldName);
    if (!meta || !field) throw new Error(`${objectName} has no field ${fieldName}`);
    if (!/__c$/i.test(field.name))
      throw new Error(`${field.name} is a standard field: only custom fields can be deleted`);
    delete meta.fields[field.name];
    this.put(meta);
    return field;
  }

  private put(meta: ObjectMetadata): void {
    this.objects.set(meta.name.toLowerCase(), meta);
    const index = new Map<string, FieldMetadata>();
    for (const [name, f] of Object.entries(meta.fields)) index.set(name.toLowerCase(), { ...f, name });
    this.fieldIndex.set(meta.name.toLowerCase(), index);
  }

  private nextCustomPrefix(): string {
    for (;;) {
      const n = this.customPrefixCounter++;
      const prefix = `a${'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[Math.floor(n / 36) % 36]}${'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[n % 36]}`;
      if (!this.byKeyPrefix(prefix)) return prefix;
    }
  }
}

function normaliseFields(fields: ObjectDefinition['fields']): FieldMetadata[] {
  if (!fields) return [];
  const list: FieldMetadata[] = Array.isArray(fields)
    ? fields.map((f) => ({ ...f }))
    : Object.entries(fields).map(([name, f]) => ({ ...f, name }));
  for (const f of list) {
    if (typeof f.name !== 'string' || !API_NAME.test(f.name))
      throw new Error(`field name must match ${API_NAME}: ${JSON.stringify(f.name)}`);
    if (!FIELD_TYPES.has(f.type)) throw new Error(`field ${f.name}: unknown type ${JSON.stringify(f.type)}`);
    if (f.length === undefined && isTextType(f.type)) f.length = f.type === 'textarea' ? 32768 : 255;
  }
  return list;
}

/** Types whose values are text with a length limit (checked on write, compared as text in SOQL). */
const TEXT_TYPES: ReadonlySet<string> = new Set([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'combobox',
  'encryptedstring',
]);

export function isTextType(type: FieldType): boolean {
  return TEXT_TYPES.has(type);
}
