// POST /v1/destinations/:dest/proxy (and v0, one job): delivers what routerTransform answered.
// A batched request built here carries each job's operations: the executor delivers them together
// and each job is answered with its own outcome. A concrete request (direct mode's, when
// rudder-server is set to go through the proxy anyway) is sent once, with the destination's own
// session, and Salesforce's answer classified for all its jobs.
import { classifyError, classifyResponse, type Outcome } from '../deliver/classify.js';
import { executeEvents, type EventOutcome } from '../deliver/execute.js';
import type { SfRequest } from '../deliver/salesforce-client.js';
import type { Operation } from '../operation/operation.js';
import { operationProblem } from '../operation/validate-operation.js';
import { accessOf, openClient, type DeliveryDeps } from './destination-access.js';
import { describeOutcome } from './job-answer.js';
import { BATCH_KEY, type BatchedJob } from './proxy-batches.js';
import { echoMetadata, type JobMetadata, type ProxyJobResponse, type ProxyV1Output } from './protocol.js';
import { statTags, type FailureSource } from './stat-tags.js';

export interface ProxyAnswer {
  /** rudder-transformer answers 200 unless the token must be refreshed; then the output's status. */
  httpStatus: number;
  output: ProxyV1Output;
}

type JobOutcome = (Outcome | EventOutcome) & { source: FailureSource };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function deliverProxy(payload: unknown, definition: string, deps: DeliveryDeps): Promise<ProxyAnswer> {
  const metadataList = isObject(payload) ? payload.metadata : undefined;
  if (!Array.isArray(metadataList) || metadataList.length === 0) {
    return refused(
      400,
      'INVALID_PROXY_REQUEST: the proxy body must carry "metadata": [{jobId, ...}] with one entry per job',
    );
  }
  const bad = metadataList.findIndex(
    (m) => !isObject(m) || typeof m.jobId !== 'number' || !Number.isSafeInteger(m.jobId),
  );
  if (bad >= 0) return refused(400, `INVALID_PROXY_REQUEST: metadata[${bad}] must be an object with an integer jobId`);
  // rudder-server may repeat a jobId in one proxy request; it expects one answer per distinct jobId.
  const jobs = new Map<number, JobMetadata>();
  for (const m of metadataList as JobMetadata[]) if (!jobs.has(m.jobId)) jobs.set(m.jobId, m);
  const p = payload as Record<string, unknown>;
  const json = isObject(p.body) && isObject(p.body.JSON) ? p.body.JSON : undefined;
  const outcomes = new Map<number, JobOutcome>();
  const settleAll = (o: JobOutcome): void => {
    for (const id of jobs.keys()) if (!outcomes.has(id)) outcomes.set(id, o);
  };

  const first = jobs.values().next().value as JobMetadata;
  const access = accessOf(first, p.destinationConfig, deps);
  if ('problem' in access) {
    settleAll({
      statusCode: access.statusCode ?? 400,
      error: access.problem,
      errorCode: access.errorCode,
      source: 'configuration',
    });
  } else if (json && BATCH_KEY in json) {
    const work = batchedWork(json[BATCH_KEY], jobs, outcomes);
    if (work.length > 0) {
      try {
        const { client } = await openClient(access, deps);
        const delivered = await executeEvents(
          work.map((w) => ({ operations: w.operations, unknownFields: access.unknownFields })),
          client,
          {
            fieldCache: deps.fields,
            unknownFields: deps.unknownFields,
          },
        );
        work.forEach((w, i) =>
          outcomes.set(w.jobId, {
            ...(delivered[i] ?? { statusCode: 500, error: 'the executor gave no outcome for this job' }),
            source: 'delivery',
          }),
        );
      } catch (err) {
        settleAll({ ...classifyError(err), source: 'delivery' });
      }
    }
  } else {
    const request = concreteRequest(p);
    if ('problem' in request)
      settleAll({ statusCode: 400, error: request.problem, errorCode: 'INVALID_REQUEST', source: 'platform' });
    else {
      try {
        const { client } = await openClient(access, deps);
        settleAll({ ...classifyResponse(await client.request(request)), source: 'delivery' });
      } catch (err) {
        settleAll({ ...classifyError(err), source: 'delivery' });
      }
    }
  }

  const response: ProxyJobResponse[] = [...jobs.entries()].map(([id, meta]) => {
    const o = outcomes.get(id) ?? { statusCode: 500, error: 'no outcome for this job', source: 'platform' as const };
    const skipped = (o as EventOutcome).skipped;
    const error =
      o.statusCode === 200
        ? JSON.stringify({ results: (o as EventOutcome).results ?? [], ...(skipped && { skipped }) })
        : describeOutcome(o);
    return { statusCode: o.statusCode, metadata: echoMetadata(meta), error };
  });
  const all = [...outcomes.values()];
  const rank = (s: number): number => (s === 500 ? 4 : s === 429 ? 3 : s >= 400 ? 2 : 1);
  const worst = all.reduce<JobOutcome | undefined>(
    (w, o) => (!w || rank(o.statusCode) > rank(w.statusCode) ? o : w),
    undefined,
  );
  const status = worst?.statusCode ?? 200;
  const counts = all.reduce<Record<number, number>>(
    (c, o) => ({ ...c, [o.statusCode]: (c[o.statusCode] ?? 0) + 1 }),
    {},
  );
  const output: ProxyV1Output = {
    status,
    message: `Request for destination: ${definition} processed: ${Object.entries(counts)
      .map(([s, n]) => `${n} × ${s}`)
      .join(', ')}`,
    response,
  };
  if (status !== 200 && worst)
    output.statTags = statTags(status, worst.source, { definition, feature: 'dataDelivery', metadata: first });
  const refresh = all.find((o) => o.authErrorCategory !== undefined);
  if (refresh?.authErrorCategory) output.authErrorCategory = refresh.authErrorCategory;
  return { httpStatus: output.authErrorCategory ? status : 200, output };
}

