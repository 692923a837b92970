// Routes /services/data/vNN.N/<resource> to its handler. A small table rather than express routes,
// so composite subrequests go through exactly the same dispatch as top-level requests.

import type { ObjectMetadata } from './org/metadata.js';
import type { ApiRequest, ApiResponse } from './api-types.js';
import * as collections from './collections.js';
import { runComposite } from './composite.js';
import { runBatch } from './composite-batch.js';
import { SfApiError, notFound } from './errors.js';
import type { QueryOptions } from './query.js';
import { getDeleted, getUpdated } from './replication.js';
import * as sobjects from './sobjects.js';
import type { EmulatorState } from './state.js';

type Params = Record<string, string>;
type Handler = (state: EmulatorState, req: ApiRequest, p: Params) => ApiResponse;

interface Route {
  pattern: string[];
  methods: Partial<Record<string, Handler>>;
}

const obj = (state: EmulatorState, p: Params): ObjectMetadata => {
  const meta = state.registry.get(p.object);
  if (!meta) throw notFound();
  return meta;
};

const ROUTES: Route[] = [
  { pattern: [], methods: { GET: (_s, req) => ({ status: 200, body: resources(req.apiVersion) }) } },
  {
    pattern: ['query'],
    methods: {
      GET: (s, req) => ({
        status: 200,
        body: s.queries.run(req.query.get('q'), req.apiVersion, queryOptions(req, false)),
      }),
    },
  },
  {
    pattern: ['query', ':locator'],
    methods: { GET: (s, _req, p) => ({ status: 200, body: s.queries.more(p.locator) }) },
  },
  {
    pattern: ['queryAll'],
    methods: {
      GET: (s, req) => ({
        status: 200,
        body: s.queries.run(req.query.get('q'), req.apiVersion, queryOptions(req, true)),
      }),
    },
  },
  {
    pattern: ['queryAll', ':locator'],
    methods: { GET: (s, _req, p) => ({ status: 200, body: s.queries.more(p.locator) }) },
  },
  { pattern: ['limits'], methods: { GET: (s) => ({ status: 200, body: s.limits.body() }) } },
  { pattern: ['sobjects'], methods: { GET: (s, req) => sobjects.listSobjects(s, req) } },
  {
    pattern: ['sobjects', ':object'],
    methods: {
      GET: (s, req, p) => sobjects.objectInfo(s, req, obj(s, p)),
      POST: (s, req, p) => sobjects.createRecord(s, req, obj(s, p)),
    },
  },
  {
    pattern: ['sobjects', ':object', 'describe'],
    methods: { GET: (s, req, p) => sobjects.describeObject(s, req, obj(s, p)) },
  },
  { pattern: ['sobjects', ':object', 'deleted'], methods: { GET: (s, req, p) => getDeleted(s, req, obj(s, p)) } },
  { pattern: ['sobjects', ':object', 'updated'], methods: { GET: (s, req, p) => getUpdated(s, req, obj(s, p)) } },
  {
    pattern: ['sobjects', ':object', ':id'],
    methods: {
      GET: (s, req, p) => sobjects.getRecord(s, req, obj(s, p), p.id),
      PATCH: (s, req, p) => sobjects.updateRecord(s, req, obj(s, p), p.id),
      DELETE: (s, req, p) => sobjects.deleteRecord(s, req, obj(s, p), p.id),
    },
  },
  {
    pattern: ['sobjects', ':object', ':field', ':value'],
    methods: {
      GET: (s, req, p) => sobjects.getByExternalId(s, req, obj(s, p), p.field, p.value),
      PATCH: (s, req, p) => sobjects.upsertRecord(s, req, obj(s, p), p.field, p.value),
    },
  },
  {
    pattern: ['composite', 'sobjects'],
    methods: {
      POST: (s, req) => collections.createCollection(s, req),
      PATCH: (s, req) => collections.updateCollection(s, req),
      DELETE: (s, req) => collections.deleteCollection(s, req),
    },
  },
  {
    pattern: ['composite', 'sobjects', ':object'],
    methods: { GET: (s, req, p) => collections.retrieveCollection(s, req, obj(s, p)) },
  },
  {
    pattern: ['composite', 'sobjects', ':object', ':field'],
    methods: { PATCH: (s, req, p) => collections.upsertCollection(s, req, obj(s, p), p.field) },
  },
  {
    pattern: ['composite', 'batch'],
    methods: { POST: (s, req) => runBatch(req, (sub) => dispatchApi(s, sub).response) },
  },
  {
    pattern: ['composite'],
    methods: { POST: (s, req) => runComposite(s, req, (sub) => dispatchApi(s, sub).response) },
  },
  {
    pattern: ['jobs', 'query'],
    methods: { POST: (s, req) => s.bulkQueries.create(req), GET: (s) => s.bulkQueries.list() },
  },
  {
    pattern: ['jobs', 'query', ':job'],
    methods: {
      GET: (s, _req, p) => s.bulkQueries.get(p.job),
      PATCH: (s, req, p) => s.bulkQueries.abort(req, p.job),
      DELETE: (s, _req, p) => s.bulkQueries.delete(p.job),
    },
  },
  { pattern: ['jobs', 'query', ':job', 'results'], methods: { GET: (s, req, p) => s.bulkQueries.results(req, p.job) } },
  {
    pattern: ['jobs', 'ingest'],
    methods: { POST: (s, req) => s.bulk.create(req), GET: (s) => s.bulk.listResponse() },
  },
  {
    pattern: ['jobs', 'ingest', ':job'],
    methods: {
      GET: (s, _req, p) => s.bulk.get(p.job),
      PATCH: (s, req, p) => s.bulk.changeState(req, p.job),
      DELETE: (s, _req, p) => s.bulk.delete(p.job),
    },
  },
  { pattern: ['jobs', 'ingest', ':job', 'batches'], methods: { PUT: (s, req, p) => s.bulk.upload(req, p.job) } },
  {
    pattern: ['jobs', 'ingest', ':job', 'successfulResults'],
    methods: { GET: (s, _req, p) => s.bulk.results(p.job, 'successfulResults') },
  },
  {
    pattern: ['jobs', 'ingest', ':job', 'failedResults'],
    methods: { GET: (s, _req, p) => s.bulk.results(p.job, 'failedResults') },
  },
  {
    pattern: ['jobs', 'ingest', ':job', 'unprocessedrecords'],
    methods: { GET: (s, _req, p) => s.bulk.results(p.job, 'unprocessedrecords') },
  },
];

