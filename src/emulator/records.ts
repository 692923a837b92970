// Record writes and reads with Salesforce's rules, shared by every API surface (single REST,
// collections, composite, Bulk) so they all refuse the same things in the same words.

import { type ObjectMetadata, isUpsertKey } from './org/metadata.js';
import { SfApiError, notFound, type SfError } from './errors.js';
import type { ObjectRegistry } from './object-registry.js';
import type { Prng } from './prng.js';
import { isOrgId, orgId18 } from './org/record-ids.js';
import type { FieldValues, RecordStore, StoredRecord } from './store.js';
import { checkRecord, type Deserialised } from './validation.js';
import { sfDatetime } from './datetime.js';

/** Creates and updates of `object` fail when another live record has equal values in all `fields`. */
export interface DuplicateRule {
  object: string;
  fields: string[];
}

/** Updates of `object` records whose boolean `field` is true are refused (a converted Lead). */
export interface LockRule {
  object: string;
  field: string;
  errorCode: string;
  message: string;
}

/** Records whose `field` equals `value` fail with `statusCode` (per-record fault injection). */
export interface RecordFault {
  object?: string;
  field: string;
  value: unknown;
  statusCode: string;
  message?: string;
  /** How many writes it fails before it is used up; default unlimited. */
  times?: number;
}

export const DEFAULT_LOCK_RULES: LockRule[] = [
  {
    object: 'Lead',
    field: 'IsConverted',
    errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD',
    message: 'cannot reference converted lead',
  },
];

/** Upsert by an external id found several records: single REST answers 300, collections a record error. */
export class MultipleMatches extends SfApiError {
  readonly ids: string[];
  constructor(objectName: string, field: string, ids: string[]) {
    super(
      300,
      'DUPLICATE_EXTERNAL_ID',
      `${field}: more than one record found for external id field: [${ids.join(', ')}]`,
      [],
    );
    this.ids = ids;
  }
}

export interface RecordServiceDeps {
  registry: ObjectRegistry;
  store: RecordStore;
  ids: Prng;
  now: () => Date;
  userId: () => string;
  duplicateRules: () => DuplicateRule[];
  lockRules: () => LockRule[];
  recordFaults: () => RecordFault[];
}

export class RecordService {
  private readonly issuedIds = new Set<string>();

  constructor(private readonly deps: RecordServiceDeps) {}

  object(name: string): ObjectMetadata {
    const meta = this.deps.registry.get(name);
    if (!meta) throw notFound(`The requested resource does not exist`);
    return meta;
  }

  newId(keyPrefix: string): string {
    for (;;) {
      const id = orgId18(`${keyPrefix}5g000${this.deps.ids.base62(7)}`);
      if (!this.issuedIds.has(id)) {
        this.issuedIds.add(id);
        return id;
      }
    }
  }

  forgetIssuedIds(): void {
    this.issuedIds.clear();
  }

  /** Finds a record by an Id from a URL or a body: 400 MALFORMED_ID, 404 NOT_FOUND / ENTITY_IS_DELETED. */
  resolve(meta: ObjectMetadata, idText: unknown, opts: { allowDeleted?: boolean } = {}): StoredRecord {
    const id = isOrgId(idText) ? orgId18(idText) : undefined;
    if (!id || id.slice(0, 3) !== meta.keyPrefix) {
      throw new SfApiError(
        400,
        'MALFORMED_ID',
        `${meta.label ?? meta.name} ID: id value of incorrect type: ${String(idText)}`,
        ['Id'],
      );
    }
    const record = this.deps.store.get(meta.name, id);
    if (!record) throw notFound('The requested resource does not exist');
    if (record.IsDeleted && !opts.allowDeleted) throw new SfApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
    return record;
  }

