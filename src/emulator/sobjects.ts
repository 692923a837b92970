// Single-record REST: /sobjects, /sobjects/{Obj}, /describe, /{Id}, and upsert by external id.

import { type ObjectMetadata, isUpsertKey } from './org/metadata.js';
import { jsonObject, recordUrl, type ApiRequest, type ApiResponse } from './api-types.js';
import { isOrgId } from './org/record-ids.js';
import { describeGlobal, describeSobject, objectSummary } from './describe.js';
import { SfApiError } from './errors.js';
import { MultipleMatches } from './records.js';
import type { EmulatorState } from './state.js';
import { deserialise } from './validation.js';

/** From API 46.0 an upsert that updates answers 200 with a body; before, 204 without. */
const UPSERT_BODY_SINCE = 46;

export function listSobjects(state: EmulatorState, req: ApiRequest): ApiResponse {
  return { status: 200, body: describeGlobal(req.apiVersion, state.registry.list()) };
}

export function describeObject(state: EmulatorState, req: ApiRequest, meta: ObjectMetadata): ApiResponse {
  return { status: 200, body: describeSobject(req.apiVersion, meta) };
}

export function objectInfo(state: EmulatorState, req: ApiRequest, meta: ObjectMetadata): ApiResponse {
  return { status: 200, body: { objectDescribe: objectSummary(req.apiVersion, meta), recentItems: [] } };
}

export function createRecord(state: EmulatorState, req: ApiRequest, meta: ObjectMetadata): ApiResponse {
  const d = deserialise(state.registry, meta, jsonObject(req), 'json');
  const record = state.records.create(meta, d);
  return {
    status: 201,
    body: { id: record.Id, success: true, errors: [] },
    headers: { Location: recordUrl(req.apiVersion, meta.name, record.Id) },
  };
}

export function getRecord(state: EmulatorState, req: ApiRequest, meta: ObjectMetadata, id: string): ApiResponse {
  const record = state.records.resolve(meta, id);
  return {
    status: 200,
    body: state.records.present(meta, record, req.apiVersion, withId(requestedFields(state, req, meta))),
  };
}

export function updateRecord(state: EmulatorState, req: ApiRequest, meta: ObjectMetadata, id: string): ApiResponse {
  const body = jsonObject(req);
  const d = deserialise(state.registry, meta, body, 'json');
  if (d.id !== undefined)
    throw new SfApiError(400, 'INVALID_FIELD', 'The Id field should not be specified in the sobject data.');
  const record = state.records.resolve(meta, id);
  state.records.update(meta, record, d);
  return { status: 204 };
}

export function deleteRecord(state: EmulatorState, _req: ApiRequest, meta: ObjectMetadata, id: string): ApiResponse {
  state.records.delete(meta, state.records.resolve(meta, id));
  return { status: 204 };
}

export function upsertRecord(
  state: EmulatorState,
  req: ApiRequest,
  meta: ObjectMetadata,
  field: string,
  value: string,
): ApiResponse {
  assertExternalIdField(state, meta, field);
  const d = deserialise(state.registry, meta, jsonObject(req), 'json');
  try {
    const { record, created } = state.records.upsert(meta, field, value, d);
    if (created) {
      return {
        status: 201,
        body: { id: record.Id, success: true, errors: [], created: true },
        headers: { Location: recordUrl(req.apiVersion, meta.name, record.Id) },
      };
    }
    if (Number(req.apiVersion) < UPSERT_BODY_SINCE) return { status: 204 };
    return { status: 200, body: { id: record.Id, success: true, errors: [], created: false } };
  } catch (e) {
    if (e instanceof MultipleMatches) return multipleChoices(req, meta, e.ids);
    throw e;
  }
}

export function getByExternalId(
  state: EmulatorState,
  req: ApiRequest,
  meta: ObjectMetadata,
  field: string,
  value: string,
): ApiResponse {
  // sobjects/{O}/{Id}/{BlobField} shares this path shape: a base64 field's bytes.
  const blob = state.registry.field(meta.name, value);
  if (blob?.type === 'base64' && isOrgId(field)) {
    const record = state.records.resolve(meta, field);
    const data = record[blob.name];
    if (typeof data !== 'string') throw new SfApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return { status: 200, bytes: Buffer.from(data, 'base64'), contentType: 'application/octetstream' };
  }
  const f = assertExternalIdField(state, meta, field);
  if (f === 'Id') return getRecord(state, req, meta, value);
  const matches = state.store.findLive(meta.name, f, value);
  if (matches.length === 0) throw new SfApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (matches.length > 1)
    return multipleChoices(
      req,
      meta,
      matches.map((r) => r.Id),
    );
  return {
    status: 200,
    body: state.records.present(meta, matches[0], req.apiVersion, withId(requestedFields(state, req, meta))),
  };
}

function assertExternalIdField(state: EmulatorState, meta: ObjectMetadata, field: string): string {
  const f = state.registry.field(meta.name, field);
  if (!f || !isUpsertKey(f))
    throw new SfApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${field}`);
  return f.name;
}

/** 300 Multiple Choices: Salesforce lists the URLs of the matching records. */
function multipleChoices(req: ApiRequest, meta: ObjectMetadata, ids: string[]): ApiResponse {
  return { status: 300, body: ids.map((id) => recordUrl(req.apiVersion, meta.name, id)) };
}

export function requestedFields(state: EmulatorState, req: ApiRequest, meta: ObjectMetadata): string[] | undefined {
  const param = req.query.get('fields');
  if (param === null || param.trim() === '') return undefined;
  return param.split(',').map((name) => {
    const f = state.registry.field(meta.name, name.trim());
    if (!f)
      throw new SfApiError(400, 'INVALID_FIELD', `No such column '${name.trim()}' on sobject of type ${meta.name}`);
    return f.name;
  });
}

/** A record read with ?fields= still carries its Id, as Salesforce answers. */
function withId(fields: string[] | undefined): string[] | undefined {
  return fields && !fields.includes('Id') ? ['Id', ...fields] : fields;
}
