// A compact notation for the org's field lists, so 49 objects fit on a few screens and read like a
// describe summary. One field per line: `Name type [flags]`.
//   types   string(80) textarea(32000) picklist[A|B] multipicklist[A|B] combobox(255) ref(User|Group)
//           address(Billing) location(Geo) boolean int date datetime email phone url base64 time
//           anyType encryptedstring; double, currency and percent take (precision,scale), else 18,2
//   flags   what describe says, as one word each:
//           ro (neither createable nor updateable) · createonly (createable, not updateable) ·
//           updateonly (updateable, not createable) · req (createable, not nillable, not defaulted
//           on create: a create without it is refused) · dflt (not nillable, defaulted on create) ·
//           nofilter · nosort · ext (External ID) · idlookup · unique · name (the name field)
//           len="40" (a length other than the type's default, e.g. a picklist's)
//           calc="formula" (a formula field: read-only, calculated)
// `address(P)` adds P+Street, P+City, P+State, P+PostalCode, P+Country, P+Latitude, P+Longitude,
// P+GeocodeAccuracy and the compound field itself (`PAddress`, or `Address` for an empty prefix);
// `location(X__c)` adds X__Latitude__s and X__Longitude__s and the compound X__c.

import type { FieldMetadata, FieldType } from './metadata.js';

const SIMPLE: ReadonlySet<string> = new Set([
  'boolean',
  'int',
  'double',
  'currency',
  'percent',
  'date',
  'datetime',
  'email',
  'phone',
  'url',
  'base64',
  'time',
  'anyType',
  'encryptedstring',
  'id',
]);
/** Types with a precision and scale, written `currency(18,0)`; without one, 18,2. */
const NUMBER_TYPES: ReadonlySet<string> = new Set(['double', 'currency', 'percent']);
/** The flags a field line may carry (see the top of this file). */
const FLAGS: ReadonlySet<string> = new Set([
  'ro',
  'createonly',
  'updateonly',
  'req',
  'dflt',
  'nofilter',
  'nosort',
  'ext',
  'idlookup',
  'unique',
  'name',
  'calc',
  'len',
]);
/** Default lengths Salesforce reports for the types that have one. */
const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = { email: 80, phone: 40, url: 255, encryptedstring: 175 };

export function parseFieldSpec(spec: string, where: string): FieldMetadata[] {
  const out: FieldMetadata[] = [];
  for (const raw of spec.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const m =
      /^([A-Za-z_][A-Za-z0-9_]*)\s+([A-Za-z][A-Za-z0-9]*)(?:\(([^)]*)\)|\[([^\]]*)\])?((?:\s+[a-z]+(?:="[^"]*")?)*)\s*$/.exec(
        line,
      );
    if (!m) throw new Error(`${where}: cannot read field line "${line}"`);
    const [, name, type, arg, values, flagText] = m;
    const flags = new Map<string, string>();
    for (const f of flagText.matchAll(/([a-z]+)(?:="([^"]*)")?/g)) flags.set(f[1], f[2] ?? '');
    const common = (f: FieldMetadata): FieldMetadata => applyFlags(f, flags);
    switch (type) {
      case 'string':
      case 'textarea':
      case 'combobox':
        out.push(
          common({
            name,
            type,
            length: Number(arg ?? (type === 'textarea' ? 32000 : 255)),
            ...(type === 'textarea' && Number(arg ?? 32000) > 255 ? { filterable: false, sortable: false } : {}),
          }),
        );
        break;
      case 'picklist':
      case 'multipicklist':
        out.push(
          common({
            name,
            type,
            length: 255,
            picklistValues: (values ?? '').split('|').filter((v) => v !== ''),
            ...(type === 'multipicklist' ? { sortable: false } : {}),
          }),
        );
        break;
      case 'ref':
        out.push(
          common({
            name,
            type: 'reference',
            length: 18,
            referenceTo: (arg ?? '').split('|'),
            relationshipName: name.endsWith('Id') ? name.slice(0, -2) : name.replace(/__c$/, '__r'),
          }),
        );
        break;
      case 'address':
        out.push(...addressFields(arg ?? '', flags));
        break;
      case 'location':
        out.push(...locationFields(name, flags));
        break;
      default:
        if (!SIMPLE.has(type)) throw new Error(`${where}: field ${name}: unknown type ${type}`);
        out.push(
          common({
            name,
            type: type as FieldType,
            ...(DEFAULT_LENGTH[type as FieldType] ? { length: DEFAULT_LENGTH[type as FieldType] } : {}),
            ...(NUMBER_TYPES.has(type) ? precisionOf(arg, `${where}: field ${name}`) : {}),
            ...(type === 'base64' || type === 'anyType' ? { filterable: false, sortable: false } : {}),
          }),
        );
    }
  }
  return out;
}

