// Proxy mode (Router.<DEST>.transformerProxy=true): routerTransform stays pure. The jobs of one
// destination travel together as one batched request that carries their operations; rudder-server
// hands it back to POST /v1/destinations/:dest/proxy, where the executor delivers all of them with
// batched lookups, sObject Collections and Bulk, and answers each job with its own outcome.
import type { Operation } from '../operation/operation.js';
import type { JobAnswer } from './job-answer.js';
import type { MappedJob } from './mapped-job.js';
import { postParameters } from './post-parameters.js';

/** The key of body.JSON that marks a batched request built here (and its format version). */
export const BATCH_KEY = 'sfTransformerBatch';
/**
 * Where a batched request "goes" if rudder-server sends it itself (transformerProxy off while this
 * server batches): a scheme no HTTP client speaks, so the send fails as a retryable 504 whose text
 * says what to change, instead of reaching any host.
 */
const PROXY_ONLY_ENDPOINT = 'sf-transformer://proxy-only/set-Router.SALESFORCE.transformerProxy=true';
/** Jobs per batched request; the executor splits further (200 per collection, Bulk jobs). */
const MAX_JOBS_PER_BATCH = 1000;

export interface BatchedJob {
  jobId: number;
  operations: Operation[];
}

export function proxyBatches(mapped: readonly MappedJob[]): JobAnswer[] {
  const groups = new Map<string, MappedJob[]>();
  const alone: MappedJob[][] = [];
  for (const m of mapped) {
    // rudder-server marks a job dontBatch after a batched attempt failed it: it goes on its own.
    if (m.job.metadata.dontBatch === true) {
      alone.push([m]);
      continue;
    }
    const d = m.job.destination;
    const key = typeof d.ID === 'string' && d.ID !== '' ? `id:${d.ID}` : `config:${JSON.stringify(d.Config ?? {})}`;
    const list = groups.get(key);
    if (list) list.push(m);
    else groups.set(key, [m]);
  }
  const chunks: MappedJob[][] = [...alone];
  for (const list of groups.values()) {
    for (let i = 0; i < list.length; i += MAX_JOBS_PER_BATCH) chunks.push(list.slice(i, i + MAX_JOBS_PER_BATCH));
  }
  return chunks.map((chunk) => ({
    kind: 'requests' as const,
    jobs: chunk.map((m) => m.index),
    requests: [
      postParameters({
        method: 'POST',
        endpoint: PROXY_ONLY_ENDPOINT,
        endpointPath: 'sf-transformer/batch',
        headers: { 'Content-Type': 'application/json' },
        userId: chunk[0].job.metadata.userId,
        json: {
          [BATCH_KEY]: {
            version: 1,
            jobs: chunk.map((m): BatchedJob => ({ jobId: m.job.metadata.jobId, operations: m.operations.map(lean) })),
          },
        },
      }),
    ],
  }));
}

/** What delivery needs of an operation: the request descriptors and skipped-trait notes stay out of the job queue. */
function lean(op: Operation): Operation {
  const { http: _http, skipped: _skipped, ...rest } = op;
  return rest;
}
