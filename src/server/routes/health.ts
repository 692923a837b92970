// GET /health: 200 once mappings are loaded; mapping problems are reported, not hidden. 503 while
// the process drains on shutdown, so a load balancer's readiness check stops sending it work. A
// Redis outage is reported (sharedState) but stays 200: delivery goes on per process meanwhile.
import type { RequestHandler } from 'express';
import type { MappingStore } from '../../mapping/mapping-store.js';
import { formatProblem } from '../../mapping/problem.js';
import type { ClusterView } from '../cluster.js';
import type { SharedState } from '../../shared-state/shared-state.js';

export function healthRoute(
  store: MappingStore,
  cluster?: ClusterView,
  shared?: SharedState,
  lifecycle?: { draining: boolean },
): RequestHandler {
  return (_req, res) => {
    const set = store.current;
    res.status(lifecycle?.draining ? 503 : 200).json({
      status: lifecycle?.draining ? 'draining' : 'ok',
      mappings: {
        dir: store.dir,
        rules: set.rules.filter((r) => r.rule.enabled).map((r) => r.rule.name),
        // enabled: false — they apply only when destination.Config.mappings names them
        selectable: set.rules.filter((r) => !r.rule.enabled).map((r) => r.rule.name),
        filters: set.filters.map((f) => f.name),
        objects: [...set.catalog.keys()],
        generation: store.generation,
        problems: store.problems.map(formatProblem),
        // Rules that load and serve, but probably not as meant (a bare word read as an event path).
        warnings: store.warnings.map(formatProblem),
      },
      // One process serves alone; in a cluster, every worker (its pid and mapping generation).
      workers: cluster
        ? cluster.snapshot()
        : {
            expected: 1,
            running: 1,
            self: 0,
            workers: [{ id: 0, pid: process.pid, generation: store.generation, problems: store.problems.length }],
          },
      sharedState: shared?.health() ?? { mode: 'process' },
    });
  };
}