function refused(status: number, message: string): ProxyAnswer {
  return { httpStatus: status, output: { status, message, response: [] } };
}

/** The jobs of a batched request, each checked; jobs it cannot deliver are settled in `outcomes`. */
function batchedWork(batch: unknown, jobs: Map<number, JobMetadata>, outcomes: Map<number, JobOutcome>): BatchedJob[] {
  const entries = isObject(batch) && Array.isArray(batch.jobs) ? (batch.jobs as unknown[]) : [];
  const byId = new Map<number, unknown>();
  for (const e of entries)
    if (isObject(e) && typeof e.jobId === 'number' && !byId.has(e.jobId)) byId.set(e.jobId, e.operations);
  const work: BatchedJob[] = [];
  for (const id of jobs.keys()) {
    const operations = byId.get(id);
    if (!Array.isArray(operations) || operations.length === 0) {
      outcomes.set(id, {
        statusCode: 400,
        error: `the batched request carries no operations for job ${id}`,
        errorCode: 'INVALID_REQUEST',
        source: 'platform',
      });
      continue;
    }
    const problem = operations.map(operationProblem).find((x) => x !== undefined);
    if (problem) {
      outcomes.set(id, {
        statusCode: 400,
        error: `job ${id}: ${problem}`,
        errorCode: 'INVALID_OPERATION',
        source: 'platform',
      });
      continue;
    }
    work.push({ jobId: id, operations: operations as Operation[] });
  }
  return work;
}

const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

/** A concrete Salesforce request from PostParameters; only its path is used, the host is the session's own. */
function concreteRequest(p: Record<string, unknown>): SfRequest | { problem: string } {
  const method = typeof p.method === 'string' ? p.method.toUpperCase() : '';
  if (!METHODS.has(method))
    return { problem: `the request method ${JSON.stringify(p.method)} is not one Salesforce REST takes` };
  let url: URL;
  try {
    url = new URL(String(p.endpoint));
  } catch {
    return { problem: 'the request has no absolute endpoint URL' };
  }
  if (!url.pathname.startsWith('/services/'))
    return { problem: `the endpoint path ${JSON.stringify(url.pathname.slice(0, 80))} is not a Salesforce REST path` };
  const query: Record<string, string> = {};
  url.searchParams.forEach((v, k) => (query[k] = v));
  if (isObject(p.params)) for (const [k, v] of Object.entries(p.params)) query[k] = String(v);
  const json =
    isObject(p.body) && isObject(p.body.JSON) && Object.keys(p.body.JSON).length > 0 ? p.body.JSON : undefined;
  const req: SfRequest = { method: method as SfRequest['method'], path: url.pathname };
  if (Object.keys(query).length > 0) req.query = query;
  if (json) req.body = json;
  return req;
}
