// GET /metrics: Prometheus text format (src/observe/metrics.ts). Gauges that mirror state owned
// elsewhere are read at scrape time.
import type { RequestHandler } from 'express';
import type { MappingStore } from '../../mapping/mapping-store.js';
import { mappingProblems, redisAvailable, registry } from '../../observe/metrics.js';
import type { SharedState } from '../../shared-state/shared-state.js';

export function metricsRoute(store: MappingStore, shared: SharedState): RequestHandler {
  return async (_req, res) => {
    mappingProblems.set(store.problems.length);
    if (shared.redis) redisAvailable.set(shared.redis.isAvailable ? 1 : 0);
    res.set('Content-Type', registry.contentType).send(await registry.metrics());
  };
}
