// Direct delivery (rudder-server sends each request itself) still decides like the executor:
// the same batched lookups, the same "1 found → update, 0 → create, several → abort", the same
// merging of writes to one record. This client lets the executor run for real up to the writes:
// reads (SOQL lookups) go to Salesforce; each sObject Collections write is split into the
// single-record REST requests it stands for, recorded, and answered as if it succeeded, under a
// reference the executor then reports back in each event's results.
import type { SalesforceClient, SfRequest, SfResponse } from '../deliver/salesforce-client.js';
import { compositeSobjectsPath, externalIdPath, sobjectPath } from '../salesforce/api-paths.js';

/** One single-record request, relative to the instance URL. A delete learns its object from the event's results. */
export interface RecordedWrite {
  method: 'POST' | 'PATCH' | 'DELETE';
  path?: string;
  deleteId?: string;
  body?: Record<string, unknown>;
}

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
    // One pass per record (this runs for every event of a direct-mode call); names were checked as
    // API names when the call was planned, so none is `__proto__`.
    const fields = (r: Record<string, unknown>, drop?: string): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(r)) if (k !== 'attributes' && k !== drop) out[k] = r[k];
      return out;
    };
    const type = (r: Record<string, unknown>): string =>
      String((r.attributes as { type?: unknown } | undefined)?.type ?? '');
    if (req.path === collection && req.method === 'POST') {
      return records.map((r) => ({ method: 'POST', path: sobjectPath(v, type(r)), body: fields(r) }));
    }
    if (req.path === collection && req.method === 'PATCH') {
      return records.map((r) => ({
        method: 'PATCH',
        path: sobjectPath(v, type(r), String(r.id)),
        body: fields(r, 'id'),
      }));
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
      return records.map((r) => ({
        method: 'PATCH',
        path: externalIdPath(v, object, field, String(r[field])),
        body: fields(r, field),
      }));
    }
    // Bulk API jobs and anything else cannot be handed to rudder-server as one request per event.
    throw new Error(`direct delivery cannot express ${req.method} ${req.path} as single-record requests`);
  }
}

/** The path of a recorded write, now that the event's result names the object a delete belongs to. */
export function writePath(write: RecordedWrite, object: string, apiVersion: string): string {
  return write.path ?? sobjectPath(apiVersion, object, write.deleteId ?? '');
}
