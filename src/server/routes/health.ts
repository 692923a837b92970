// GET /health: 200 once mappings are loaded; mapping problems are reported, not hidden.
import type { RequestHandler } from 'express';
import type { MappingStore } from '../../mapping/mapping-store.js';
import { formatProblem } from '../../mapping/problem.js';
import type { ClusterView } from '../cluster.js';

export function healthRoute(store: MappingStore, cluster?: ClusterView): RequestHandler {
  return (_req, res) => {
    const set = store.current;
    res.json({
      status: 'ok',
      mappings: {
        dir: store.dir,
        rules: set.rules.filter((r) => r.rule.enabled).map((r) => r.rule.name),
        // enabled: false — they apply only when destination.Config.mappings names them
        selectable: set.rules.filter((r) => !r.rule.enabled).map((r) => r.rule.name),
        filters: set.filters.map((f) => f.name),
        objects: [...set.catalog.keys()],
        generation: store.generation,
        problems: store.problems.map(formatProblem),
      },
      // One process serves alone; in a cluster, every worker (its pid and mapping generation).
      workers: cluster ? cluster.snapshot() : { expected: 1, running: 1, self: 0, workers: [{ id: 0, pid: process.pid, generation: store.generation, problems: store.problems.length }] },
    });
  };
}
