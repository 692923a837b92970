// A Salesforce describe answer (GET /sobjects/{Object}/describe) as the product's object metadata:
// which fields exist, their types and lengths, which ones Salesforce refuses to write. Pure, so the
// same reading serves `sfmap objects pull` (writing an object file) and delivery (learning an org's
// fields at run time).
import { stringify } from 'yaml';
import { isApiName } from './api-names.js';
import type { FieldMetadata, FieldType, ObjectMetadata } from './object-metadata.js';

/** The describe types the product writes as they are. */
const SAME: ReadonlySet<string> = new Set<FieldType>([
  'id',
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'combobox',
  'boolean',
  'int',
  'double',
  'currency',
  'percent',
  'date',
  'datetime',
  'reference',
]);
/** Describe types the product writes as text. */
const AS_TEXT: ReadonlySet<string> = new Set(['encryptedstring', 'time']);

interface DescribeField {
  name?: unknown;
  type?: unknown;
  length?: unknown;
  createable?: unknown;
  updateable?: unknown;
  nillable?: unknown;
  defaultedOnCreate?: unknown;
  filterable?: unknown;
  externalId?: unknown;
  idLookup?: unknown;
  referenceTo?: unknown;
}

export interface DescribedObject {
  meta: ObjectMetadata;
  /** Fields the product cannot write (compound, binary, anyType), each with the reason. */
  left: { field: string; reason: string }[];
}

/** Reads a describe body; throws an Error naming what is wrong when it is not one. */
export function metadataFromDescribe(body: unknown): DescribedObject {
  const d = body as { name?: unknown; label?: unknown; keyPrefix?: unknown; fields?: unknown };
  if (d === null || typeof d !== 'object' || !isApiName(d.name) || !Array.isArray(d.fields)) {
    throw new Error('not a describe answer: it needs name and fields');
  }
  const fields: Record<string, FieldMetadata> = {};
  const left: DescribedObject['left'] = [];
  for (const f of d.fields as DescribeField[]) {
    if (f === null || typeof f !== 'object' || !isApiName(f.name) || typeof f.type !== 'string') continue;
    const name = f.name;
    const type = SAME.has(f.type) ? (f.type as FieldType) : AS_TEXT.has(f.type) ? 'string' : undefined;
    if (!type) {
      left.push({ field: name, reason: `type ${f.type} is not written by the product` });
      continue;
    }
    const field: FieldMetadata = { name, type };
    const length = typeof f.length === 'number' && f.length > 0 ? f.length : undefined;
    if (length !== undefined && type !== 'reference' && type !== 'id' && type !== 'boolean') field.length = length;
    const writable = f.createable === true || f.updateable === true;
    if (!writable) field.readOnly = true;
    if (f.createable === true && f.nillable === false && f.defaultedOnCreate !== true && type !== 'boolean')
      field.requiredOnCreate = true;
    if (f.filterable === false) field.filterable = false;
    if (f.externalId === true || (f.idLookup === true && name !== 'Id')) field.externalId = true;
    if (name === 'Id') field.externalId = true;
    if (Array.isArray(f.referenceTo) && f.referenceTo.length > 0) field.referenceTo = f.referenceTo.filter(isApiName);
    fields[name] = field;
  }
  const keyPrefix = typeof d.keyPrefix === 'string' && /^[A-Za-z0-9]{3}$/.test(d.keyPrefix) ? d.keyPrefix : undefined;
  if (!keyPrefix) throw new Error(`${d.name} has no record key prefix: it cannot be written through the REST API`);
  const meta: ObjectMetadata = { name: d.name, keyPrefix, fields };
  if (typeof d.label === 'string' && d.label !== '') meta.label = d.label;
  return { meta, left };
}

/** The object file's text, in the shipped files' style: one line per field. */
export function objectFileText(described: DescribedObject, source: string): string {
  const { meta, left } = described;
  const header = [
    '# yaml-language-server: $schema=../../../schemas/object.schema.json',
    `# Salesforce object ${meta.name}, written by \`sfmap objects pull\` from ${source}.`,
    ...(left.length > 0
      ? [`# Not listed (the product does not write them): ${left.map((l) => l.field).join(', ')}.`]
      : []),
  ];
  const lines = [`name: ${meta.name}`];
  if (meta.label) lines.push(`label: ${stringify(meta.label).trim()}`);
  lines.push(`keyPrefix: ${stringify(meta.keyPrefix).trim()}`, 'fields:');
  for (const f of Object.values(meta.fields)) {
    const { name, filterable, ...rest } = f;
    const shown: Record<string, unknown> = { ...rest };
    if (filterable === false) shown.filterable = false;
    lines.push(`  ${name}: ${stringify(shown, { collectionStyle: 'flow', lineWidth: 0 }).trim()}`);
  }
  return [...header, ...lines, ''].join('\n');
}
