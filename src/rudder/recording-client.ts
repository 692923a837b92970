// Direct delivery (rudder-server sends each request itself) still decides like the executor:
// the same batched lookups, the same "1 found → update, 0 → create, several → abort", the same
// merging of writes to one record. This client lets the executor run for real up to the writes:
// reads (SOQL lookups) go to Salesforce; each sObject Collections write is split into the
// single-record REST requests it stands for, recorded, and answered as if it succeeded, under a
// reference the executor then reports back in each event's results.
import type { SalesforceClient, SfRequest, SfResponse } from '../deliver/salesforce-client.js';
import type { WriteKind } from '../plan/record-merge.js';
import { compositeSobjectsPath, externalIdPath, sobjectPath } from '../salesforce/api-paths.js';

/** One single-record request, relative to the instance URL. A delete learns its object from the event's results. */
export interface RecordedWrite {
  method: 'POST' | 'PATCH' | 'DELETE';
  path?: string;
  deleteId?: string;
  body?: Record<string, unknown>;
}

/** A recorded write whose path is known (a delete's, once its object is). */
export type SingleRequest = RecordedWrite & { path: string };

const REF_PREFIX = 'recorded:';

export class RecordingClient implements SalesforceClient {
  private readonly writes = new Map<string, RecordedWrite>();

  constructor(private readonly inner: SalesforceClient) {}

  get apiVersion(): string {
    return this.inner.apiVersion;
  }

  get instanceUrl(): string {
    return this.inner.instanceUrl;
  }

  /** The write the executor was told succeeded under `ref` (a result's id), or undefined. */
  write(ref: string): RecordedWrite | undefined {
    return this.writes.get(ref);
  }

  async request(req: SfRequest): Promise<SfResponse> {
    if (req.method === 'GET') return this.inner.request(req);
    const records = this.split(req);
    const answers = records.map((write) => {
      const ref = `${REF_PREFIX}${this.writes.size}`;
      this.writes.set(ref, write);
      return { success: true, id: ref, created: write.method === 'POST', errors: [] };
    });
    return { status: 200, headers: { 'content-type': 'application/json' }, body: answers };
  }

  private split(req: SfRequest): RecordedWrite[] {
    const v = this.apiVersion;
    const collection = compositeSobjectsPath(v);
    const records = ((req.body as { records?: unknown } | undefined)?.records ?? []) as Array<Record<string, unknown>>;
    const type = (r: Record<string, unknown>): string =>
      String((r.attributes as { type?: unknown } | undefined)?.type ?? '');
    if (req.path === collection && req.method === 'POST') {
      return records.map((r) => singleRecordWrite(v, 'create', type(r), r));
    }
    if (req.path === collection && req.method === 'PATCH') {
      return records.map((r) => singleRecordWrite(v, 'update', type(r), r, { id: String(r.id) }));
    }
    if (req.path === collection && req.method === 'DELETE') {
      return String(req.query?.ids ?? '')
        .split(',')
        .filter(Boolean)
        .map((id) => ({ method: 'DELETE', deleteId: id }));
    }
    const upsert =
      req.path.startsWith(`${collection}/`) && req.method === 'PATCH'
        ? req.path.slice(collection.length + 1).split('/')
        : undefined;
    if (upsert && upsert.length === 2) {
      const [object, field] = upsert;
      return records.map((r) => singleRecordWrite(v, 'upsert', object, r, { field, value: String(r[field]) }));
    }
    // Bulk API jobs and anything else cannot be handed to rudder-server as one request per event.
    throw new Error(`direct delivery cannot express ${req.method} ${req.path} as single-record requests`);
  }
}

/** What names the record in a single-record URL: its Id (update, delete) or an external id (upsert). */
export type RecordKey = { id: string } | { field: string; value: string };

/** The method of a single-record write of each kind. */
export const SINGLE_RECORD_METHOD = {
  create: 'POST',
  update: 'PATCH',
  upsert: 'PATCH',
  delete: 'DELETE',
} as const satisfies Record<WriteKind, RecordedWrite['method']>;

/** A `kind` write of one `object` record as a single-record REST request; `record` holds its fields as a collections call carries them. */
function singleRecordWrite(
  apiVersion: string,
  kind: 'create' | 'update' | 'upsert',
  object: string,
  record: Record<string, unknown>,
  key?: RecordKey,
): RecordedWrite {
  return {
    method: SINGLE_RECORD_METHOD[kind],
    path: singleRecordPath(apiVersion, kind, object, key),
    body: singleRecordBody(record, key),
  };
}

/**
 * Where a single-record request goes: the record's key is in the path. Built (and names, Ids and
 * values checked) by salesforce/api-paths.ts, which throws on anything it would not send.
 */
export function singleRecordPath(apiVersion: string, kind: WriteKind, object: string, key?: RecordKey): string {
  if (kind === 'create') return sobjectPath(apiVersion, object);
  if (key && 'id' in key && (kind === 'update' || kind === 'delete')) return sobjectPath(apiVersion, object, key.id);
  if (key && 'field' in key && kind === 'upsert') return externalIdPath(apiVersion, object, key.field, key.value);
  throw new Error(`a single-record ${kind} of ${object} needs ${kind === 'upsert' ? 'an external id' : 'an Id'}`);
}

/** The fields a single-record request sends: without `attributes`, nor the key its path carries. */
export function singleRecordBody(record: Record<string, unknown>, key?: RecordKey): Record<string, unknown> {
  return withoutKeys(record, key === undefined ? undefined : 'id' in key ? 'id' : key.field);
}

// One pass per record (this runs for every event of a direct-mode call), and none when there is
// nothing to leave out; names were checked as API names when the call was planned, so none is
// `__proto__`.
function withoutKeys(r: Record<string, unknown>, key?: string): Record<string, unknown> {
  if (!Object.hasOwn(r, 'attributes') && (key === undefined || !Object.hasOwn(r, key))) return r;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(r)) if (k !== 'attributes' && k !== key) out[k] = r[k];
  return out;
}

/** The path of a recorded write, now that the event's result names the object a delete belongs to. */
export function writePath(write: RecordedWrite, object: string, apiVersion: string): string {
  return write.path ?? singleRecordPath(apiVersion, 'delete', object, { id: write.deleteId ?? '' });
}
