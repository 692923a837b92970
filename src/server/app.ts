// The HTTP shell: parse, validate, call, answer. Behaviour lives in mapping/, plan/ and deliver/.
import express, { type ErrorRequestHandler, type Express } from 'express';
import type winston from 'winston';
import { MappingStore } from '../mapping/mapping-store.js';
import { formatProblem } from '../mapping/problem.js';
import { watchMappings, type MappingWatcher } from '../mapping/watch.js';
import { defaultAnswerShape, type AnswerShape } from './answer-shape.js';
import type { ClusterView } from './cluster.js';
import { bodyError, bodyErrors, jsonBody } from './json-body.js';
import { createLogger } from './logger.js';
import { healthRoute } from './routes/health.js';
import { playgroundRoutes } from './routes/playground.js';
import { proxyRoute } from './routes/proxy.js';
import { rudderRoutes, type RudderRoutesOptions } from './routes/rudder.js';
import { transformRoute } from './routes/transform.js';
import { metricsRoute } from './routes/metrics.js';
import { deliveryDepsFromEnv } from '../rudder/destination-access.js';
import { openApiRoute } from './routes/openapi.js';
import { closeWhenDraining } from './shutdown.js';
import { sharedStateFromEnv, type SharedState } from '../shared-state/shared-state.js';

export interface AppOptions {
  store?: MappingStore;
  logger?: winston.Logger;
  bodyLimit?: number;
  /** Reload the mappings folder when its files change (hot reload); the watcher is App.watcher. */
  watch?: boolean | { debounceMs?: number };
  /** The /playground page and POST /playground/run (default on; pure, like /transform). */
  playground?: boolean;
  /** In a cluster worker: joins the cluster once the store is loaded (reloads on the primary's word; /health lists workers). */
  cluster?: (store: MappingStore, logger: winston.Logger) => ClusterView;
  /** rudder-server routes: delivery mode and settings (default: from the environment). */
  rudder?: Pick<RudderRoutesOptions, 'mode' | 'delivery'>;
  /** /transform's answer shape when a request does not say (default: TRANSFORM_ANSWER, else compact). */
  answerShape?: AnswerShape;
  /** Token cache and API budget (default: from REDIS_URL and SALESFORCE_API_BUDGET_*; in-process without REDIS_URL). */
  shared?: SharedState;
}

/** Set by the shutdown: /health answers 503 so load balancers stop sending work while in-flight requests finish. */
export interface Lifecycle {
  draining: boolean;
}

export interface App {
  app: Express;
  store: MappingStore;
  logger: winston.Logger;
  watcher?: MappingWatcher;
  shared: SharedState;
  lifecycle: Lifecycle;
}

export function createApp(options: AppOptions = {}): App {
  const logger = options.logger ?? createLogger();
  const store = options.store ?? loadedStore(logger);
  const shared = options.shared ?? sharedStateFromEnv(process.env, logger);
  const lifecycle: Lifecycle = { draining: false };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use(closeWhenDraining(lifecycle));
  app.get('/health', healthRoute(store, options.cluster?.(store, logger), shared, lifecycle));
  app.get('/metrics', metricsRoute(store, shared));
  app.get('/openapi.json', openApiRoute());
  app.post(
    '/transform',
    jsonBody(options.bodyLimit),
    transformRoute(store, logger, options.answerShape ?? defaultAnswerShape()),
  );
  app.post(
    '/proxy',
    jsonBody(options.bodyLimit),
    proxyRoute({
      logger,
      catalog: () => store.current.catalog,
      sessions: shared.sessions,
      budget: shared.budget,
      fieldCache: shared.fields,
    }),
  );
  if (options.playground !== false) app.use('/playground', playgroundRoutes(store));
  // rudder-server's transformer protocol (DEST_TRANSFORM_URL pointed here).
  app.use(
    rudderRoutes({
      store,
      logger,
      bodyLimit: options.bodyLimit,
      delivery: deliveryDepsFromEnv(process.env, shared),
      ...options.rudder,
    }),
  );

  app.use(bodyErrors);
  const last: ErrorRequestHandler = (err, _req, res, _next) => {
    logger.error('unhandled error', { error: (err as Error)?.message, stack: (err as Error)?.stack });
    if (!res.headersSent) res.status(500).json(bodyError('INTERNAL', 'internal error; the request can be retried'));
  };
  app.use(last);
  const watcher = options.watch
    ? watchMappings(store, {
        logger,
        debounceMs: typeof options.watch === 'object' ? options.watch.debounceMs : undefined,
      })
    : undefined;
  return { app, store, logger, watcher, shared, lifecycle };
}

export function loadedStore(logger: winston.Logger): MappingStore {
  const store = new MappingStore(process.env.MAPPINGS_DIR);
  const report = store.load();
  for (const p of report.problems) logger.warn('mapping problem', { problem: formatProblem(p) });
  for (const w of report.warnings) logger.warn('mapping warning', { warning: formatProblem(w) });
  logger.info('mappings loaded', {
    dir: store.dir,
    files: report.files,
    rules: report.rules,
    problems: report.problems.length,
    warnings: report.warnings.length,
  });
  return store;
}
