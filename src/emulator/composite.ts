// Composite: up to 25 subrequests in one API call, later ones using earlier results through
// `@{referenceId.path}`. With allOrNone a failure rolls everything back and halts the rest.

import { jsonObject, type ApiRequest, type ApiResponse } from './api-types.js';
import { SfApiError, type SfError } from './errors.js';
import type { EmulatorState } from './state.js';

const COMPOSITE_LIMIT = 25;

export interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

interface SubRequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
}

const HALTED_ROLLBACK: SfError[] = [
  {
    errorCode: 'PROCESSING_HALTED',
    message: 'The transaction was rolled back since another operation in the same transaction failed.',
  },
];

/** What a subrequest may call: the record and query resources, not composite itself or Bulk. */
const ALLOWED = /^(?:sobjects(?:\/|$)|query(?:All)?(?:\/|$)|composite\/sobjects(?:\/|$))/;
const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

export function runComposite(
  state: EmulatorState,
  req: ApiRequest,
  dispatch: (sub: ApiRequest) => ApiResponse,
): ApiResponse {
  const body = jsonObject(req);
  const list = body.compositeRequest;
  if (!Array.isArray(list) || list.length === 0)
    throw new SfApiError(400, 'INVALID_API_INPUT', 'compositeRequest must be a non-empty list');
  if (list.length > COMPOSITE_LIMIT) {
    throw new SfApiError(
      400,
      'INVALID_API_INPUT',
      `Composite requests cannot have more than ${COMPOSITE_LIMIT} subrequests`,
    );
  }
  const subs = list.map(readSub);
  const ids = new Set<string>();
  for (const s of subs) {
    if (ids.has(s.referenceId))
      throw new SfApiError(400, 'INVALID_API_INPUT', `Duplicate referenceId ${s.referenceId}`);
    ids.add(s.referenceId);
  }
  const allOrNone = body.allOrNone === true;

  const responses = state.store.atomically(() => {
    const done = new Map<string, SubResponse>();
    const out: SubResponse[] = [];
    let failed = false;
    for (const sub of subs) {
      if (failed && allOrNone) {
        out.push({ body: HALTED_ROLLBACK, httpHeaders: {}, httpStatusCode: 400, referenceId: sub.referenceId });
        continue;
      }
      const response = runOne(req, sub, done, dispatch);
      done.set(sub.referenceId, response);
      out.push(response);
      if (response.httpStatusCode >= 400) failed = true;
    }
    if (!(failed && allOrNone)) return { result: out, commit: true };
    const rolledBack = out.map((r) =>
      r.httpStatusCode < 400 ? { ...r, body: HALTED_ROLLBACK, httpHeaders: {}, httpStatusCode: 400 } : r,
    );
    return { result: rolledBack, commit: false };
  });
  return { status: 200, body: { compositeResponse: responses } };
}

function readSub(raw: unknown): SubRequest {
  const r = raw as Partial<SubRequest> | null;
  if (
    !r ||
    typeof r !== 'object' ||
    typeof r.method !== 'string' ||
    typeof r.url !== 'string' ||
    typeof r.referenceId !== 'string'
  ) {
    throw new SfApiError(400, 'INVALID_API_INPUT', 'Each subrequest needs method, url and referenceId');
  }
  if (!/^[A-Za-z0-9_]+$/.test(r.referenceId))
    throw new SfApiError(400, 'INVALID_API_INPUT', `Invalid referenceId ${r.referenceId}`);
  return { method: r.method.toUpperCase(), url: r.url, referenceId: r.referenceId, body: r.body };
}

function runOne(
  parent: ApiRequest,
  sub: SubRequest,
  done: Map<string, SubResponse>,
  dispatch: (sub: ApiRequest) => ApiResponse,
): SubResponse {
  const fail = (status: number, errors: SfError[]): SubResponse => ({
    body: errors,
    httpHeaders: {},
    httpStatusCode: status,
    referenceId: sub.referenceId,
  });
  let url: string;
  let body: unknown;
  try {
    url = substitute(sub.url, done);
    body = substituteDeep(sub.body, done);
  } catch (e) {
    return fail(400, (e as SfApiError).errors);
  }
  const m = /^\/services\/data\/v(\d{2}\.\d)\/([^?]*)(?:\?(.*))?$/.exec(url);
  if (!m)
    return fail(400, [{ errorCode: 'INVALID_API_INPUT', message: `The url ${url} is not a valid REST resource` }]);
  const path = m[2].replace(/\/+$/, '');
  if (!ALLOWED.test(path))
    return fail(400, [
      { errorCode: 'INVALID_API_INPUT', message: `The resource ${path} is not supported in a composite request` },
    ]);
  const request: ApiRequest = {
    method: sub.method,
    apiVersion: m[1],
    segments: path.split('/').map((s) => decodeURIComponent(s)),
    query: new URLSearchParams(m[3] ?? ''),
    contentType: 'application/json',
    json: body,
  };
  let response: ApiResponse;
  try {
    response = dispatch(request);
  } catch (e) {
    if (e instanceof SfApiError) return fail(e.status, e.errors);
    throw e;
  }
  return {
    body: response.body ?? null,
    httpHeaders: response.headers ?? {},
    httpStatusCode: response.status,
    referenceId: sub.referenceId,
  };
}

function substitute(text: string, done: Map<string, SubResponse>): string {
  return text.replace(REFERENCE, (whole, ref: string, path: string) => {
    const source = done.get(ref);
    const value = source && source.httpStatusCode < 400 ? walk(source.body, path) : undefined;
    if (value === undefined || value === null || typeof value === 'object') {
      throw SfApiError.of(400, [
        {
          errorCode: 'PROCESSING_HALTED',
          message: `Invalid reference specified. No value for ${whole.slice(2, -1)} found in ${ref}. Provided referenceId ('${ref}') must be a valid reference for this request.`,
        },
      ]);
    }
    return String(value);
  });
}

function substituteDeep(value: unknown, done: Map<string, SubResponse>): unknown {
  if (typeof value === 'string') return substitute(value, done);
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, done));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteDeep(v, done)]));
  }
  return value;
}

function walk(body: unknown, path: string): unknown {
  let current = body;
  for (const part of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = part.startsWith('.') ? part.slice(1) : Number(part.slice(1, -1));
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
