// sObject Collections: up to 200 records per call, one API call for all of them. Reading the body
// (unknown object, unknown field, JSON types) fails the whole request like Salesforce; each record's
// own problems fail that record only, with `statusCode` (not `errorCode`) in its errors.

import { isOrgId, orgId18 } from './org/record-ids.js';
import { type ObjectMetadata, isUpsertKey } from './org/metadata.js';
import { jsonObject, type ApiRequest, type ApiResponse } from './api-types.js';
import { SfApiError, type RecordError } from './errors.js';
import { MultipleMatches } from './records.js';
import type { EmulatorState } from './state.js';
import type { StoredRecord } from './store.js';
import { deserialise, type Deserialised } from './validation.js';

export const COLLECTION_LIMIT = 200;

export interface CollectionResult {
  id?: string;
  success: boolean;
  errors: RecordError[];
  created?: boolean;
}

const ROLLED_BACK: RecordError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

function tooMany(): SfApiError {
  return new SfApiError(
    400,
    'EXCEEDED_ID_LIMIT',
    `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`,
  );
}

interface ParsedRecord {
  meta: ObjectMetadata;
  d: Deserialised;
}

function readRecords(
  state: EmulatorState,
  req: ApiRequest,
  defaultObject?: ObjectMetadata,
): { allOrNone: boolean; records: ParsedRecord[] } {
  const body = jsonObject(req);
  if (!Array.isArray(body.records))
    throw new SfApiError(400, 'INVALID_FIELD', "Required field 'records' is missing or is not a list");
  if (body.records.length > COLLECTION_LIMIT) throw tooMany();
  const records = body.records.map((raw: unknown): ParsedRecord => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new SfApiError(
        400,
        'JSON_PARSER_ERROR',
        'Cannot deserialize instance of sObject from a non-object JSON value',
      );
    }
    const attributes = (raw as { attributes?: { type?: unknown } }).attributes;
    const type = attributes?.type ?? defaultObject?.name;
    if (typeof type !== 'string') throw new SfApiError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
    const meta = state.registry.get(type);
    if (!meta) throw new SfApiError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`);
    return { meta, d: deserialise(state.registry, meta, raw as Record<string, unknown>, 'json') };
  });
  return { allOrNone: body.allOrNone === true, records };
}

/** Runs one closure per record; with allOrNone any failure undoes all and marks the others rolled back. */
export function runAll<T>(
  state: EmulatorState,
  allOrNone: boolean,
  items: T[],
  each: (item: T) => CollectionResult,
): CollectionResult[] {
  return state.store.atomically(() => {
    const results = items.map((item) => {
      try {
        return each(item);
      } catch (e) {
        if (e instanceof SfApiError) return { success: false, errors: e.toRecordErrors() };
        throw e;
      }
    });
    const failed = results.some((r) => !r.success);
    if (!allOrNone || !failed) return { result: results, commit: true };
    return { result: results.map((r) => (r.success ? { success: false, errors: [ROLLED_BACK] } : r)), commit: false };
  });
}

export function createCollection(state: EmulatorState, req: ApiRequest): ApiResponse {
  const { allOrNone, records } = readRecords(state, req);
  const results = runAll(state, allOrNone, records, ({ meta, d }) => {
    const record = state.records.create(meta, d);
    return { id: record.Id, success: true, errors: [] };
  });
  return { status: 200, body: results };
}

export function updateCollection(state: EmulatorState, req: ApiRequest): ApiResponse {
  const { allOrNone, records } = readRecords(state, req);
  const results = runAll(state, allOrNone, records, ({ meta, d }) => {
    if (d.id === undefined || d.id === null || d.id === '') {
      throw new SfApiError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', []);
    }
    const id = String(d.id);
    try {
      const record = collectionTarget(state, meta, id);
      state.records.update(meta, record, d);
      return { id: record.Id, success: true, errors: [] };
    } catch (e) {
      if (e instanceof SfApiError)
        return { id: isOrgId(id) ? orgId18(id) : id, success: false, errors: e.toRecordErrors() };
      throw e;
    }
  });
  return { status: 200, body: results };
}

export function upsertCollection(
  state: EmulatorState,
  req: ApiRequest,
  meta: ObjectMetadata,
  fieldName: string,
): ApiResponse {
  const field = state.registry.field(meta.name, fieldName);
  if (!field || !isUpsertKey(field))
    throw new SfApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${fieldName}`,
    );
  const { allOrNone, records } = readRecords(state, req, meta);
  const results = runAll(state, allOrNone, records, ({ meta: recordMeta, d }) => {
    if (recordMeta.name !== meta.name)
      throw new SfApiError(400, 'INVALID_TYPE', `Record type ${recordMeta.name} does not match ${meta.name}`, []);
    const value = field.name === 'Id' ? d.id : d.values[field.name];
    if (field.name !== 'Id' && (value === undefined || value === null || value === '')) {
      throw new SfApiError(400, 'MISSING_ARGUMENT', `${field.name} not specified`, []);
    }
    try {
      const { record, created } = state.records.upsert(meta, field.name, value, d);
      return { id: record.Id, success: true, errors: [], created };
    } catch (e) {
      if (e instanceof MultipleMatches) return { success: false, errors: e.toRecordErrors() };
      throw e;
    }
  });
  return { status: 200, body: results };
}

