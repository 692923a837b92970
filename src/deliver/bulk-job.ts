// One Bulk API 2.0 ingest job from start to per-row results: create, upload, close, poll with
// backoff until it ends or the deadline passes, then read the successful and failed results.
// A job still running at the deadline is aborted first, so the rows it never processed can be
// retried without being written twice.
import type { Outcome } from './classify.js';
import { classifyError, classifyResponse } from './classify.js';
import type { SalesforceClient, SfResponse } from './salesforce-client.js';
import { correlateBulkResults, parseCsv, type BulkJobRow } from '../plan/bulk-results.js';
import type { BulkJobSpec } from '../plan/plan.js';
import {
  ingestBatchesPath,
  ingestFailedResultsPath,
  ingestJobPath,
  ingestJobsPath,
  ingestSuccessfulResultsPath,
} from '../salesforce/api-paths.js';
import { assertApiName } from '../salesforce/api-names.js';

export interface BulkPollOptions {
  /** First wait before polling again, doubled up to maxIntervalMs. */
  initialIntervalMs?: number;
  maxIntervalMs?: number;
  /** Give up (abort the job) this long after it was closed. */
  deadlineMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class JobFailure extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome.error ?? 'bulk job failed');
  }
}

async function call(client: SalesforceClient, req: Parameters<SalesforceClient['request']>[0]): Promise<SfResponse> {
  let res: SfResponse;
  try {
    res = await client.request(req);
  } catch (err) {
    throw new JobFailure(classifyError(err));
  }
  if (res.status < 200 || res.status >= 300) throw new JobFailure(classifyResponse(res));
  return res;
}

// A job that failed as a whole (bad header, unknown field, object not allowed) will fail again
// the same way; only server-side trouble is worth a retry.
function jobFailedOutcome(message: string): Outcome {
  return /UNABLE_TO_LOCK_ROW|timed? ?out|try again|internal|unavailable/i.test(message)
    ? { statusCode: 500, error: `Bulk job failed: ${message}` }
    : { statusCode: 400, error: `Bulk job failed: ${message}`, errorCode: 'BULK_JOB_FAILED' };
}

export async function runBulkJob(
  client: SalesforceClient,
  spec: BulkJobSpec,
  options: BulkPollOptions = {},
): Promise<BulkJobRow[]> {
  const rows = spec.csv.lines.length;
  const everyRow = (outcome: Outcome): BulkJobRow[] =>
    Array.from({ length: rows }, () => ({ success: false, outcome }));
  const v = client.apiVersion;
  const sleep = options.sleep ?? realSleep;
  let jobId: string | undefined;
  try {
    const created = await call(client, {
      method: 'POST',
      path: ingestJobsPath(v),
      body: {
        object: assertApiName(spec.object, 'object'),
        operation: spec.operation,
        ...(spec.externalIdFieldName
          ? { externalIdFieldName: assertApiName(spec.externalIdFieldName, 'external id field') }
          : {}),
        contentType: 'CSV',
        lineEnding: 'LF',
      },
    });
    jobId = String((created.body as { id?: unknown } | null)?.id ?? '');
    if (!jobId) return everyRow({ statusCode: 500, error: 'Bulk job creation answered without a job id' });
    await call(client, {
      method: 'PUT',
      path: ingestBatchesPath(v, jobId),
      rawBody: spec.csv.text,
      contentType: 'text/csv',
    });
    await call(client, { method: 'PATCH', path: ingestJobPath(v, jobId), body: { state: 'UploadComplete' } });
  } catch (err) {
    // Nothing was processed: a job that never closed does not run. Abort a half-made one quietly.
    if (jobId) await abort(client, jobId);
    return everyRow(err instanceof JobFailure ? err.outcome : classifyError(err));
  }

  const deadline = Date.now() + (options.deadlineMs ?? 120_000);
  let interval = options.initialIntervalMs ?? 250;
  const maxInterval = options.maxIntervalMs ?? 5_000;
  let state = '';
  let errorMessage = '';
  for (;;) {
    try {
      const res = await call(client, { method: 'GET', path: ingestJobPath(v, jobId) });
      const info = (res.body ?? {}) as { state?: string; errorMessage?: string };
      state = String(info.state ?? '');
      errorMessage = String(info.errorMessage ?? '');
    } catch (err) {
      // A poll that failed says nothing about the job; keep polling until the deadline.
      if (!(err instanceof JobFailure) || Date.now() >= deadline) state = 'Unknown';
    }
    if (state === 'JobComplete' || state === 'Failed' || state === 'Aborted' || state === 'Unknown') break;
    if (Date.now() + interval > deadline) {
      await abort(client, jobId);
      state = 'Deadline';
      break;
    }
    await sleep(interval);
    interval = Math.min(interval * 2, maxInterval);
  }

  // Rows with no result: what happened to them depends on how the job ended.
  const missing: Outcome =
    state === 'JobComplete'
      ? { statusCode: 500, error: 'Bulk job finished without a result for this record' }
      : state === 'Failed'
        ? jobFailedOutcome(errorMessage || 'no reason given')
        : state === 'Aborted'
          ? { statusCode: 500, error: 'Bulk job was aborted before this record was processed' }
          : state === 'Deadline'
            ? {
                statusCode: 500,
                error: 'Bulk job did not finish in time; it was aborted before this record was processed',
              }
            : { statusCode: 500, error: 'Bulk job state could not be read' };
  if (state === 'Unknown') return everyRow(missing);

  let successful: Array<Record<string, string>>;
  let failed: Array<Record<string, string>>;
  try {
    const ok = await call(client, { method: 'GET', path: ingestSuccessfulResultsPath(v, jobId), accept: 'text/csv' });
    const bad = await call(client, { method: 'GET', path: ingestFailedResultsPath(v, jobId), accept: 'text/csv' });
    successful = parseCsv(typeof ok.body === 'string' ? ok.body : '');
    failed = parseCsv(typeof bad.body === 'string' ? bad.body : '');
  } catch (err) {
    // The job may have written rows we cannot see: retrying is the only honest answer.
    return everyRow(err instanceof JobFailure ? err.outcome : classifyError(err));
  }
  const keyColumn =
    spec.operation === 'upsert' ? spec.externalIdFieldName : spec.operation === 'insert' ? undefined : 'Id';
  const { results } = correlateBulkResults(spec.csv, keyColumn, successful, failed);
  return results.map((r) => r ?? { success: false, outcome: missing });
}

async function abort(client: SalesforceClient, jobId: string): Promise<void> {
  try {
    await client.request({
      method: 'PATCH',
      path: ingestJobPath(client.apiVersion, jobId),
      body: { state: 'Aborted' },
    });
  } catch {
    // Best effort: the rows are reported retryable either way.
  }
}