function precisionOf(arg: string | undefined, where: string): { precision: number; scale: number } {
  if (arg === undefined) return { precision: 18, scale: 2 };
  const m = /^(\d+),(\d+)$/.exec(arg);
  if (!m) throw new Error(`${where}: precision must be written (precision,scale), not (${arg})`);
  return { precision: Number(m[1]), scale: Number(m[2]) };
}

function applyFlags(f: FieldMetadata, flags: Map<string, string>): FieldMetadata {
  for (const k of flags.keys()) if (!FLAGS.has(k)) throw new Error(`field ${f.name}: unknown flag ${k}`);
  if (flags.has('ro')) f.readOnly = true;
  if (flags.has('createonly')) f.createOnly = true;
  if (flags.has('updateonly')) f.updateOnly = true;
  if (flags.has('req')) f.requiredOnCreate = true;
  if (flags.has('dflt')) {
    f.defaultedOnCreate = true;
    f.nillable = false;
  }
  if (flags.has('idlookup')) f.idLookup = true;
  if (flags.has('nofilter')) f.filterable = false;
  if (flags.has('nosort')) f.sortable = false;
  if (flags.has('ext')) f.externalId = true;
  if (flags.has('unique')) f.unique = true;
  if (flags.has('name')) f.nameField = true;
  if (flags.has('len')) f.length = Number(flags.get('len'));
  if (flags.has('calc')) {
    f.calculated = true;
    f.calculatedFormula = flags.get('calc');
    f.readOnly = true;
  }
  if ([f.readOnly, f.createOnly, f.updateOnly].filter(Boolean).length > 1)
    throw new Error(`field ${f.name}: ro, createonly and updateonly exclude each other`);
  if (f.requiredOnCreate && (f.readOnly || f.updateOnly || f.defaultedOnCreate))
    throw new Error(`field ${f.name}: req needs a createable field without a default`);
  return f;
}

function addressFields(prefix: string, flags: Map<string, string>): FieldMetadata[] {
  const compound = `${prefix}Address`;
  const part = (suffix: string, f: Omit<FieldMetadata, 'name'>): FieldMetadata =>
    applyFlags({ name: `${prefix}${suffix}`, compoundFieldName: compound, ...f }, flags);
  return [
    part('Street', { type: 'textarea', length: 255 }),
    part('City', { type: 'string', length: 40 }),
    part('State', { type: 'string', length: 80 }),
    part('PostalCode', { type: 'string', length: 20 }),
    part('Country', { type: 'string', length: 80 }),
    part('Latitude', { type: 'double', precision: 18, scale: 15 }),
    part('Longitude', { type: 'double', precision: 18, scale: 15 }),
    part('GeocodeAccuracy', {
      type: 'picklist',
      length: 40,
      picklistValues: [
        'Address',
        'NearAddress',
        'Block',
        'Street',
        'ExtendedZip',
        'Zip',
        'City',
        'County',
        'State',
        'Unknown',
      ],
    }),
    { name: compound, type: 'address', readOnly: true, filterable: false, sortable: false },
  ];
}

function locationFields(name: string, flags: Map<string, string>): FieldMetadata[] {
  const base = name.replace(/__c$/, '');
  return [
    applyFlags(
      { name: `${base}__Latitude__s`, type: 'double', precision: 18, scale: 15, compoundFieldName: name },
      flags,
    ),
    applyFlags(
      { name: `${base}__Longitude__s`, type: 'double', precision: 18, scale: 15, compoundFieldName: name },
      flags,
    ),
    { name, type: 'location', readOnly: true, filterable: false, sortable: false },
  ];
}
