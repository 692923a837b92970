// POST /composite/batch: up to 25 independent subrequests in one API call (no references between
// them, no shared transaction), e.g. a source sync's 25 describes at once. Each answers its own
// status; with haltOnError the ones after a failure answer 412 BATCH_PROCESSING_HALTED.

import { jsonObject, type ApiRequest, type ApiResponse } from './api-types.js';
import { SfApiError } from './errors.js';

const BATCH_LIMIT = 25;

/** Composite and Bulk resources cannot be nested in a batch. */
const REFUSED = /^(?:composite|jobs)(?:\/|$)/;

interface BatchResult {
  statusCode: number;
  result: unknown;
}

export function runBatch(req: ApiRequest, dispatch: (sub: ApiRequest) => ApiResponse): ApiResponse {
  const body = jsonObject(req);
  const list = body.batchRequests;
  if (!Array.isArray(list) || list.length === 0)
    throw new SfApiError(400, 'INVALID_BATCH_REQUEST', 'batchRequests must be a non-empty list');
  if (list.length > BATCH_LIMIT) {
    throw new SfApiError(400, 'INVALID_BATCH_REQUEST', `A batch cannot contain more than ${BATCH_LIMIT} requests`);
  }
  const haltOnError = body.haltOnError === true;
  const results: BatchResult[] = [];
  let halted = false;
  for (const raw of list) {
    if (halted) {
      results.push({
        statusCode: 412,
        result: [{ errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' }],
      });
      continue;
    }
    const out = runOne(req, raw, dispatch);
    results.push(out);
    if (out.statusCode >= 400 && haltOnError) halted = true;
  }
  return { status: 200, body: { hasErrors: results.some((r) => r.statusCode >= 400), results } };
}

function runOne(parent: ApiRequest, raw: unknown, dispatch: (sub: ApiRequest) => ApiResponse): BatchResult {
  const fail = (statusCode: number, errorCode: string, message: string): BatchResult => ({
    statusCode,
    result: [{ errorCode, message }],
  });
  const r = raw as { method?: unknown; url?: unknown; richInput?: unknown } | null;
  if (!r || typeof r !== 'object' || typeof r.method !== 'string' || typeof r.url !== 'string') {
    return fail(400, 'INVALID_BATCH_REQUEST', 'Each batch request needs method and url');
  }
  // "v66.0/sobjects/Account/describe", with or without the /services/data/ prefix.
  const m = /^(?:\/services\/data\/|\/)?v(\d{2}\.\d)\/([^?]*)(?:\?(.*))?$/.exec(r.url);
  if (!m) return fail(400, 'INVALID_BATCH_REQUEST', `The url ${r.url} is not a valid REST resource`);
  const path = m[2].replace(/\/+$/, '');
  if (REFUSED.test(path))
    return fail(400, 'INVALID_BATCH_REQUEST', `The resource ${path} is not supported in a batch request`);
  let segments: string[];
  try {
    segments = path === '' ? [] : path.split('/').map((s) => decodeURIComponent(s));
  } catch {
    return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
  const response = dispatch({
    method: r.method.toUpperCase(),
    apiVersion: m[1],
    segments,
    query: new URLSearchParams(m[3] ?? ''),
    contentType: 'application/json',
    headers: parent.headers,
    json: r.richInput,
  });
  return { statusCode: response.status, result: response.body ?? response.text ?? null };
}
