// Writes of one wave as sObject Collections calls: up to 200 records per call, allOrNone false so
// that one bad record fails alone, and the per-record answers mapped back to the writes.
import type * as schema from '../generated/plan.js';
import { compositeSobjectsPath } from '../salesforce/api-paths.js';
import { assertApiName } from '../salesforce/api-names.js';
import type { WriteUnit } from './record-merge.js';

const COLLECTION_LIMIT = 200;

export type PlannedRequest = schema.PlannedRequest;

export interface CollectionCall {
  request: PlannedRequest;
  /** Indexes of the units this call writes, in the order of its records. */
  units: number[];
}

/** The answer for one record of a collections call. */
export interface RecordResult {
  success: boolean;
  id?: string;
  created?: boolean;
  errors: Array<{ statusCode?: string; errorCode?: string; message: string; fields?: string[] }>;
}

/** Salesforce accepts records of at most this many object types in one create/update/delete call. */
const COLLECTION_TYPE_LIMIT = 10;

// Create, update and delete calls may mix objects; upsert names its object and key in the path.
function groupKey(unit: WriteUnit): string {
  if (unit.kind !== 'upsert') return unit.kind;
  return `upsert\u0000${unit.object.toLowerCase()}\u0000${unit.externalId?.field.toLowerCase() ?? ''}`;
}

export function planCollectionCalls(
  units: readonly WriteUnit[],
  apiVersion: string,
  limit = COLLECTION_LIMIT,
): CollectionCall[] {
  const groups = new Map<string, number[]>();
  units.forEach((unit, index) => {
    const key = groupKey(unit);
    const list = groups.get(key);
    if (list) list.push(index);
    else groups.set(key, [index]);
  });
  const calls: CollectionCall[] = [];
  for (const members of groups.values()) {
    // Records of one object stay together, so a call reaches the type limit as late as possible.
    const ordered = [...members].sort((a, b) =>
      units[a].object < units[b].object ? -1 : units[a].object > units[b].object ? 1 : a - b,
    );
    let chunk: number[] = [];
    let types = new Set<string>();
    for (const index of ordered) {
      const type = units[index].object;
      if (chunk.length >= limit || (!types.has(type) && types.size >= COLLECTION_TYPE_LIMIT)) {
        calls.push({
          request: collectionRequest(
            chunk.map((i) => units[i]),
            apiVersion,
          ),
          units: chunk,
        });
        chunk = [];
        types = new Set();
      }
      chunk.push(index);
      types.add(type);
    }
    if (chunk.length > 0)
      calls.push({
        request: collectionRequest(
          chunk.map((i) => units[i]),
          apiVersion,
        ),
        units: chunk,
      });
  }
  return calls;
}

function sobject(unit: WriteUnit): Record<string, unknown> {
  for (const name of Object.keys(unit.body)) assertApiName(name, 'field');
  return { attributes: { type: assertApiName(unit.object, 'object') }, ...unit.body };
}

function collectionRequest(units: WriteUnit[], apiVersion: string): PlannedRequest {
  const first = units[0];
  switch (first.kind) {
    case 'create':
      return {
        method: 'POST',
        path: compositeSobjectsPath(apiVersion),
        body: { allOrNone: false, records: units.map(sobject) },
      };
    case 'update':
      return {
        method: 'PATCH',
        path: compositeSobjectsPath(apiVersion),
        body: { allOrNone: false, records: units.map((u) => ({ ...sobject(u), id: u.id })) },
      };
    case 'upsert': {
      const ext = first.externalId;
      if (!ext) throw new Error(`upsert of ${first.object} without an external id`);
      return {
        method: 'PATCH',
        path: compositeSobjectsPath(apiVersion, first.object, ext.field),
        body: {
          allOrNone: false,
          records: units.map((u) => ({ ...sobject(u), [ext.field]: u.externalId?.value })),
        },
      };
    }
    case 'delete':
      return {
        method: 'DELETE',
        path: compositeSobjectsPath(apiVersion),
        query: { ids: units.map((u) => u.id ?? '').join(','), allOrNone: 'false' },
      };
  }
}

/**
 * The per-record answers of a 2xx collections call of `count` records, in record order. An answer
 * that is not one result per record is reported as undefined entries: the caller must not guess.
 */
export function readCollectionResults(count: number, body: unknown): Array<RecordResult | undefined> {
  const list = Array.isArray(body) ? body : [];
  return Array.from({ length: count }, (_, i) => {
    const r = list.length === count ? (list[i] as Partial<RecordResult> | undefined) : undefined;
    if (!r || typeof r !== 'object' || typeof r.success !== 'boolean') return undefined;
    return {
      success: r.success,
      id: typeof r.id === 'string' ? r.id : undefined,
      created: typeof r.created === 'boolean' ? r.created : undefined,
      errors: Array.isArray(r.errors) ? r.errors : [],
    };
  });
}
