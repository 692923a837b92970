// Prometheus metrics (GET /metrics), one registry per process. Labels are closed sets (route,
// outcome status, API call kind, grant) or an org's instance host capped in number: never a
// secret, an email, a record Id or anything else a caller could make unbounded.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'sfbridge_' });

/** Distinct org labels kept; further orgs are counted under "other" so a hostile caller cannot grow the series. */
const MAX_ORG_LABELS = 200;
const orgLabels = new Set<string>();

export function orgLabel(org: string): string {
  if (orgLabels.has(org)) return org;
  if (orgLabels.size >= MAX_ORG_LABELS) return 'other';
  orgLabels.add(org);
  return org;
}

const events = new Counter({
  name: 'sfbridge_events_total',
  help: 'Events answered, by route and per-event outcome status (200 done, 400 aborted, 429 throttled, 500 retry)',
  labelNames: ['route', 'outcome'] as const,
  registers: [registry],
});

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const mappingSeconds = new Histogram({
  name: 'sfbridge_mapping_duration_seconds',
  help: 'Time to map one POST /transform request (all its events)',
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const deliverySeconds = new Histogram({
  name: 'sfbridge_delivery_duration_seconds',
  help: 'Time to deliver one POST /proxy request (all its events, Salesforce calls included)',
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const apiCalls = new Counter({
  name: 'sfbridge_salesforce_api_calls_total',
  help: 'Salesforce API calls made, by org (instance host), kind of call and HTTP status class',
  labelNames: ['org', 'kind', 'status'] as const,
  registers: [registry],
});

export const tokenRequests = new Counter({
  name: 'sfbridge_token_requests_total',
  help: 'OAuth token requests made to Salesforce, by grant and result',
  labelNames: ['grant', 'result'] as const,
  registers: [registry],
});

export const budgetRemaining = new Gauge({
  name: 'sfbridge_api_budget_remaining',
  help: 'Salesforce API calls the product may still make for the org in the rolling 24 h (only when a budget is configured)',
  labelNames: ['org'] as const,
  registers: [registry],
});

export const budgetRefusals = new Counter({
  name: 'sfbridge_api_budget_refusals_total',
  help: 'Salesforce calls not made because the org reached its budget (answered 429)',
  labelNames: ['org'] as const,
  registers: [registry],
});

/** Set by whoever owns the state it reports (the mapping store, the Redis link). */
export const mappingProblems = new Gauge({
  name: 'sfbridge_mapping_problems',
  help: 'Problems found the last time the mapping files were loaded (the last good version keeps serving)',
  registers: [registry],
});

export const redisAvailable = new Gauge({
  name: 'sfbridge_redis_available',
  help: '1 when the shared Redis answers, 0 while the process falls back to per-process state (absent without REDIS_URL)',
  registers: [registry],
});

/** Counts a response's per-event outcomes. */
export function countEvents(route: 'transform' | 'proxy', items: readonly { statusCode: number }[]): void {
  const counts = new Map<number, number>();
  for (const i of items) counts.set(i.statusCode, (counts.get(i.statusCode) ?? 0) + 1);
  for (const [status, n] of counts) events.inc({ route, outcome: String(status) }, n);
}

/** The kind of a REST call from its path: a closed set, whatever the path holds. */
export function callKind(path: string): string {
  const m = /^\/services\/(?:data\/v[\d.]+\/)?([a-z]+)(?:\/([a-z]+))?/i.exec(path);
  if (!m) return 'other';
  const first = m[1].toLowerCase();
  if (first === 'jobs') return 'bulk';
  // Describes are counted apart: delivery makes them to learn an org's fields (bounded per day).
  if (first === 'sobjects' && /\/describe\/?$/i.test(path)) return 'describe';
  if (first === 'composite') return m[2]?.toLowerCase() === 'sobjects' ? 'collections' : 'composite';
  return ['query', 'queryall', 'sobjects', 'limits', 'search'].includes(first) ? first : 'other';
}

// The source sync, per collection. `source` is the configured warehouse schema and `collection` a
// collection of that source's configuration: both bounded by the config file, never by data.
const syncRows = new Counter({
  name: 'sfbridge_sync_rows_total',
  help: 'Rows the source sync wrote to the warehouse, by source schema and collection',
  labelNames: ['source', 'collection'] as const,
  registers: [registry],
});

const syncCalls = new Counter({
  name: 'sfbridge_sync_api_calls_total',
  help: 'Salesforce API calls the source sync made, by source schema and collection',
  labelNames: ['source', 'collection'] as const,
  registers: [registry],
});

const syncSeconds = new Histogram({
  name: 'sfbridge_sync_duration_seconds',
  help: 'Time to sync one collection in one run, by source schema, collection and result (synced, skipped, failed, stopped)',
  labelNames: ['source', 'collection', 'status'] as const,
  buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
  registers: [registry],
});

export function observeCollection(
  source: string,
  collection: string,
  status: string,
  calls: number,
  rows: number,
  seconds: number,
): void {
  syncRows.inc({ source, collection }, rows);
  syncCalls.inc({ source, collection }, calls);
  syncSeconds.observe({ source, collection, status }, seconds);
}