export function deleteCollection(state: EmulatorState, req: ApiRequest): ApiResponse {
  const ids = idsParam(req);
  const allOrNone = req.query.get('allOrNone') === 'true';
  const results = runAll(state, allOrNone, ids, (id) => {
    try {
      const meta = isOrgId(id) ? state.registry.byKeyPrefix(id.slice(0, 3)) : undefined;
      if (!meta) throw new SfApiError(400, 'MALFORMED_ID', `malformed id ${id}`, []);
      const record = collectionTarget(state, meta, id);
      state.records.delete(meta, record);
      return { id: record.Id, success: true, errors: [] };
    } catch (e) {
      if (e instanceof SfApiError)
        return { id: isOrgId(id) ? orgId18(id) : id, success: false, errors: e.toRecordErrors() };
      throw e;
    }
  });
  return { status: 200, body: results };
}

export function retrieveCollection(state: EmulatorState, req: ApiRequest, meta: ObjectMetadata): ApiResponse {
  const ids = idsParam(req);
  const fieldsParam = req.query.get('fields');
  if (!fieldsParam) throw new SfApiError(400, 'MISSING_ARGUMENT', 'fields parameter is required');
  const fields = fieldsParam.split(',').map((name) => {
    const f = state.registry.field(meta.name, name.trim());
    if (!f)
      throw new SfApiError(400, 'INVALID_FIELD', `No such column '${name.trim()}' on sobject of type ${meta.name}`);
    return f.name;
  });
  const body = ids.map((id) => {
    const record = isOrgId(id) && id.startsWith(meta.keyPrefix) ? state.store.get(meta.name, orgId18(id)) : undefined;
    return record && !record.IsDeleted ? state.records.present(meta, record, req.apiVersion, fields) : null;
  });
  return { status: 200, body };
}

function idsParam(req: ApiRequest): string[] {
  const ids = (req.query.get('ids') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (ids.length === 0) throw new SfApiError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
  if (ids.length > COLLECTION_LIMIT) throw tooMany();
  return ids;
}

/** Collections say INVALID_CROSS_REFERENCE_KEY where single REST says 404 NOT_FOUND. */
function collectionTarget(state: EmulatorState, meta: ObjectMetadata, id: string): StoredRecord {
  try {
    return state.records.resolve(meta, id);
  } catch (e) {
    if (e instanceof SfApiError && e.errors[0]?.errorCode === 'NOT_FOUND') {
      throw new SfApiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
    }
    if (e instanceof SfApiError && e.errors[0]?.errorCode === 'MALFORMED_ID') {
      throw new SfApiError(400, 'MALFORMED_ID', `malformed id ${id}`, []);
    }
    throw e;
  }
}
