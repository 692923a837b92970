// GET /sobjects/{O}/deleted/?start=&end= and /updated/?start=&end=: Salesforce's replication API.
// Deleted rows are listed for at most the last 15 days; hard-deleted (purged) rows never appear.
// Both ends are rounded down to the minute, the window is start <= date < end, and the answer's
// latestDateCovered is where the next call should start.

import type { ApiRequest, ApiResponse } from './api-types.js';
import { canonicalDatetime, sfDatetime } from './datetime.js';
import { SfApiError } from './errors.js';
import type { ObjectMetadata } from './org/metadata.js';
import type { EmulatorState } from './state.js';

/** How far back Salesforce keeps the deleted-records list. */
const RETENTION_MS = 15 * 24 * 60 * 60 * 1000;

function window(
  state: EmulatorState,
  req: ApiRequest,
  meta: ObjectMetadata,
): { start: string; end: string; earliest: string } {
  if (meta.queryable === false || meta.replicateable === false) {
    throw new SfApiError(400, 'CANNOT_REPLICATE', `Cannot replicate entity type ${meta.name}`);
  }
  const read = (name: 'start' | 'end'): number => {
    const raw = req.query.get(name);
    if (raw === null || raw === '') throw new SfApiError(400, 'MISSING_ARGUMENT', `${name} must be specified`);
    const text = canonicalDatetime(raw.replace(' ', '+'));
    if (text === undefined)
      throw new SfApiError(400, 'INVALID_REPLICATION_DATE', `${name}: unable to parse ${raw} as a dateTime`);
    return Math.floor(Date.parse(text.replace('+0000', 'Z')) / 60000) * 60000;
  };
  const start = read('start');
  const end = read('end');
  const now = state.now().getTime();
  const earliest = Math.floor((now - RETENTION_MS) / 60000) * 60000;
  if (end <= start) throw new SfApiError(400, 'INVALID_REPLICATION_DATE', 'end date must be after start date');
  if (start < earliest)
    throw new SfApiError(
      400,
      'INVALID_REPLICATION_DATE',
      `startDate is before the earliest date available (${sfDatetime(earliest)})`,
    );
  return {
    start: sfDatetime(start),
    end: sfDatetime(Math.min(end, Math.floor(now / 60000) * 60000)),
    earliest: sfDatetime(earliest),
  };
}

/** When the row last changed (its delete, for a deleted row). */
function changedAt(record: Record<string, unknown>): string | undefined {
  const v = record.SystemModstamp ?? record.LastModifiedDate ?? record.CreatedDate;
  return typeof v === 'string' ? canonicalDatetime(v) : undefined;
}

export function getDeleted(state: EmulatorState, req: ApiRequest, meta: ObjectMetadata): ApiResponse {
  const { start, end, earliest } = window(state, req, meta);
  const deletedRecords: { id: string; deletedDate: string }[] = [];
  for (const r of state.store.all(meta.name)) {
    if (!r.IsDeleted) continue;
    const at = changedAt(r);
    if (at !== undefined && at >= start && at < end) deletedRecords.push({ id: r.Id, deletedDate: at });
  }
  return { status: 200, body: { deletedRecords, earliestDateAvailable: earliest, latestDateCovered: end } };
}

export function getUpdated(state: EmulatorState, req: ApiRequest, meta: ObjectMetadata): ApiResponse {
  const { start, end } = window(state, req, meta);
  const ids: string[] = [];
  for (const r of state.store.all(meta.name)) {
    if (r.IsDeleted) continue;
    const at = changedAt(r);
    if (at !== undefined && at >= start && at < end) ids.push(r.Id);
  }
  return { status: 200, body: { ids, latestDateCovered: end } };
}