/** `Sforce-Query-Options: batchSize=500` → 500 (Salesforce ignores what it cannot read). */
function queryOptions(req: ApiRequest, all: boolean): QueryOptions {
  const header = req.headers?.['sforce-query-options'];
  const m = /(?:^|[,;\s])batchSize\s*=\s*(\d+)/i.exec(Array.isArray(header) ? header.join(',') : (header ?? ''));
  return m ? { all, batchSize: Number(m[1]) } : { all };
}

function match(pattern: string[], segments: string[]): Params | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) params[pattern[i].slice(1)] = segments[i];
    else if (pattern[i] !== segments[i]) return undefined;
  }
  return params;
}

/** Literal segments win over parameters (`describe` is not a record Id). */
function specificity(pattern: string[]): number {
  return pattern.filter((p) => !p.startsWith(':')).length;
}

const ORDERED = ROUTES.slice().sort(
  (a, b) => b.pattern.length - a.pattern.length || specificity(b.pattern) - specificity(a.pattern),
);

/** Runs the request; `label` names the route for the per-path call counter (`PATCH sobjects/:object/:id`). */
export function dispatchApi(state: EmulatorState, req: ApiRequest): { label: string; response: ApiResponse } {
  for (const route of ORDERED) {
    const params = match(route.pattern, req.segments);
    if (!params) continue;
    const concrete = route.pattern.map((p) => (p === ':object' ? params.object : p)).join('/');
    const label = `${req.method} ${concrete || '/'}`;
    const handler = route.methods[req.method];
    if (!handler) {
      const allowed = Object.keys(route.methods).join(',');
      const err = new SfApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${req.method}' not allowed. Allowed are ${allowed}`,
      );
      return { label, response: { status: 405, body: err.errors } };
    }
    try {
      return { label, response: handler(state, req, params) };
    } catch (e) {
      if (e instanceof SfApiError) return { label, response: { status: e.status, body: e.errors } };
      throw e;
    }
  }
  return { label: `${req.method} (unknown)`, response: { status: 404, body: notFound().errors } };
}

function resources(v: string): Record<string, string> {
  const base = `/services/data/v${v}`;
  return {
    sobjects: `${base}/sobjects`,
    query: `${base}/query`,
    queryAll: `${base}/queryAll`,
    limits: `${base}/limits`,
    composite: `${base}/composite`,
    jobs: `${base}/jobs`,
  };
}
