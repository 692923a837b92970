// GET /sobjects (describeGlobal) and GET /sobjects/{O}/describe in Salesforce's shapes: the flags a
// source sync decides by (queryable, replicateable, filterable, sortable, calculated, compound
// components, soapType) and the ones a writer needs (createable, updateable, nillable, externalId).

import {
  AUDIT_FIELDS,
  isCreateable,
  isUpdateable,
  labelOf,
  type FieldMetadata,
  type FieldType,
  type ObjectMetadata,
} from './org/metadata.js';

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  combobox: 'xsd:string',
  encryptedstring: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
  base64: 'xsd:base64Binary',
  address: 'urn:address',
  location: 'urn:location',
  anyType: 'xsd:anyType',
  complexvalue: 'tns:ComplexValue',
};

const isCustom = (name: string): boolean => /__[cs]$/.test(name);

function objectUrls(apiVersion: string, o: ObjectMetadata): Record<string, string> {
  const base = `/services/data/v${apiVersion}/sobjects/${o.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

/** The object-level flags shared by describeGlobal and describe. */
export function objectSummary(apiVersion: string, o: ObjectMetadata): Record<string, unknown> {
  const queryable = o.queryable !== false;
  const writable = queryable && o.createable !== false;
  return {
    name: o.name,
    label: o.label ?? o.name,
    labelPlural: o.labelPlural ?? `${o.label ?? o.name}s`,
    keyPrefix: o.keyPrefix === '' ? null : o.keyPrefix,
    custom: isCustom(o.name),
    customSetting: false,
    deprecatedAndHidden: false,
    queryable,
    retrieveable: queryable,
    replicateable: o.replicateable ?? queryable,
    searchable: queryable,
    createable: writable,
    updateable: writable,
    deletable: writable,
    undeletable: writable,
    mergeable: ['Account', 'Contact', 'Lead', 'Case'].includes(o.name),
    layoutable: queryable,
    triggerable: writable,
    feedEnabled: false,
    urls: objectUrls(apiVersion, o),
  };
}

export function describeGlobal(apiVersion: string, objects: ObjectMetadata[]): Record<string, unknown> {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: objects.map((o) => objectSummary(apiVersion, o)) };
}

export function describeSobject(apiVersion: string, o: ObjectMetadata): Record<string, unknown> {
  return {
    ...objectSummary(apiVersion, o),
    fields: Object.values(o.fields).map(describeField),
    childRelationships: [],
    recordTypeInfos: [],
  };
}

function describeField(f: FieldMetadata): Record<string, unknown> {
  const numeric = ['double', 'currency', 'percent'].includes(f.type);
  const compound = f.type === 'address' || f.type === 'location';
  const longText = f.type === 'textarea' && (f.length ?? 0) > 255;
  const filterable = f.filterable ?? !(longText || compound || f.type === 'base64' || f.type === 'anyType');
  const audit = AUDIT_FIELDS.has(f.name);
  return {
    name: f.name,
    label: f.label ?? labelOf(f.name),
    type: f.type,
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    length: f.length ?? 0,
    byteLength: (f.length ?? 0) * 3,
    digits: f.type === 'int' ? 9 : 0,
    precision: numeric ? (f.precision ?? 18) : 0,
    scale: numeric ? (f.scale ?? 2) : 0,
    nillable: f.nillable ?? (!f.requiredOnCreate && f.type !== 'boolean' && !audit),
    createable: isCreateable(f) && !audit,
    updateable: isUpdateable(f) && !audit,
    defaultedOnCreate: audit || f.type === 'boolean' || f.defaultedOnCreate === true,
    filterable,
    sortable: f.sortable ?? (filterable && f.type !== 'multipicklist'),
    groupable: filterable && !numeric && f.type !== 'datetime',
    calculated: f.calculated === true,
    calculatedFormula: f.calculatedFormula ?? null,
    autoNumber: false,
    custom: isCustom(f.name),
    externalId: f.externalId === true && f.name !== 'Id',
    idLookup: f.externalId === true || f.idLookup === true,
    unique: f.unique === true,
    nameField: f.nameField === true,
    htmlFormatted: false,
    deprecatedAndHidden: false,
    compoundFieldName: f.compoundFieldName ?? null,
    referenceTo: f.referenceTo ?? [],
    relationshipName: f.relationshipName ?? null,
    picklistValues: (f.picklistValues ?? []).map((v) => ({
      active: true,
      defaultValue: false,
      label: v,
      validFor: null,
      value: v,
    })),
  };
}