  create(meta: ObjectMetadata, d: Deserialised): StoredRecord {
    if (d.errors.length > 0) throw SfApiError.of(400, d.errors);
    if (d.id !== undefined && d.id !== null && d.id !== '') {
      throw new SfApiError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', 'Record ID: cannot specify Id in an insert call', [
        'Id',
      ]);
    }
    this.refuse(checkRecord(meta, d.values, 'create', this.deps.registry));
    this.refuse(this.faultFor(meta, d.values));
    this.refuse(this.duplicateOf(meta, d.values));
    const record = this.insertRaw(meta, d.values);
    return record;
  }

  update(meta: ObjectMetadata, record: StoredRecord, d: Deserialised): void {
    if (d.errors.length > 0) throw SfApiError.of(400, d.errors);
    for (const rule of this.deps.lockRules()) {
      if (rule.object.toLowerCase() === meta.name.toLowerCase() && record[rule.field] === true) {
        throw new SfApiError(400, rule.errorCode, rule.message, []);
      }
    }
    this.refuse(checkRecord(meta, d.values, 'update', this.deps.registry));
    this.refuse(this.faultFor(meta, { ...record, ...d.values }));
    this.refuse(this.duplicateOf(meta, { ...record, ...d.values }, record.Id));
    this.deps.store.update(meta.name, record, { ...d.values, ...this.modifiedStamp(meta) });
  }

  /** Upsert keyed by an external id field (or Id). */
  upsert(
    meta: ObjectMetadata,
    fieldName: string,
    value: unknown,
    d: Deserialised,
  ): { record: StoredRecord; created: boolean } {
    const field = this.deps.registry.field(meta.name, fieldName);
    if (!field || !isUpsertKey(field)) {
      throw notFound(`Provided external ID field does not exist or is not accessible: ${fieldName}`);
    }
    if (field.name === 'Id') {
      if (value === undefined || value === null || value === '')
        return { record: this.create(meta, { ...d, id: undefined }), created: true };
      const record = this.resolve(meta, value);
      this.update(meta, record, d);
      return { record, created: false };
    }
    if (value === undefined || value === null || value === '') {
      throw new SfApiError(400, 'MISSING_ARGUMENT', `${field.name} not specified`, []);
    }
    const matches = this.deps.store.findLive(meta.name, field.name, value);
    if (matches.length > 1)
      throw new MultipleMatches(
        meta.name,
        field.name,
        matches.map((r) => r.Id),
      );
    if (matches.length === 1) {
      this.update(meta, matches[0], d);
      return { record: matches[0], created: false };
    }
    const values = { ...d.values, [field.name]: typeof value === 'string' ? value : String(value) };
    return { record: this.create(meta, { ...d, values }), created: true };
  }

  delete(meta: ObjectMetadata, record: StoredRecord): void {
    this.refuse(this.faultFor(meta, record));
    this.deps.store.update(meta.name, record, { IsDeleted: true, ...this.modifiedStamp(meta) });
  }

  /** Stores a record as given (seeding): known field names are made canonical, nothing is checked. */
  insertRaw(meta: ObjectMetadata, values: FieldValues): StoredRecord {
    const now = this.stamp();
    const record: StoredRecord = { Id: '', IsDeleted: false };
    for (const f of Object.values(meta.fields)) if (f.type === 'boolean') record[f.name] = false;
    if (meta.fields.OwnerId) record.OwnerId = this.deps.userId();
    for (const name of ['CreatedDate', 'LastModifiedDate', 'SystemModstamp']) if (meta.fields[name]) record[name] = now;
    for (const name of ['CreatedById', 'LastModifiedById']) if (meta.fields[name]) record[name] = this.deps.userId();
    for (const [key, v] of Object.entries(values)) {
      if (key === 'attributes') continue;
      record[this.deps.registry.field(meta.name, key)?.name ?? key] = v;
    }
    const given = isOrgId(record.Id) ? orgId18(record.Id) : undefined;
    record.Id = given ?? this.newId(meta.keyPrefix);
    if (given) this.issuedIds.add(given);
    record.IsDeleted = record.IsDeleted === true;
    this.deps.store.insert(meta.name, record);
    return record;
  }

  /** The REST representation: attributes, Id, then the requested (or all) fields, null when unset. */
  present(meta: ObjectMetadata, record: StoredRecord, apiVersion: string, fields?: string[]): Record<string, unknown> {
    const names = fields ?? Object.keys(meta.fields);
    const out: Record<string, unknown> = {
      attributes: { type: meta.name, url: `/services/data/v${apiVersion}/sobjects/${meta.name}/${record.Id}` },
    };
    for (const name of names) {
      const field = this.deps.registry.field(meta.name, name);
      const canonical = field?.name ?? name;
      if (field?.type === 'address' || field?.type === 'location') {
        out[canonical] = compoundValue(meta, record, canonical, field.type);
      } else if (field?.type === 'base64' && record[canonical] !== null && record[canonical] !== undefined) {
        // REST answers a blob's URL, not its bytes (GET that URL for them).
        out[canonical] = `/services/data/v${apiVersion}/sobjects/${meta.name}/${record.Id}/${canonical}`;
      } else {
        out[canonical] = record[canonical] ?? null;
      }
    }
    return out;
  }

  private refuse(errors: SfError[]): void {
    if (errors.length > 0) throw SfApiError.of(400, errors);
  }

  private faultFor(meta: ObjectMetadata, values: FieldValues): SfError[] {
    for (const fault of this.deps.recordFaults()) {
      if (fault.times !== undefined && fault.times <= 0) continue;
      if (fault.object && fault.object.toLowerCase() !== meta.name.toLowerCase()) continue;
      const field = this.deps.registry.field(meta.name, fault.field)?.name ?? fault.field;
      if (!sameValue(values[field], fault.value)) continue;
      if (fault.times !== undefined) fault.times--;
      return [
        {
          errorCode: fault.statusCode,
          message: fault.message ?? defaultFaultMessage(fault.statusCode, field),
          fields: [],
        },
      ];
    }
    return [];
  }

  private duplicateOf(meta: ObjectMetadata, values: FieldValues, selfId?: string): SfError[] {
    for (const rule of this.deps.duplicateRules()) {
      if (rule.object.toLowerCase() !== meta.name.toLowerCase()) continue;
      const keys = rule.fields.map((f) => this.deps.registry.field(meta.name, f)?.name ?? f);
      if (keys.some((k) => values[k] === undefined || values[k] === null || values[k] === '')) continue;
      const clash = this.deps.store
        .findLive(meta.name, keys[0], values[keys[0]])
        .some((r) => r.Id !== selfId && keys.every((k) => sameValue(r[k], values[k])));
      if (clash) return [{ errorCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?', fields: [] }];
    }
    return [];
  }

  private stamp(): string {
    return sfDatetime(this.deps.now());
  }

  private modifiedStamp(meta: ObjectMetadata): FieldValues {
    const out: FieldValues = {};
    if (meta.fields.LastModifiedDate) out.LastModifiedDate = this.stamp();
    if (meta.fields.SystemModstamp) out.SystemModstamp = this.stamp();
    if (meta.fields.LastModifiedById) out.LastModifiedById = this.deps.userId();
    return out;
  }
}

/** Salesforce compares text case-insensitively (Email, external ids); other values by their text. */
function sameValue(stored: unknown, wanted: unknown): boolean {
  if (stored === undefined || stored === null) return wanted === null || wanted === undefined;
  if (wanted === undefined || wanted === null) return false;
  return String(stored).toLowerCase() === String(wanted).toLowerCase();
}

function defaultFaultMessage(statusCode: string, field: string): string {
  switch (statusCode) {
    case 'UNABLE_TO_LOCK_ROW':
      return 'unable to obtain exclusive access to this record or 1 records';
    case 'DUPLICATES_DETECTED':
      return 'Use one of these records?';
    case 'STRING_TOO_LONG':
      return `${field}: data value too large (max length=80)`;
    case 'REQUIRED_FIELD_MISSING':
      return `Required fields are missing: [${field}]`;
    default:
      return `${statusCode} (injected)`;
  }
}

/** Component name endings → the keys of Salesforce's compound address / location JSON. */
const COMPOUND_KEYS: [string, string][] = [
  ['Street', 'street'],
  ['City', 'city'],
  ['State', 'state'],
  ['PostalCode', 'postalCode'],
  ['Country', 'country'],
  ['GeocodeAccuracy', 'geocodeAccuracy'],
  ['Latitude', 'latitude'],
  ['Longitude', 'longitude'],
  ['__Latitude__s', 'latitude'],
  ['__Longitude__s', 'longitude'],
];

/** An address or location read through REST: one object from its components, null when all are empty. */
function compoundValue(
  meta: ObjectMetadata,
  record: StoredRecord,
  compound: string,
  type: string,
): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const f of Object.values(meta.fields)) {
    if (f.compoundFieldName !== compound) continue;
    const key = COMPOUND_KEYS.find(([suffix]) => f.name.endsWith(suffix))?.[1];
    if (!key) continue;
    const v = record[f.name] ?? null;
    if (v !== null) any = true;
    out[key] = v;
  }
  if (!any) return null;
  return type === 'location' ? { latitude: out.latitude ?? null, longitude: out.longitude ?? null } : out;
}
